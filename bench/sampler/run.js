#!/usr/bin/env node
// CPU cost of host sampling (not in CI): loadplan's /proc sampler and systeminformation's
// equivalent dynamic calls, each at 1 Hz for 60 s in its own process, one after the other.
//
//   npm run bench:sampler [-- --seconds 60]
import {execFileSync} from 'node:child_process'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

const here = dirname(fileURLToPath(import.meta.url))
const {values} = parseArgs({options: {seconds: {type: 'string', default: '60'}}})
const run = (which) =>
  JSON.parse(execFileSync(process.execPath, [join(here, 'probe.cjs'), which, values.seconds], {encoding: 'utf8'}))
const loadplan = run('loadplan')
const si = run('systeminformation')
const row = (r) =>
  `${r.which.padEnd(18)} ${r.selfPct.toFixed(3).padStart(8)}% ${r.childPct.toFixed(3).padStart(8)}% ${r.totalPct.toFixed(3).padStart(8)}% ${String(r.childProcesses).padStart(10)} ${r.childrenPerTick.toFixed(2).padStart(10)}`
console.log(`1 Hz for ${values.seconds} s each; CPU as % of one core (from /proc/self/stat)`)
console.log(
  `${'sampler'.padEnd(18)} ${'self'.padStart(9)} ${'children'.padStart(9)} ${'total'.padStart(9)} ${'processes'.padStart(10)} ${'per tick'.padStart(10)}`,
)
console.log(row(loadplan))
console.log(row(si))
console.log(`systeminformation costs ${(si.totalPct / loadplan.totalPct).toFixed(1)}× loadplan's sampler`)
