#!/usr/bin/env node
// WebSocket and gRPC throughput of `loadplan run` (issue 34) against each client library's own
// loop, in the same run, against the same local servers, the order rotated each round. No ghz in
// Debian or npm, so the reference is the library itself: what loadplan costs on top of it.
//
//   npm run bench:sessions -- [--connections 20] [--messages 50] [--streams 10] [--duration 5] [--rounds 3] [--unpinned]
//
// WebSocket: `connections` sessions at once, each `messages` ping-pong round trips then a new
// session; loadplan on ws, the `ws` loop, and undici's WebSocket loop (why loadplan uses ws).
// gRPC: `connections` channels × `streams` unary calls outstanding on each, pre-serialised.
// Servers (bench/sessions/servers.js) run in their own process on CPU 1, each tool on CPU 0.
import {spawn, spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {availableParallelism, tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {createInterface} from 'node:readline'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..', '..')
const proto = join(root, 'test', 'fixtures', 'grpc', 'echo.proto')
const {values} = parseArgs({
  options: {
    connections: {type: 'string', default: '20'},
    messages: {type: 'string', default: '50'},
    streams: {type: 'string', default: '10'},
    duration: {type: 'string', default: '5'},
    rounds: {type: 'string', default: '3'},
    unpinned: {type: 'boolean', default: false},
  },
})
const connections = Number(values.connections)
const messages = Number(values.messages)
const streams = Number(values.streams)
const durationSec = Number(values.duration)
const rounds = Number(values.rounds)
const pinned =
  !values.unpinned &&
  spawnSync('sh', ['-c', 'command -v taskset'], {encoding: 'utf8'}).stdout.trim() !== '' &&
  availableParallelism() >= 2
const onCpu = (cpu, command, args) => (pinned ? ['taskset', ['-c', String(cpu), command, ...args]] : [command, args])

async function startServers() {
  const [command, args] = onCpu(1, process.execPath, [join(here, 'servers.js'), proto])
  const child = spawn(command, args, {stdio: ['ignore', 'pipe', 'inherit'], cwd: root})
  const line = await new Promise((resolve) => createInterface({input: child.stdout}).once('line', resolve))
  const {ws, grpc} = JSON.parse(line)
  return {ws: `ws://127.0.0.1:${ws}`, grpc: `grpc://127.0.0.1:${grpc}`, stop: () => child.kill()}
}

/**
 * A loop in its own Node process on CPU 0: round trips per second, and the CPU time each took
 * (µs). Local Node servers on one core are about as fast as the clients, so the rate is partly
 * the server's; the CPU per round trip is the client's own cost.
 */
function nodeLoop(code) {
  const [command, args] = onCpu(0, process.execPath, ['--input-type=module', '-e', code])
  const result = spawnSync(command, args, {encoding: 'utf8', cwd: root})
  const [ratePerSec, cpuUs] = result.stdout.trim().split(' ').map(Number)
  if (!(ratePerSec > 0)) throw new Error(`loop failed: ${result.stderr || result.stdout}`)
  return {ratePerSec, cpuUs}
}

const REPORT = `setTimeout(() => { const {user, system} = process.cpuUsage(); console.log(done / ${durationSec} + ' ' + (user + system) / done); process.exit(0) }, ${durationSec * 1000} + 50)`

/** Sessions of `messages` ping-pong round trips on `connections` sockets, with `ws` or undici's WebSocket. */
function wsLoop(url, library) {
  const open =
    library === 'ws'
      ? `import WebSocket from 'ws'
const open = () => { const s = new WebSocket(URL, {perMessageDeflate: false}); return {s, on: (e, f) => s.on(e, f)} }`
      : `import {WebSocket} from 'undici'
const open = () => { const s = new WebSocket(URL); return {s, on: (e, f) => s.addEventListener(e, f)} }`
  return nodeLoop(`${open}
const URL = '${url}'
const stopAt = performance.now() + ${durationSec * 1000}
let done = 0
function session() {
  const {s, on} = open()
  let n = 0
  on('open', () => s.send('hello ' + n))
  on('message', () => {
    done++
    if (++n < ${messages} && performance.now() < stopAt) s.send('hello ' + n)
    else s.close(1000)
  })
  on('close', () => { if (performance.now() < stopAt) session() })
}
for (let i = 0; i < ${connections}; i++) session()
${REPORT}`)
}

/** `streams` unary calls outstanding on each of `connections` channels, the request serialised once. */
function grpcLoop(url) {
  return nodeLoop(`import * as grpc from '@grpc/grpc-js'
import {loadSync} from '@grpc/proto-loader'
const method = loadSync('${proto}')['loadtest.Echo'].Unary
const bytes = method.requestSerialize({text: 'hello'})
const id = (b) => b
const stopAt = performance.now() + ${durationSec * 1000}
let done = 0
for (let c = 0; c < ${connections}; c++) {
  const client = new grpc.Client('${url.replace('grpc://', '')}', grpc.credentials.createInsecure(), {'grpc.use_local_subchannel_pool': 1})
  const call = () => client.makeUnaryRequest(method.path, id, id, bytes, new grpc.Metadata(), {}, (error) => {
    if (!error) done++
    if (performance.now() < stopAt) call()
  })
  for (let s = 0; s < ${streams}; s++) call()
}
${REPORT}`)
}

const dir = mkdtempSync(join(tmpdir(), 'loadplan-bench-sessions-'))
function loadplan(url, scenario, load) {
  const file = join(dir, 'service.yaml')
  writeFileSync(file, `target: ${url}\nscenarios:\n  - name: bench\n${scenario}\nload: ${load}\n`)
  const [command, args] = onCpu(0, process.execPath, [join(root, 'bin', 'run.js'), 'run', file, '--json', '--quiet'])
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: {...process.env, CI: 'true'},
  })
  if (result.status !== 0 && result.status !== 3) throw new Error(`loadplan failed: ${result.stderr}`)
  const out = JSON.parse(result.stdout)
  const measuredMs = out.durationMs - out.options.warmupMs
  // The generator's CPU over the measured time (result.generator), per completed round trip.
  return {
    ratePerSec: (out.totals.completed * 1000) / measuredMs,
    cpuUs: ((out.generator.cpuPct / 100) * measuredMs * 1000) / out.totals.completed,
  }
}

