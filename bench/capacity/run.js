#!/usr/bin/env node
// Capacity search accuracy and cost on known-answer servers (not in CI):
//
//   npm run bench:capacity [-- --slo "p99<250ms"]
//
// Runs `loadplan capacity URL` with its default search settings against three servers in a
// separate process: 4 slots × 10 ms (400/s nominal), 2 slots × 25 ms (80/s nominal) and a
// CPU-bound handler. The answer is what each server measured of itself: slots / the mean time a
// slot was really held (timers fire late), or 1 / the CPU time per request. Prints the sustainable
// rate found, its error against the answer and the seconds the search took; goals ±5 % and ≤ 60 s.
import {execFileSync, spawn} from 'node:child_process'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'
import {createInterface} from 'node:readline'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const {values: args} = parseArgs({options: {slo: {type: 'string', default: 'p99<250ms'}}})
const child = spawn(process.execPath, [join(root, 'bench', 'capacity', 'servers.cjs')], {
  stdio: ['ignore', 'pipe', 'inherit'],
})
const urls = JSON.parse(await new Promise((resolve) => createInterface({input: child.stdout}).once('line', resolve)))
const rows = []
try {
  for (const [name, url] of Object.entries(urls)) {
    const started = performance.now()
    const out = execFileSync(
      process.execPath,
      [join(root, 'bin', 'run.js'), 'capacity', `${url}/`, '--slo', args.slo, '--json', '--quiet'],
      {encoding: 'utf8', maxBuffer: 64 << 20},
    )
    const seconds = (performance.now() - started) / 1000
    const result = JSON.parse(out)
    const answer = (await (await fetch(`${url}/stats`)).json()).capacityPerSec
    rows.push({name, answer, found: result.sustainableRatePerSec, steps: result.steps.length, seconds})
  }
} finally {
  child.kill()
}
console.log(
  `loadplan capacity with its defaults, SLO ${args.slo}; goals: within ±5 % of the answer, at most 60 s of load\n`,
)
console.log(
  `${'server'.padEnd(14)}${'answer/s'.padStart(10)}${'found/s'.padStart(10)}${'error'.padStart(9)}${'steps'.padStart(7)}${'seconds'.padStart(9)}  goals`,
)
for (const r of rows) {
  const error = r.found === null ? Number.NaN : r.found / r.answer - 1
  const met = Math.abs(error) <= 0.05 && r.seconds <= 60
  console.log(
    `${r.name.padEnd(14)}${r.answer.toFixed(1).padStart(10)}${String(r.found).padStart(10)}${`${(error * 100).toFixed(1)}%`.padStart(9)}${String(r.steps).padStart(7)}${r.seconds.toFixed(1).padStart(9)}  ${met ? 'met' : 'MISSED'}`,
  )
}
