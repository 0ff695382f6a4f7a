#!/usr/bin/env node
// Backtest of the plan's monthly peak distribution on every long series (not in CI):
//
//   npm run bench:plan-backtest [-- --data ../shared/data/dev-series --data other/folder] [-- --history-days 55]
//
// By default it reads the dev series and bench/data/public-series (npm run data:public-series).
// --history-days N plans from only the last N days before each origin: the model a short history
// gets (four weeks' level and its departures), scored on the same long series.
//
// For each series with at least a year of whole months after 2 weeks of history: from every month
// start with at least a year of history before it (12 months of a monthly series), the plan's
// demand is forecast from what was known then (the same code as `plan`, 1,000 sample paths) and
// each of the next 6 months' actual peak is scored: inside the P10–P90 (80 % expected), inside
// P25–P75 (50 % expected), and |P50 − actual| / actual against the seasonal naive's (the same month
// a year before × the last year's mean over the year before's, or the last month's peak where a
// year before is not known). Prints one row per series and lead, then the totals.
import {readdirSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {parseArgs} from 'node:util'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const {values: args} = parseArgs({
  options: {
    data: {
      type: 'string',
      multiple: true,
      default: [join(root, '..', 'shared', 'data', 'dev-series'), join(root, 'bench', 'data', 'public-series')],
    },
    'history-days': {type: 'string'},
  },
})
const historyMs =
  args['history-days'] === undefined ? Number.POSITIVE_INFINITY : Number(args['history-days']) * 86_400_000
const load = (path) => import(pathToFileURL(join(root, 'dist', 'src', path)).href)
const {readSeriesCsv} = await load('adapters/io/read-series-csv.js')
const {regularise, addSteps} = await load('core/series/regularise.js')
const {forecastDemand} = await load('core/planning/demand-from-forecast.js')
const {monthlyPeaks, backtestCut} = await load('core/planning/plan-backtest.js')

const LEADS = 6
const MIN_MONTHS_BEFORE = 12
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted.length === 0 ? Number.NaN : sorted[Math.floor((sorted.length - 1) / 2)]
}
const pct = (v) => (Number.isFinite(v) ? `${(v * 100).toFixed(0)} %`.padStart(6) : '     –')

const all = []
const began = performance.now()
for (const folder of args.data)
  for (const file of readdirSync(folder)
    .filter((f) => f.endsWith('.csv'))
    .sort()) {
    const {observations} = readSeriesCsv(join(folder, file))
    // The dev-series README: counts are summed into hours, utilisation and levels averaged.
    const aggregate = file.startsWith('Twitter') ? 'sum' : 'mean'
    const {series} = regularise(observations, {aggregate})
    const cut = backtestCut(observations, 1, aggregate)
    const actual = monthlyPeaks(observations, aggregate, -Infinity, cut.endMs)
    const first = observations[0].timeMs
    // Whole months only: the first month counts when the history starts on its first step.
    const whole = actual.filter((m) => m.startMs >= first)
    if (whole.length < MIN_MONTHS_BEFORE + 1) {
      process.stdout.write(`${file}: ${whole.length} whole months, too short (needs ${MIN_MONTHS_BEFORE + 1})\n`)
      continue
    }
    if (series.resolution === 'month' && historyMs !== Number.POSITIVE_INFINITY) {
      process.stdout.write(`${file}: monthly, a history of days does not apply\n`)
      continue
    }
    const peakAt = new Map(whole.map((m) => [m.startMs, m.peak]))
    const rows = []
    for (let o = MIN_MONTHS_BEFORE; o < whole.length; o++) {
      const origin = whole[o].startMs
      const before = observations.filter((x) => x.timeMs < origin && x.timeMs >= origin - historyMs)
      const demand = forecastDemand(before, file, {aggregate, months: LEADS}, origin)
      for (const m of demand.months) {
        const actualPeak = peakAt.get(m.startMs)
        const q = m.peakQuantiles
        if (actualPeak === undefined || !q) continue
        const yearBefore = peakAt.get(addSteps(m.startMs, -12, 'month'))
        const months = whole.filter((w) => w.startMs < origin)
        const mean = (list) => list.reduce((s, w) => s + w.peak, 0) / list.length
        const trend = months.length >= 24 ? mean(months.slice(-12)) / mean(months.slice(-24, -12)) : 1
        // A short history knows only its last month.
        const naive =
          yearBefore !== undefined && historyMs === Number.POSITIVE_INFINITY ? yearBefore * trend : months.at(-1).peak
        rows.push({
          lead: m.month,
          inside80: actualPeak >= q.p10 && actualPeak <= q.p90,
          inside50: actualPeak >= q.p25 && actualPeak <= q.p75,
          error: Math.abs(q.p50 - actualPeak) / actualPeak,
          naiveError: Math.abs(naive - actualPeak) / actualPeak,
        })
      }
    }
    process.stdout.write(
      `\n${file} (${series.resolution}ly, ${whole.length} whole months, ${whole.length - MIN_MONTHS_BEFORE} origins)\n lead  months  in P10–P90  in P25–P75  |P50 err|  |naive err|\n`,
    )
    for (let lead = 1; lead <= LEADS; lead++) {
      const at = rows.filter((r) => r.lead === lead)
      if (at.length === 0) continue
      const share = (pick) => at.filter(pick).length / at.length
      process.stdout.write(
        `${String(lead).padStart(5)}  ${String(at.length).padStart(6)}  ${pct(share((r) => r.inside80)).padStart(10)}  ${pct(share((r) => r.inside50)).padStart(10)}  ${pct(median(at.map((r) => r.error))).padStart(9)}  ${pct(median(at.map((r) => r.naiveError))).padStart(11)}\n`,
      )
    }
    all.push(...rows.map((r) => ({...r, file})))
  }
const share = (pick) => all.filter(pick).length / all.length
process.stdout.write(
  `\nall long series, leads 1–${LEADS}: ${all.length} monthly peaks; inside P10–P90 ${pct(share((r) => r.inside80)).trim()} (80 % expected, 70–90 % passes), inside P25–P75 ${pct(share((r) => r.inside50)).trim()} (50 % expected, 40–60 % passes); median |P50 error| ${pct(median(all.map((r) => r.error))).trim()} against the seasonal naive's ${pct(median(all.map((r) => r.naiveError))).trim()}; ${((performance.now() - began) / 1000).toFixed(1)} s\n`,
)
