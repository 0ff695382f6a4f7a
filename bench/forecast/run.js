#!/usr/bin/env node
// Forecast accuracy and speed on the development series (not in CI):
//
//   npm run bench:forecast [-- --data ../shared/data/dev-series]
//
// Every model, and the automatic choice, is fitted on each series without its tail (the last
// 7 days of hourly data, the last year of daily, the last 12 months of monthly) and scored on
// that tail: MASE scaled by the in-sample seasonal naive (weekly for hourly data when the
// training part holds two weeks, else daily), MASE relative to the seasonal naive's, 80 % and
// 95 % interval coverage, and fit + forecast time. Then the geometric mean of relative MASE, and
// the time to fit + forecast 5,000 hourly points.
import {readdirSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {parseArgs} from 'node:util'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const {values: args} = parseArgs({
  options: {data: {type: 'string', default: join(root, '..', 'shared', 'data', 'dev-series')}},
})
const load = (path) => import(pathToFileURL(join(root, 'dist', 'src', path)).href)
const {readSeriesCsv} = await load('adapters/io/read-series-csv.js')
const {regularise} = await load('core/series/regularise.js')
const {forecastSeries, modelContext} = await load('core/forecast/forecast.js')
const {MODEL_NAMES} = await load('contracts/results/forecast-document.js')
const {coverage, mase, msis} = await load('core/forecast/metrics.js')

const HOLDOUT = {hour: 168, day: 365, month: 12}
const rows = []
for (const file of readdirSync(args.data)
  .filter((f) => f.endsWith('.csv'))
  .sort()) {
  const csv = readSeriesCsv(join(args.data, file))
  // The dev-series README: counts are summed into hours, utilisation and levels averaged.
  const {series} = regularise(csv.observations, {aggregate: file.startsWith('Twitter') ? 'sum' : 'mean'})
  const holdout = HOLDOUT[series.resolution]
  const n = series.values.length - holdout
  const training = {...series, timestamps: series.timestamps.slice(0, n), values: series.values.slice(0, n)}
  const actual = series.values.slice(n)
  const {season} = modelContext(series.resolution, n)
  const row = {file, resolution: series.resolution, training: n, scaleLag: season, models: {}}
  for (const model of [...MODEL_NAMES, 'auto']) {
    const started = performance.now()
    const result = forecastSeries(training, {horizonSteps: holdout, model})
    const ms = performance.now() - started
    const f = result.points.map((p) => p.forecast)
    row.models[model] = {
      chosen: result.model,
      mase: mase(actual, f, training.values, season),
      cov80: coverage(
        actual,
        result.points.map((p) => p.lo80),
        result.points.map((p) => p.hi80),
      ),
      cov95: coverage(
        actual,
        result.points.map((p) => p.lo95),
        result.points.map((p) => p.hi95),
      ),
      ms,
    }
  }
  rows.push(row)
}

const pad = (s, n) => String(s).padStart(n)
const names = [...MODEL_NAMES, 'auto']
console.log(`relative MASE (model MASE / seasonal-naive MASE on the held-out tail); seasonal naive lag in brackets\n`)
console.log(`${'series'.padEnd(34)}${names.map((n) => pad(n, 19)).join('')}`)
for (const row of rows) {
  const base = row.models['seasonal-naive'].mase
  console.log(
    `${`${row.file} [${row.scaleLag}]`.padEnd(34)}${names.map((n) => pad((row.models[n].mase / base).toFixed(3), 19)).join('')}`,
  )
}
const geo = (n) =>
  Math.exp(rows.reduce((s, r) => s + Math.log(r.models[n].mase / r.models['seasonal-naive'].mase), 0) / rows.length)
console.log(`${'geometric mean'.padEnd(34)}${names.map((n) => pad(geo(n).toFixed(3), 19)).join('')}`)

console.log(`\nautomatic choice per series: MASE, chosen model, 80 % and 95 % coverage, fit + forecast time`)
for (const row of rows) {
  const a = row.models.auto
  console.log(
    `${row.file.padEnd(34)} MASE ${a.mase.toFixed(3)}  ${a.chosen.padEnd(18)} cov80 ${(a.cov80 * 100).toFixed(1)}%  cov95 ${(a.cov95 * 100).toFixed(1)}%  ${a.ms.toFixed(0)} ms`,
  )
}
const mean = (k) => rows.reduce((s, r) => s + r.models.auto[k], 0) / rows.length
console.log(
  `${'mean'.padEnd(34)}                                cov80 ${(mean('cov80') * 100).toFixed(1)}%  cov95 ${(mean('cov95') * 100).toFixed(1)}%`,
)

// Prediction intervals at every history length: the full histories, and each hourly series cut to
// its last 10 and 21 days before the held-out week (short histories are when users start).
const intervalRows = []
for (const file of readdirSync(args.data)
  .filter((f) => f.endsWith('.csv'))
  .sort()) {
  const csv = readSeriesCsv(join(args.data, file))
  const {series} = regularise(csv.observations, {aggregate: file.startsWith('Twitter') ? 'sum' : 'mean'})
  const holdout = HOLDOUT[series.resolution]
  const groups =
    series.resolution === 'hour'
      ? [
          ['full', Infinity],
          ['last 21 days', 21 * 24],
          ['last 10 days', 10 * 24],
        ]
      : [['full', Infinity]]
  for (const [group, keep] of groups) {
    const end = series.values.length - holdout
    const from = Math.max(0, end - keep)
    const training = {...series, timestamps: series.timestamps.slice(from, end), values: series.values.slice(from, end)}
    const actual = series.values.slice(end)
    const {season} = modelContext(series.resolution, training.values.length)
    const result = forecastSeries(training, {horizonSteps: holdout})
    const col = (k) => result.points.map((p) => p[k])
    // Does the held-back part sit at a level the history never reached (a shift no interval can foresee)?
    const finite = training.values.filter(Number.isFinite)
    const median = (list) => [...list].sort((a, b) => a - b)[list.length >> 1]
    const heldMedian = median(actual.filter(Number.isFinite))
    const shifted = heldMedian > Math.max(...finite) || heldMedian < Math.min(...finite)
    intervalRows.push({
      file,
      group,
      points: training.values.length,
      cov80: coverage(actual, col('lo80'), col('hi80')),
      cov95: coverage(actual, col('lo95'), col('hi95')),
      msis: msis(actual, col('lo95'), col('hi95'), training.values, season),
      band: result.interval?.method ?? '',
      shifted,
    })
  }
}
console.log(
  '\nprediction intervals per history length: coverage of the held-out part, MSIS (95 %, lower is better), how the band was built',
)
for (const group of ['full', 'last 21 days', 'last 10 days']) {
  const members = intervalRows.filter((r) => r.group === group)
  for (const r of members)
    console.log(
      `${group.padEnd(13)} ${r.file.padEnd(32)} ${String(r.points).padStart(6)} pts  cov80 ${(r.cov80 * 100).toFixed(1).padStart(5)}%  cov95 ${(r.cov95 * 100).toFixed(1).padStart(5)}%  MSIS ${r.msis.toFixed(2).padStart(7)}  ${r.band}${r.shifted ? '  (held-out median outside the history: level shift)' : ''}`,
    )
  const avg = (k) => members.reduce((sum, r) => sum + r[k], 0) / members.length
  console.log(
    `${group.padEnd(13)} ${'mean'.padEnd(32)}            cov80 ${(avg('cov80') * 100).toFixed(1).padStart(5)}%  cov95 ${(avg('cov95') * 100).toFixed(1).padStart(5)}%  MSIS ${avg('msis').toFixed(2).padStart(7)}\n`,
  )
}

// Speed: 5,000 hourly points with daily and weekly cycles, a trend and noise.
const timestamps = []
const values = []
let seed = 7
const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 20
for (let t = 0; t < 5000; t++) {
  timestamps.push(Date.UTC(2026, 0, 1) + t * 3600_000)
  values.push(200 + 0.02 * t + 60 * Math.sin((2 * Math.PI * t) / 24) + 30 * Math.sin((2 * Math.PI * t) / 168) + noise())
}
const started = performance.now()
const speed = forecastSeries({resolution: 'hour', timestamps, values}, {horizonSteps: 168})
console.log(
  `\n5,000 hourly points: fit (all models backtested) + forecast 168 h in ${(performance.now() - started).toFixed(0)} ms (chose ${speed.model})`,
)
