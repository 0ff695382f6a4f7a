#!/usr/bin/env node
// Throughput of `loadplan run` against wrk -t1 (Debian's wrk, when installed), autocannon and
// loadplan on undici, in the same run, against the same local target, the order rotated each
// round, five rounds by default. Prints each tool's median and range, its CPU time per request
// (user and kernel) and how busy the target was, and loadplan's ratios by rate and by CPU.
//
//   npm run bench:throughput -- [--connections 50] [--duration 10] [--rounds 5] [--without-workers] [--shards-too] [--unpinned]
//   npm run bench:throughput -- --dashboard     (the live dashboard's cost, in a pseudo-terminal)
//   npm run bench:throughput -- --memory     (peak RSS at 10, 1,000 and 5,000 connections: MB per 1,000)
//   npm run bench:throughput -- --http2 [--streams 10]   (HTTP/2 cleartext against h2load, Debian's nghttp2-client)
//
// Target: nginx (Debian package nginx-light) with one worker, when installed, so that the
// generator and not the server is the bottleneck; otherwise a Node http server in its own
// process (then both tools measure mostly the server, and the ratio says little).
import {spawn, spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {availableParallelism, tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const {values} = parseArgs({
  options: {
    connections: {type: 'string', default: '50'},
    duration: {type: 'string', default: '10'},
    rounds: {type: 'string', default: '5'},
    'without-workers': {type: 'boolean', default: false},
    'shards-too': {type: 'boolean', default: false},
    dashboard: {type: 'boolean', default: false},
    http2: {type: 'boolean', default: false},
    memory: {type: 'boolean', default: false},
    streams: {type: 'string', default: '10'},
    unpinned: {type: 'boolean', default: false},
  },
})
const connections = Number(values.connections)
// On two cores or more, nginx gets CPU 1 and each single-process tool CPU 0: the tools then
// compete with each other's measurements less than with a server they share a core with.
const pinned =
  !values.unpinned &&
  spawnSync('sh', ['-c', 'command -v taskset'], {encoding: 'utf8'}).stdout.trim() !== '' &&
  availableParallelism() >= 2
const durationSec = Number(values.duration)
const rounds = Number(values.rounds)

async function freePort() {
  return new Promise((resolve) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address()
      server.close(() => resolve(port))
    })
  })
}

async function startTarget() {
  const port = await freePort()
  const nginx = spawnSync('sh', ['-c', 'command -v nginx || ls /usr/sbin/nginx'], {encoding: 'utf8'})
    .stdout.trim()
    .split('\n')[0]
  // HTTP/2 with prior knowledge (h2c): nginx's `listen … http2` without TLS.
  const http2 = values.http2 ? ' http2' : ''
  if (nginx) {
    const dir = mkdtempSync(join(tmpdir(), 'loadplan-bench-'))
    writeFileSync(
      join(dir, 'nginx.conf'),
      `worker_processes 1; daemon off; pid ${dir}/nginx.pid; error_log ${dir}/error.log;
worker_rlimit_nofile 20000;
events { worker_connections 16384; }
http { access_log off; keepalive_requests 100000000; keepalive_timeout 120s;
  client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  http2_max_concurrent_streams 1000; http2_max_requests 100000000;
  server { listen 127.0.0.1:${port}${http2}; location / { default_type text/plain; return 200 "hello world!\\n"; } } }
`,
    )
    const command = pinned
      ? ['taskset', ['-c', '1', nginx, '-c', join(dir, 'nginx.conf'), '-p', dir]]
      : [nginx, ['-c', join(dir, 'nginx.conf'), '-p', dir]]
    const child = spawn(command[0], command[1], {stdio: 'ignore'})
    await new Promise((resolve) => setTimeout(resolve, 500))
    return {
      name: `nginx (1 worker${http2 ? ', h2c' : ''})`,
      url: `http://127.0.0.1:${port}/`,
      cpuSec: () => processCpuSec(child.pid, true),
      stop: () => child.kill('SIGTERM'),
    }
  }
  if (values.http2) throw new Error('--http2 needs nginx (apt-get install nginx-light)')
  const code = `require('http').createServer((q, s) => s.end('hello world!\\n')).listen(${port}, '127.0.0.1')`
  const child = spawn(process.execPath, ['-e', code], {stdio: 'ignore'})
  await new Promise((resolve) => setTimeout(resolve, 500))
  return {
    name: 'node:http (nginx not installed: this measures the server more than the tools)',
    url: `http://127.0.0.1:${port}/`,
    cpuSec: () => processCpuSec(child.pid, false),
    stop: () => child.kill('SIGTERM'),
  }
}

