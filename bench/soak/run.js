#!/usr/bin/env node --expose-gc
// Soak check (not in CI): a fixed arrival rate for 10 minutes against a local server in its own
// process, sampling the load generator's heap after a forced GC. A flat heapUsed means the
// request loop leaks nothing per request.
//
//   node --expose-gc bench/soak/run.js [--rate 2000] [--minutes 10]   (after npm run build)
import {spawn} from 'node:child_process'
import {dirname, join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {parseArgs} from 'node:util'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const {values} = parseArgs({
  options: {rate: {type: 'string', default: '2000'}, minutes: {type: 'string', default: '10'}},
})
const {resolveRunOptions} = await import(pathToFileURL(join(root, 'dist/src/config/run-options.js')).href)
const {startRun} = await import(pathToFileURL(join(root, 'dist/src/core/engine/run-load.js')).href)

const server = spawn(
  process.execPath,
  [
    '-e',
    `const s = require('http').createServer((q, r) => r.end('ok')); s.keepAliveTimeout = 60000; s.listen(0, '127.0.0.1', () => console.log(s.address().port))`,
  ],
  {stdio: ['ignore', 'pipe', 'inherit']},
)
const port = await new Promise((resolve) => server.stdout.once('data', (d) => resolve(Number(String(d).trim()))))

const heapMb = () => {
  globalThis.gc?.()
  return process.memoryUsage().heapUsed / 1e6
}
const options = resolveRunOptions({
  url: `http://127.0.0.1:${port}/`,
  flags: {arrivalRate: `${values.rate}/s`, duration: `${values.minutes}m`},
  defaultSeed: 1,
})
const handle = startRun(options, {toolVersion: 'soak'})
const samples = []
const started = Date.now()
const timer = setInterval(() => {
  const sample = {
    minute: ((Date.now() - started) / 60000).toFixed(1),
    heapUsedMb: heapMb().toFixed(1),
    completed: handle.snapshot().counters.completed,
  }
  samples.push(sample)
  console.error(JSON.stringify(sample))
}, 30_000)
const result = await handle.done
clearInterval(timer)
server.kill('SIGTERM')
const first = samples[1] ?? samples[0] // the first sample after warm-up
const last = samples.at(-1)
console.log(
  `rate ${values.rate}/s for ${values.minutes} min: ${result.totals.completed} completed, ${result.totals.dropped} dropped, p99 ${result.latency.corrected.percentilesMs['99']} ms`,
)
console.log(`heapUsed at ${first.minute} min: ${first.heapUsedMb} MB; at ${last.minute} min: ${last.heapUsedMb} MB`)