const servers = await startServers()
const load = `{connections: ${connections}, duration: ${durationSec}s}`
const tools = [
  ['ws loop', () => wsLoop(servers.ws, 'ws')],
  ['undici WebSocket loop', () => wsLoop(servers.ws, 'undici')],
  ['loadplan ws', () => loadplan(servers.ws, `    ws: {messages: ${messages}, send: "hello {{msg}}"}`, load)],
  ['grpc-js loop', () => grpcLoop(servers.grpc)],
  [
    'loadplan grpc',
    () =>
      loadplan(
        servers.grpc,
        `    grpc: {proto: ${proto}, method: loadtest.Echo/Unary, message: {text: hello}}`,
        `{connections: ${connections}, streams: ${streams}, duration: ${durationSec}s}`,
      ),
  ],
]
const runs = Object.fromEntries(tools.map(([name]) => [name, []]))
try {
  for (let round = 1; round <= rounds; round++) {
    const shift = (round - 1) % tools.length
    for (const [name, run] of [...tools.slice(shift), ...tools.slice(0, shift)]) runs[name].push(await run())
    process.stderr.write(
      `round ${round}: ${tools.map(([name]) => `${name} ${runs[name].at(-1).ratePerSec.toFixed(0)}/s ${runs[name].at(-1).cpuUs.toFixed(0)} µs`).join(', ')}\n`,
    )
  }
} finally {
  servers.stop()
  rmSync(dir, {recursive: true, force: true})
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
console.log(
  `WebSocket: ${connections} sessions at once × ${messages} round trips; gRPC: ${connections} channels × ${streams} unary calls; ${durationSec} s per run, ${rounds} rounds${pinned ? '; servers on CPU 1, tools on CPU 0' : ''}`,
)
const figures = (name, key) => runs[name].map((r) => r[key])
console.log(`${'tool'.padEnd(24)} ${'median/s'.padStart(9)}  ${'range/s'.padEnd(13)} CPU µs per round trip (range)`)
for (const [name] of tools) {
  const rates = figures(name, 'ratePerSec')
  const cpu = figures(name, 'cpuUs')
  console.log(
    `${name.padEnd(24)} ${median(rates).toFixed(0).padStart(9)}  ${`${Math.min(...rates).toFixed(0)}–${Math.max(...rates).toFixed(0)}`.padEnd(13)} ${median(cpu).toFixed(1)} (${Math.min(...cpu).toFixed(1)}–${Math.max(...cpu).toFixed(1)})`,
  )
}
const ratio = (a, b, key) => {
  const per = runs[a].map((r, i) => r[key] / runs[b][i][key])
  return `${(median(figures(a, key)) / median(figures(b, key))).toFixed(2)} (per round ${Math.min(...per).toFixed(2)}–${Math.max(...per).toFixed(2)})`
}
for (const [a, b] of [
  ['loadplan ws', 'ws loop'],
  ['ws loop', 'undici WebSocket loop'],
  ['loadplan grpc', 'grpc-js loop'],
])
  console.log(
    `${`${a} / ${b}:`.padEnd(40)} rate ${ratio(a, b, 'ratePerSec')}, CPU per round trip ${ratio(a, b, 'cpuUs')}`,
  )