// CPU time from /proc (Linux): a tool's is what the kernel adds to this process's reaped-children
// counters (cutime + cstime) while spawnSync waits for it; the target's is its own utime + stime
// (nginx: the master and its worker). Clock ticks are 1/100 s on Linux.
const ticksPerSec = Number(spawnSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).stdout) || 100
const statFields = (pid) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
function processCpuSec(pid, withChildren) {
  try {
    const own = (p) => {
      const fields = statFields(p)
      return (Number(fields[11]) + Number(fields[12])) / ticksPerSec
    }
    const children = withChildren
      ? readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)
      : []
    return own(pid) + children.reduce((sum, child) => sum + own(child), 0)
  } catch {
    return Number.NaN
  }
}
/** User and system CPU seconds of this process's reaped children. */
function reapedChildrenCpuSec() {
  try {
    const fields = statFields('self')
    return {user: Number(fields[13]) / ticksPerSec, system: Number(fields[14]) / ticksPerSec}
  } catch {
    return {user: Number.NaN, system: Number.NaN}
  }
}

function runJson(command, args) {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: {...process.env, CI: 'true'},
  })
  if (result.status !== 0 && result.status !== 3)
    throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`)
  return JSON.parse(result.stdout)
}

/** A single-process tool runs on CPU 0 when the target is pinned to CPU 1 (taskset, util-linux). */
function onCpu0(command, args, workers) {
  return pinned && workers === 1 ? ['taskset', ['-c', '0', command, ...args]] : [command, args]
}

function wrk(url) {
  const [command, args] = onCpu0('wrk', ['-t1', `-c${connections}`, `-d${durationSec}s`, url], 1)
  const result = spawnSync(command, args, {encoding: 'utf8'})
  const match = /Requests\/sec:\s+([\d.]+)/.exec(result.stdout)
  if (!match) throw new Error(`wrk failed: ${result.stderr || result.stdout}`)
  return Number(match[1])
}

/**
 * Node's own ceiling: raw sockets, one pre-built request, responses counted by their fixed body,
 * nothing else (no parser, no latency, no result). What any Node load generator can approach.
 */
function nodeNetLoop(url) {
  const {port, hostname} = new URL(url)
  const code = `
