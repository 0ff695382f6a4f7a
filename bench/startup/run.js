#!/usr/bin/env node
// Start-up of the built CLI: the median wall time of 10 runs of each command, in absolute ms and
// as a ratio to `node -e 0` measured in the same run, next to autocannon's start. Runs are
// interleaved (one of each per round) so that a busy moment of the machine hits all alike.
//
//   npm run bench:startup -- [--runs 10]
//
// Goals (issue 20, set where `node -e 0` took 80 ms, so judged as ratios to it): --version and
// --help ≤ 250 ms; a forecast of 5,000 hourly points ≤ 800 ms; `run URL -a 1` ≤ 500 ms.
import {spawn} from 'node:child_process'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:http'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const {values} = parseArgs({options: {runs: {type: 'string', default: '10'}}})
const runs = Number(values.runs)

// A local target on 127.0.0.1, answering at once; in this process (the runs are spawned, so it keeps answering).
const server = createServer((_request, response) => response.end('ok'))
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
const url = `http://127.0.0.1:${server.address().port}/`

// 5,000 hourly points: a daily cycle, slow growth and noise.
const csv = join(mkdtempSync(join(tmpdir(), 'loadplan-startup-')), 'hourly.csv')
const start = Date.UTC(2026, 0, 1)
const rows = Array.from(
  {length: 5000},
  (_, h) =>
    `${new Date(start + h * 3_600_000).toISOString()},${(500 + 300 * Math.sin((2 * Math.PI * h) / 24) + h * 0.02 + 20 * Math.sin(h * 7.1)).toFixed(2)}`,
)
writeFileSync(csv, `timestamp,value\n${rows.join('\n')}\n`)

const bin = join(root, 'bin', 'run.js')
const autocannon = join(root, 'node_modules', 'autocannon', 'autocannon.js')
const cases = [
  {name: 'node -e 0', args: ['-e', '0']},
  {name: 'loadplan --version', args: [bin, '--version'], goalMs: 250},
  {name: 'loadplan --help', args: [bin, '--help'], goalMs: 250},
  {name: 'loadplan run URL -a 1', args: [bin, 'run', url, '-a', '1', '--quiet'], goalMs: 500},
  {name: 'loadplan forecast (5,000 h)', args: [bin, 'forecast', csv, '--format', 'csv'], goalMs: 800},
  {name: 'autocannon --version', args: [autocannon, '--version']},
  {name: 'autocannon -a 1 URL', args: [autocannon, '-a', '1', url]},
]

function timeOnce(args) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn(process.execPath, args, {stdio: 'ignore', env: {...process.env, CI: 'true'}})
    child.on('error', reject)
    child.on('close', (code) =>
      code === 0
        ? resolve(Number(process.hrtime.bigint() - started) / 1e6)
        : reject(new Error(`${args.join(' ')} exited ${code}`)),
    )
  })
}

const samples = new Map(cases.map((c) => [c.name, []]))
for (let round = 0; round < runs; round++) for (const c of cases) samples.get(c.name).push(await timeOnce(c.args))
server.close()

const median = (list) => {
  const sorted = [...list].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
const base = median(samples.get('node -e 0'))
// The goals were set on a quiet machine where `node -e 0` took 80 ms; on a busy or slower one every
// start is slower alike, so each goal is judged as its ratio to `node -e 0` in this same run.
const GOAL_BASE_MS = 80
console.log(
  `median of ${runs} runs each, interleaved; ratio to node -e 0 (${base.toFixed(0)} ms) in this run; goals as ratios to node -e 0 = ${GOAL_BASE_MS} ms`,
)
for (const c of cases) {
  const ms = median(samples.get(c.name))
  const ratio = ms / base
  const goalRatio = c.goalMs / GOAL_BASE_MS
  const verdict =
    c.goalMs === undefined
      ? ''
      : `  goal ≤ ${c.goalMs} ms = ×${goalRatio.toFixed(2)}: ${ratio <= goalRatio ? 'met' : 'NOT met'} (${(ratio * GOAL_BASE_MS).toFixed(0)} ms at an ${GOAL_BASE_MS} ms node -e 0)`
  console.log(`${c.name.padEnd(30)} ${ms.toFixed(0).padStart(6)} ms  ×${ratio.toFixed(2)}${verdict}`)
}
