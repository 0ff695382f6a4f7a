#!/usr/bin/env node
// Plan explorer recomputation (not in CI):
//
//   npm run bench:plan-explorer [-- --rounds 20]
//
// The example service over 12 months (forecast from the bundled history, capacity from the bundled
// result, cache and database tiers, storage and egress), explored across all three providers: every
// key that recomputes is pressed `rounds` times, the first visit to each provider included (it ranks
// that provider's families), and the region and architecture keys (active-active plans two regions).
// Goal: at most 50 ms per key. The competitor is what each answer cost
// before the explorer: a new `loadplan plan … --json` process for the same flags.
import {execFileSync} from 'node:child_process'
import {dirname, join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {parseArgs} from 'node:util'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const {values: args} = parseArgs({options: {rounds: {type: 'string', default: '20'}}})
const rounds = Number(args.rounds)
const GOAL_MS = 50
const load = (path) => import(pathToFileURL(join(root, 'dist', 'src', path)).href)
const {preparePlanRequest} = await load('app/plan.js')
const {PlanExplorer} = await load('app/plan-explorer.js')

const flags = {
  history: join(root, 'plans/data/sample-traffic.csv'),
  capacity: join(root, 'plans/data/synthetic-capacity.json'),
}
const argv = ['plan', join(root, 'plans/example.yaml'), '--history', flags.history, '--capacity', flags.capacity]
const preparedAt = performance.now()
const prepared = await preparePlanRequest({file: join(root, 'plans/example.yaml'), flags, nowMs: Date.now()})
const explorer = new PlanExplorer(prepared, {bin: 'loadplan', argv})
const prepareMs = performance.now() - preparedAt

const times = new Map()
const press = (key) => {
  const started = performance.now()
  explorer.press(key)
  const ms = performance.now() - started
  times.set(key, [...(times.get(key) ?? []), ms])
}
const months = explorer.current().doc.plan.months.length
for (let round = 0; round < rounds; round++) {
  // Three providers in turn; at each, the other keys.
  for (let p = 0; p < 3; p++) {
    press('provider')
    for (const key of ['redundancy', 'risk', 'utilization-up', 'utilization-down', 'family-next', 'family-previous'])
      press(key)
    // Another region, then active-active across two (AWS has one priced region: a message), and back.
    press('region')
    press('architecture')
    press('architecture')
  }
}
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]

// The competitor, in the same run: the command line per answer.
const cliMs = []
for (let i = 0; i < 3; i++) {
  const started = performance.now()
  execFileSync(process.execPath, [join(root, 'bin', 'run.js'), ...argv, '--redundancy', 'n+2', '--json'], {
    stdio: 'ignore',
    env: {...process.env, CI: 'true'},
  })
  cliMs.push(performance.now() - started)
}
const cliMedian = quantile(cliMs, 0.5)

console.log(
  `${months}-month plan, 3 providers, ${rounds} rounds; prepare (read, forecast, first plan) ${prepareMs.toFixed(0)} ms once\n`,
)
console.log(
  `${'key'.padEnd(18)}${'presses'.padStart(8)}${'p50 ms'.padStart(9)}${'p95 ms'.padStart(9)}${'max ms'.padStart(9)}`,
)
let worst = 0
for (const [key, xs] of times) {
  worst = Math.max(worst, ...xs)
  console.log(
    `${key.padEnd(18)}${String(xs.length).padStart(8)}${quantile(xs, 0.5).toFixed(2).padStart(9)}${quantile(xs, 0.95).toFixed(2).padStart(9)}${Math.max(
      ...xs,
    )
      .toFixed(2)
      .padStart(9)}`,
  )
}
const all = [...times.values()].flat()
console.log(`\nslowest key: ${worst.toFixed(1)} ms (goal ≤ ${GOAL_MS} ms: ${worst <= GOAL_MS ? 'met' : 'MISSED'})`)
console.log(
  `a new 'loadplan plan --json' per answer: median ${cliMedian.toFixed(0)} ms of ${cliMs.length}; explorer p50 ${quantile(all, 0.5).toFixed(2)} ms = ${(cliMedian / quantile(all, 0.5)).toFixed(0)}× faster, slowest key ${(cliMedian / worst).toFixed(0)}× faster`,
)
