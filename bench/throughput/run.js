#!/usr/bin/env node
// Throughput of `loadplan run` against autocannon, in the same run, against the same local
// target, alternating, three rounds by default. Prints requests/s of each and the ratio.
//
//   npm run bench:throughput -- [--connections 50] [--duration 10] [--rounds 3] [--workers-too] [--shards-too]
//   npm run bench:throughput -- --dashboard     (the live dashboard's cost, in a pseudo-terminal)
//   npm run bench:throughput -- --http2 [--streams 10]   (HTTP/2 cleartext against h2load, Debian's nghttp2-client)
//
// Target: nginx (Debian package nginx-light) with one worker, when installed, so that the
// generator and not the server is the bottleneck; otherwise a Node http server in its own
// process (then both tools measure mostly the server, and the ratio says little).
import {spawn, spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const {values} = parseArgs({
  options: {
    connections: {type: 'string', default: '50'},
    duration: {type: 'string', default: '10'},
    rounds: {type: 'string', default: '3'},
    'workers-too': {type: 'boolean', default: true},
    'shards-too': {type: 'boolean', default: true},
    dashboard: {type: 'boolean', default: false},
    http2: {type: 'boolean', default: false},
    streams: {type: 'string', default: '10'},
  },
})
const connections = Number(values.connections)
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
events { worker_connections 4096; }
http { access_log off; keepalive_requests 100000000; keepalive_timeout 120s;
  client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  http2_max_concurrent_streams 1000; http2_max_requests 100000000;
  server { listen 127.0.0.1:${port}${http2}; location / { default_type text/plain; return 200 "hello world!\\n"; } } }
`,
    )
    const child = spawn(nginx, ['-c', join(dir, 'nginx.conf'), '-p', dir], {stdio: 'ignore'})
    await new Promise((resolve) => setTimeout(resolve, 500))
    return {
      name: `nginx (1 worker${http2 ? ', h2c' : ''})`,
      url: `http://127.0.0.1:${port}/`,
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
    stop: () => child.kill('SIGTERM'),
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

function autocannon(url) {
  const out = runJson(process.execPath, [
    join(root, 'node_modules', 'autocannon', 'autocannon.js'),
    '-c',
    String(connections),
    '-d',
    String(durationSec),
    '--json',
    url,
  ])
  return out.requests.total / out.duration
}

function loadplan(url, workers) {
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
  ]
  const out = runJson(process.execPath, args)
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

function loadplanHttp2(url) {
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
  ])
  return (out.totals.completed * 1000) / out.durationMs
}

const target = await startTarget()
if (values.http2) {
  const rows = []
  try {
    for (let round = 1; round <= rounds; round++) {
      const order = round % 2 === 1 ? ['h2load', 'loadplan'] : ['loadplan', 'h2load']
      const row = {round}
      for (const tool of order) row[tool] = tool === 'h2load' ? h2load(target.url) : loadplanHttp2(target.url)
      rows.push(row)
      process.stderr.write(`round ${round}: ${JSON.stringify(row)}\n`)
    }
  } finally {
    target.stop()
  }
  const mean = (k) => rows.reduce((sum, r) => sum + r[k], 0) / rows.length
  console.log(
    `target: ${target.name}; HTTP/2, ${connections} connections × ${values.streams} streams, ${durationSec} s per run, ${rounds} rounds`,
  )
  console.log('round     h2load   loadplan  ratio')
  for (const r of rows)
    console.log(
      `${String(r.round).padStart(5)}  ${r.h2load.toFixed(0).padStart(9)}  ${r.loadplan.toFixed(0).padStart(9)}   ${(r.loadplan / r.h2load).toFixed(2)}`,
    )
  console.log(
    ` mean  ${mean('h2load').toFixed(0).padStart(9)}  ${mean('loadplan').toFixed(0).padStart(9)}   ${(mean('loadplan') / mean('h2load')).toFixed(2)}`,
  )
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
const rows = []
try {
  for (let round = 1; round <= rounds; round++) {
    // Alternate which tool goes first so that warm-up and drift do not favour one.
    const order = round % 2 === 1 ? ['autocannon', 'loadplan'] : ['loadplan', 'autocannon']
    const row = {round}
    for (const tool of order) row[tool] = tool === 'autocannon' ? autocannon(target.url) : loadplan(target.url, 1)
    if (values['workers-too']) row.loadplanW2 = loadplan(target.url, 2)
    if (values['shards-too']) row.loadplanS2 = await loadplanShards(target.url, 2)
    rows.push(row)
    process.stderr.write(`round ${round}: ${JSON.stringify(row)}\n`)
  }
} finally {
  target.stop()
}

const mean = (key) => rows.reduce((sum, row) => sum + row[key], 0) / rows.length
const fmt = (n) => n.toFixed(0).padStart(9)
console.log(`target: ${target.name}; ${connections} connections, ${durationSec} s per run, ${rounds} rounds`)
const extra = [
  values['workers-too'] && ['loadplanW2', 'loadplan -w2'],
  values['shards-too'] && ['loadplanS2', '2 shards'],
].filter(Boolean)
console.log(
  `round  autocannon   loadplan  ratio${extra.map(([, title]) => `   ${title.padStart(12)}  ratio`).join('')}`,
)
const cells = (value, base) => `   ${fmt(value).padStart(12)}   ${(value / base).toFixed(2)}`
for (const row of rows) {
  console.log(
    `${String(row.round).padStart(5)}  ${fmt(row.autocannon)}  ${fmt(row.loadplan)}   ${(row.loadplan / row.autocannon).toFixed(2)}${extra.map(([key]) => cells(row[key], row.autocannon)).join('')}`,
  )
}
console.log(
  ` mean  ${fmt(mean('autocannon'))}  ${fmt(mean('loadplan'))}   ${(mean('loadplan') / mean('autocannon')).toFixed(2)}${extra.map(([key]) => cells(mean(key), mean('autocannon'))).join('')}`,
)