const {connect} = require('node:net')
const request = Buffer.from('GET / HTTP/1.1\\r\\nhost: ${hostname}:${port}\\r\\n\\r\\n')
const stopAt = performance.now() + ${durationSec * 1000}
let done = 0
for (let i = 0; i < ${connections}; i++) {
  const socket = connect(${port}, '${hostname}')
  socket.setNoDelay(true)
  socket.on('connect', () => socket.write(request))
  socket.on('data', (chunk) => {
    let n = 0
    for (let at = chunk.indexOf('world!\\n'); at >= 0; at = chunk.indexOf('world!\\n', at + 1)) n++
    done += n
    if (performance.now() < stopAt) for (let k = 0; k < n; k++) socket.write(request)
    else socket.destroy()
  })
}
setTimeout(() => { console.log(done / ${durationSec}); process.exit(0) }, ${durationSec * 1000} + 50)`
  const [command, args] = onCpu0(process.execPath, ['-e', code], 1)
  return Number(spawnSync(command, args, {encoding: 'utf8'}).stdout.trim())
}

function autocannon(url, workers) {
  const [command, args] = onCpu0(
    process.execPath,
    [
      join(root, 'node_modules', 'autocannon', 'autocannon.js'),
      '-c',
      String(connections),
      '-d',
      String(durationSec),
      ...(workers > 1 ? ['-w', String(workers)] : []),
      '--json',
      url,
    ],
    workers,
  )
  const out = runJson(command, args)
  return out.requests.total / out.duration
}

function loadplan(url, workers, extra = []) {
  const args = [
    join(root, 'bin', 'run.js'),
    'run',
    url,
    '-c',
    String(connections),
    '-d',
    `${durationSec}s`,
    '--json',
    '--quiet',
    '-w',
    String(workers),
    ...extra,
  ]
  const out = runJson(...onCpu0(process.execPath, args, workers))
  return (out.totals.completed * 1000) / out.durationMs
}

/**
 * A run split into two shard processes (one per core, --segment 0/2 and 1/2, one --start-at),
 * their results added by loadplan merge: what `loadplan k8s --shards 2` does on two nodes.
 */
async function loadplanShards(url, shards) {
  const dir = mkdtempSync(join(tmpdir(), 'loadplan-bench-'))
  const startAt = new Date(Date.now() + 1500).toISOString()
  const files = Array.from({length: shards}, (_, i) => join(dir, `shard-${i}.json`))
  await Promise.all(
    files.map(
      (file, i) =>
        new Promise((resolve, reject) => {
          const args = [
            join(root, 'bin', 'run.js'),
            'run',
            url,
            '-c',
            String(connections),
            '-d',
            `${durationSec}s`,
            '--segment',
            `${i}/${shards}`,
            '--start-at',
            startAt,
            '--quiet',
            '--out',
            file,
          ]
          const child = spawn(process.execPath, args, {
            stdio: ['ignore', 'ignore', 'pipe'],
            env: {...process.env, CI: 'true'},
          })
          let stderr = ''
          child.stderr.on('data', (chunk) => (stderr += chunk))
          child.on('close', (code) =>
            code === 0 || code === 3 ? resolve() : reject(new Error(`shard ${i} failed: ${stderr}`)),
          )
        }),
    ),
  )
  const merged = runJson(process.execPath, [join(root, 'bin', 'run.js'), 'merge', ...files, '--json'])
  return (merged.totals.completed * 1000) / merged.durationMs
}

/** loadplan in a pseudo-terminal (util-linux script), with the live dashboard on or off. */
function loadplanInTerminal(url, dashboard) {
  const out = join(mkdtempSync(join(tmpdir(), 'loadplan-bench-')), 'result.json')
  const command = [
    process.execPath,
    join(root, 'bin', 'run.js'),
    'run',
    url,
    '-c',
    String(connections),
    '-d',
    `${durationSec}s`,
    '--out',
    out,
    '--dashboard',
    dashboard,
  ].join(' ')
  const env = {...process.env}
  delete env.CI
  spawnSync('script', ['-qec', command, '/dev/null'], {env, stdio: 'ignore'})
  const result = JSON.parse(readFileSync(out, 'utf8'))
  return (result.totals.completed * 1000) / result.durationMs
}

/** h2load (nghttp2) with the same connections, streams per connection and duration. */
function h2load(url) {
  const result = spawnSync(
    'h2load',
    ['-c', String(connections), '-m', values.streams, '-D', String(durationSec), url],
    {encoding: 'utf8'},
  )
  const match = /finished in [\d.]+m?s, ([\d.]+) req\/s/.exec(result.stdout)
  if (!match) throw new Error(`h2load failed (apt-get install nghttp2-client): ${result.stderr || result.stdout}`)
  return Number(match[1])
}

function loadplanHttp2(url, extra = []) {
  const out = runJson(process.execPath, [
    join(root, 'bin', 'run.js'),
    'run',
    url,
    '--http2',
    '-c',
    String(connections),
    '--streams',
    values.streams,
    '-d',
    `${durationSec}s`,
    '--json',
    '--quiet',
    ...extra,
  ])
  return (out.totals.completed * 1000) / out.durationMs
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const target = await startTarget()
if (values.http2) {
  const rows = []
  try {
    for (let round = 1; round <= rounds; round++) {
      const order = round % 2 === 1 ? ['h2load', 'loadplan'] : ['loadplan', 'h2load']
      const row = {round}
      for (const tool of order) row[tool] = tool === 'h2load' ? h2load(target.url) : loadplanHttp2(target.url)
      row.undici = loadplanHttp2(target.url, ['--client', 'undici'])
      rows.push(row)
      process.stderr.write(`round ${round}: ${JSON.stringify(row)}\n`)
    }
  } finally {
    target.stop()
  }
  const mid = (k) => median(rows.map((r) => r[k]))
  const range = (k) =>
    `${Math.min(...rows.map((r) => r[k])).toFixed(0)}–${Math.max(...rows.map((r) => r[k])).toFixed(0)}`
  console.log(
    `target: ${target.name}; HTTP/2, ${connections} connections × ${values.streams} streams, ${durationSec} s per run, ${rounds} rounds`,
  )
  console.log('round     h2load   loadplan  ratio   on undici  ratio')
  for (const r of rows)
    console.log(
      `${String(r.round).padStart(5)}  ${r.h2load.toFixed(0).padStart(9)}  ${r.loadplan.toFixed(0).padStart(9)}   ${(r.loadplan / r.h2load).toFixed(2)}   ${r.undici.toFixed(0).padStart(9)}   ${(r.undici / r.h2load).toFixed(2)}`,
    )
  console.log(
    `median ${mid('h2load').toFixed(0).padStart(9)}  ${mid('loadplan').toFixed(0).padStart(9)}   ${(mid('loadplan') / mid('h2load')).toFixed(2)}   ${mid('undici').toFixed(0).padStart(9)}   ${(mid('undici') / mid('h2load')).toFixed(2)}`,
  )
  console.log(`ranges: h2load ${range('h2load')}, loadplan ${range('loadplan')}, on undici ${range('undici')}`)
  process.exit(0)
}
if (values.memory) {
  // Peak resident memory (GNU time's %M) of each tool holding N connections for the duration,
  // under a raised open-file limit; MB per 1,000 connections over the 10-connection baseline.
  const peakMb = (command) => {
    const result = spawnSync('sh', ['-c', `ulimit -n 20000 && /usr/bin/time -f 'peak %M' ${command} > /dev/null`], {
      encoding: 'utf8',
      env: {...process.env, CI: 'true'},
    })
    const match = /peak (\d+)/.exec(result.stderr)
    if (!match) throw new Error(`no peak memory for ${command}: ${result.stderr}`)
    return Number(match[1]) / 1024
  }
  const commands = {
    loadplan: (c) =>
      `${process.execPath} ${join(root, 'bin', 'run.js')} run ${target.url} -c ${c} -d ${durationSec}s --quiet --json`,
    'loadplan --client undici': (c) =>
      `${process.execPath} ${join(root, 'bin', 'run.js')} run ${target.url} -c ${c} -d ${durationSec}s --quiet --json --client undici`,
    autocannon: (c) =>
      `${process.execPath} ${join(root, 'node_modules', 'autocannon', 'autocannon.js')} -c ${c} -d ${durationSec} --json ${target.url}`,
  }
  try {
    console.log(`target: ${target.name}; ${durationSec} s per run; peak RSS in MB (MB per 1,000 connections over 10)`)
    console.log(`${'tool'.padEnd(26)} ${'10'.padStart(8)} ${'1,000'.padStart(16)} ${'5,000'.padStart(16)}`)
    for (const [name, command] of Object.entries(commands)) {
      const base = peakMb(command(10))
      const cells = [1000, 5000].map((c) => {
        const mb = peakMb(command(c))
        return `${mb.toFixed(0)} (${(((mb - base) / (c - 10)) * 1000).toFixed(1)})`.padStart(16)
      })
      console.log(`${name.padEnd(26)} ${base.toFixed(0).padStart(8)} ${cells.join(' ')}`)
    }
  } finally {
    target.stop()
  }
  process.exit(0)
}
if (values.dashboard) {
  // The dashboard's cost: the same run in a terminal with and without it, alternating.
  const rows = []
  try {
    for (let round = 1; round <= rounds; round++) {
      const order = round % 2 === 1 ? ['off', 'on'] : ['on', 'off']
      const row = {round}
      for (const mode of order) row[mode] = loadplanInTerminal(target.url, mode)
      rows.push(row)
      process.stderr.write(`round ${round}: ${JSON.stringify(row)}\n`)
    }
  } finally {
    target.stop()
  }
  const mean = (k) => rows.reduce((sum, r) => sum + r[k], 0) / rows.length
  console.log(
    `target: ${target.name}; ${connections} connections, ${durationSec} s per run, ${rounds} rounds, in a pseudo-terminal`,
  )
  console.log('round   no dashboard   dashboard   ratio')
  for (const r of rows)
    console.log(
      `${String(r.round).padStart(5)}  ${r.off.toFixed(0).padStart(13)}  ${r.on.toFixed(0).padStart(10)}   ${(r.on / r.off).toFixed(3)}`,
    )
  console.log(
    ` mean  ${mean('off').toFixed(0).padStart(13)}  ${mean('on').toFixed(0).padStart(10)}   ${(mean('on') / mean('off')).toFixed(3)}  (dashboard cost ${((1 - mean('on') / mean('off')) * 100).toFixed(1)}%)`,
  )
  process.exit(0)
}
// HTTP/1.1: every tool in each round, the order rotated so that drift favours none; medians and
// ranges over the rounds, and loadplan's ratio to each competitor.
const wrkPath = spawnSync('sh', ['-c', 'command -v wrk'], {encoding: 'utf8'}).stdout.trim()
const tools = [
  ...(wrkPath ? [['wrk -t1', () => wrk(target.url)]] : []),
  ['node net loop', () => nodeNetLoop(target.url)],
  ['autocannon', () => autocannon(target.url, 1)],
  ['loadplan', () => loadplan(target.url, 1)],
  ['loadplan --client undici', () => loadplan(target.url, 1, ['--client', 'undici'])],
  ...(!values['without-workers']
    ? [
        ['autocannon -w 2', () => autocannon(target.url, 2)],
        ['loadplan -w 2', () => loadplan(target.url, 2)],
      ]
    : []),
  ...(values['shards-too'] ? [['loadplan, 2 shards', () => loadplanShards(target.url, 2)]] : []),
]
const runs = Object.fromEntries(tools.map(([name]) => [name, []]))
// Per run, besides the rate: the tool's CPU microseconds per request, user and kernel (start-up
// included, which counts against the Node tools), and how busy the target was over the run's
// duration. When the target nears 100 %, the rates measure the target as much as the tool; the
// CPU cost per request is then the tool's real margin. The kernel's share is the loopback TCP
// work every tool pays per request, and bounds what any user-space saving can gain.
const userUsPerRequest = Object.fromEntries(tools.map(([name]) => [name, []]))
const systemUsPerRequest = Object.fromEntries(tools.map(([name]) => [name, []]))
const cpuUsPerRequest = Object.fromEntries(tools.map(([name]) => [name, []]))
const targetBusy = Object.fromEntries(tools.map(([name]) => [name, []]))
try {
  for (let round = 1; round <= rounds; round++) {
    const shift = (round - 1) % tools.length
    for (const [name, run] of [...tools.slice(shift), ...tools.slice(0, shift)]) {
      const [toolBefore, targetBefore] = [reapedChildrenCpuSec(), target.cpuSec()]
      const rate = await run()
      runs[name].push(rate)
      const toolAfter = reapedChildrenCpuSec()
      const requests = rate * durationSec
      userUsPerRequest[name].push(((toolAfter.user - toolBefore.user) * 1e6) / requests)
      systemUsPerRequest[name].push(((toolAfter.system - toolBefore.system) * 1e6) / requests)
      cpuUsPerRequest[name].push(userUsPerRequest[name].at(-1) + systemUsPerRequest[name].at(-1))
      targetBusy[name].push((target.cpuSec() - targetBefore) / durationSec)
    }
    process.stderr.write(
      `round ${round}: ${tools.map(([name]) => `${name} ${runs[name].at(-1).toFixed(0)}`).join(', ')}\n`,
    )
  }
} finally {
  target.stop()
}
console.log(
  `target: ${target.name}; ${connections} connections, ${durationSec} s per run, ${rounds} rounds${pinned ? '; nginx on CPU 1, single-process tools on CPU 0' : ''}`,
)
console.log(
  `${'tool'.padEnd(26)} ${'median/s'.padStart(9)}  ${'range/s'.padEnd(14)} ${'CPU µs/request (user + kernel)'.padEnd(31)} target busy`,
)
for (const [name] of tools) {
  const cpu = `${median(cpuUsPerRequest[name]).toFixed(1)} (${median(userUsPerRequest[name]).toFixed(1)} + ${median(systemUsPerRequest[name]).toFixed(1)})`
  console.log(
    `${name.padEnd(26)} ${median(runs[name]).toFixed(0).padStart(9)}  ${`${Math.min(...runs[name]).toFixed(0)}–${Math.max(...runs[name]).toFixed(0)}`.padEnd(14)} ${cpu.padEnd(31)} ${(median(targetBusy[name]) * 100).toFixed(0).padStart(4)} %`,
  )
}
const ratio = (a, b) => {
  const per = runs[a].map((v, i) => v / runs[b][i])
  const perCpu = cpuUsPerRequest[b].map((v, i) => v / cpuUsPerRequest[a][i])
  return `${(median(runs[a]) / median(runs[b])).toFixed(2)} (per round ${Math.min(...per).toFixed(2)}–${Math.max(...per).toFixed(2)}); per CPU second ${median(perCpu).toFixed(2)} (${Math.min(...perCpu).toFixed(2)}–${Math.max(...perCpu).toFixed(2)})`
}
if (wrkPath) console.log(`loadplan / wrk -t1:              ${ratio('loadplan', 'wrk -t1')}`)
console.log(`loadplan / node net loop:         ${ratio('loadplan', 'node net loop')}  (Node's ceiling here)`)
console.log(`loadplan / autocannon:           ${ratio('loadplan', 'autocannon')}`)
console.log(`loadplan / loadplan --client undici: ${ratio('loadplan', 'loadplan --client undici')}`)
if (!values['without-workers'])
  console.log(`loadplan -w 2 / autocannon -w 2: ${ratio('loadplan -w 2', 'autocannon -w 2')}`)
