#!/usr/bin/env node
// Forecast accuracy and speed (not in CI):
//
//   npm run bench:forecast [-- --data <folder> ... ] [--no-reference] [--models]
//
// Series: the shared development series and bench/data/traffic-series (npm run data:traffic-series).
// Each is cut before its held-out tail (the last 7 days of hourly data, the last 8 weeks of daily,
// the last 12 months of monthly); hourly series are also cut to their last 21 and 10 days before
// that tail, where users start. On every cut the automatic forecast and the seasonal naive (the
// same hour a week before, or a day before under two weeks) are scored on the tail:
// - MASE relative to the seasonal naive's (both scaled by the in-sample seasonal naive);
// - the peak error: mean |forecast peak − actual peak| / actual peak over the tail's periods
//   (days for hourly data, weeks for daily, the year for monthly), what plans size on;
// - 80 % and 95 % interval coverage, and MSIS.
// R's forecast package (ETS, TBATS, auto.arima, STLF; Debian r-cran-forecast) is run on the same
// cuts as a reference where Rscript is installed (bench/forecast/reference.R). --models adds every
// single model on the full histories. Last, the time to fit + forecast 5,000 hourly points.
// R takes about half an hour for every cut (auto.arima and TBATS on weeks of hours), so its
// forecasts are kept in ~/.cache/loadplan/forecast-reference, keyed by the cut's values, periods
// and horizon; --no-reference skips R.
import {execFileSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import {homedir, tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {parseArgs} from 'node:util'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const {values: args} = parseArgs({
  options: {
    data: {
      type: 'string',
      multiple: true,
      default: [join(root, '..', 'shared', 'data', 'dev-series'), join(root, 'bench', 'data', 'traffic-series')],
    },
    'no-reference': {type: 'boolean', default: false},
    models: {type: 'boolean', default: false},
  },
})
const load = (path) => import(pathToFileURL(join(root, 'dist', 'src', path)).href)
const {readSeriesCsv} = await load('adapters/io/read-series-csv.js')
const {regularise} = await load('core/series/regularise.js')
const {forecastSeries, modelContext} = await load('core/forecast/forecast.js')
const {MODEL_NAMES} = await load('contracts/results/forecast-document.js')
const {coverage, mase, msis, peakError} = await load('core/forecast/metrics.js')

const HOLDOUT = {hour: 168, day: 56, month: 12}
const PEAK_PERIOD = {hour: 24, day: 7, month: 12}
const cuts = []
for (const folder of args.data)
  for (const file of readdirSync(folder)
    .filter((f) => f.endsWith('.csv'))
    .sort()) {
    const csv = readSeriesCsv(join(folder, file))
    // Counts are summed into hours, utilisation and levels averaged (the dev-series README).
    const counts = /^(Twitter|twitter|nasa|ec2-network|wikipedia)/.test(file)
    const {series} = regularise(csv.observations, {aggregate: counts ? 'sum' : 'mean'})
    const holdout = HOLDOUT[series.resolution]
    const end = series.values.length - holdout
    const groups =
      series.resolution === 'hour'
        ? [
            ['full', Infinity],
            ['21 days', 21 * 24],
            ['10 days', 10 * 24],
          ]
        : [['full', Infinity]]
    for (const [group, keep] of groups) {
      if (keep !== Infinity && end <= keep) continue
      const from = Math.max(0, end - keep)
      const training = {
        ...series,
        timestamps: series.timestamps.slice(from, end),
        values: series.values.slice(from, end),
      }
      cuts.push({file, group, resolution: series.resolution, training, actual: series.values.slice(end), holdout})
    }
  }

const bandOf = (points) => ({
  forecast: points.map((p) => p.forecast),
  lo80: points.map((p) => p.lo80),
  hi80: points.map((p) => p.hi80),
  lo95: points.map((p) => p.lo95),
  hi95: points.map((p) => p.hi95),
})
function score(cut, band, season) {
  const {actual, training} = cut
  return {
    mase: mase(actual, band.forecast, training.values, season),
    peak: peakError(actual, band.forecast, PEAK_PERIOD[cut.resolution]),
    cov80: band.lo80 ? coverage(actual, band.lo80, band.hi80) : Number.NaN,
    cov95: band.lo95 ? coverage(actual, band.lo95, band.hi95) : Number.NaN,
    msis: band.lo95 ? msis(actual, band.lo95, band.hi95, training.values, season) : Number.NaN,
  }
}

// Ours: the automatic choice, and the seasonal naive it must beat.
for (const cut of cuts) {
  const {season} = modelContext(cut.resolution, cut.training.values.length)
  cut.season = season
  cut.periods = modelContext(cut.resolution, cut.training.values.length).periods
  const naive = forecastSeries(cut.training, {horizonSteps: cut.holdout, model: 'seasonal-naive'})
  cut.scores = {'seasonal-naive': score(cut, bandOf(naive.points), season)}
  const started = performance.now()
  const auto = forecastSeries(cut.training, {horizonSteps: cut.holdout})
  cut.ms = performance.now() - started
  cut.chosen = auto.model
  cut.scores.auto = score(cut, bandOf(auto.points), season)
  if (args.models && cut.group === 'full')
    for (const model of MODEL_NAMES) {
      const result = forecastSeries(cut.training, {horizonSteps: cut.holdout, model})
      cut.scores[model] = score(cut, bandOf(result.points), season)
    }
}

// The reference: R's forecast package on the same cuts, where it is installed.
const REFERENCE = ['ets', 'tbats', 'auto.arima', 'stlf']
let referenceNote = ''
const hasR = (() => {
  try {
    execFileSync('Rscript', ['-e', 'library(forecast)'], {stdio: 'ignore'})
    return true
  } catch {
    return false
  }
})()
if (args['no-reference']) referenceNote = 'R reference skipped (--no-reference)'
else if (!hasR)
  referenceNote = 'R reference skipped: no Rscript with the forecast package (apt install r-cran-forecast)'
else {
  const cache = join(homedir(), '.cache', 'loadplan', 'forecast-reference')
  mkdirSync(cache, {recursive: true})
  const periodsOf = (cut) => (cut.periods.length > 0 ? cut.periods.map((p) => Math.round(p * 100) / 100) : [1])
  const keyOf = (cut) =>
    createHash('sha256')
      .update(`${cut.training.values.join(',')}|${periodsOf(cut).join(';')}|${cut.holdout}`)
      .digest('hex')
      .slice(0, 24)
  const missing = cuts.filter((cut) => !existsSync(join(cache, `${keyOf(cut)}.done`)))
  const started = performance.now()
  if (missing.length > 0) {
    const folder = mkdtempSync(join(tmpdir(), 'loadplan-forecast-reference-'))
    try {
      const tasks = missing.map((cut) => {
        const key = keyOf(cut)
        writeFileSync(
          join(folder, `${key}.txt`),
          cut.training.values.map((v) => (Number.isFinite(v) ? v : 'NA')).join('\n'),
        )
        return `${key},${periodsOf(cut).join(';')},${cut.holdout}`
      })
      writeFileSync(join(folder, 'tasks.csv'), `id,periods,horizon\n${tasks.join('\n')}\n`)
      process.stderr.write(`R reference: ${missing.length} cuts to forecast (about 30 s each)\n`)
      execFileSync('Rscript', [join(root, 'bench', 'forecast', 'reference.R'), folder], {
        stdio: ['ignore', 'ignore', 'inherit'],
      })
      for (const cut of missing) {
        const key = keyOf(cut)
        for (const method of REFERENCE)
          for (const ext of ['csv', 'ms'])
            if (existsSync(join(folder, `${key}.${method}.${ext}`)))
              copyFileSync(join(folder, `${key}.${method}.${ext}`), join(cache, `${key}.${method}.${ext}`))
        writeFileSync(join(cache, `${key}.done`), '')
      }
    } finally {
      rmSync(folder, {recursive: true, force: true})
    }
  }
  referenceNote = `R forecast package ${execFileSync('Rscript', ['-e', 'cat(as.character(packageVersion("forecast")))'], {encoding: 'utf8'})}: ${cuts.length} cuts × ${REFERENCE.length} methods, ${missing.length} cuts run now (${((performance.now() - started) / 1000).toFixed(0)} s), the rest from ${cache}`
  for (const cut of cuts) {
    const key = keyOf(cut)
    for (const method of REFERENCE) {
      const path = join(cache, `${key}.${method}.csv`)
      if (!existsSync(path)) continue
      const rows = readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split(',').map(Number))
      const column = (k) => rows.map((r) => r[k])
      cut.scores[`R ${method}`] = score(
        cut,
        {forecast: column(0), lo80: column(1), hi80: column(2), lo95: column(3), hi95: column(4)},
        cut.season,
      )
    }
  }
}

const methods = [
  'seasonal-naive',
  'auto',
  ...(args.models ? MODEL_NAMES.filter((m) => m !== 'seasonal-naive') : []),
  ...REFERENCE.map((m) => `R ${m}`),
]
const pct = (x) => `${(x * 100).toFixed(1)}%`
const rel = (cut, m) => cut.scores[m].mase / cut.scores['seasonal-naive'].mase
const pad = (s, n) => String(s).padStart(n)

console.log(
  "relative MASE per cut (MASE / the seasonal naive's on the held-out tail), the automatic choice, its peak error and coverage\n",
)
console.log(
  `${'series'.padEnd(34)}${'cut'.padEnd(9)}${pad('pts', 6)}${pad('auto', 7)}${pad('chosen', 20)}${pad('peak', 8)}${pad('naive pk', 9)}${pad('cov80', 7)}${pad('cov95', 7)}${pad('ms', 6)}`,
)
for (const cut of cuts) {
  const a = cut.scores.auto
  console.log(
    `${cut.file.padEnd(34)}${cut.group.padEnd(9)}${pad(cut.training.values.length, 6)}${pad(rel(cut, 'auto').toFixed(3), 7)}${pad(cut.chosen, 20)}${pad(pct(a.peak), 8)}${pad(pct(cut.scores['seasonal-naive'].peak), 9)}${pad(pct(a.cov80), 7)}${pad(pct(a.cov95), 7)}${pad(cut.ms.toFixed(0), 6)}`,
  )
}

console.log(
  '\nsummary per history length: geometric-mean relative MASE, worst series, mean peak error, mean coverage (80 % / 95 %)\n',
)
console.log(
  `${'cut'.padEnd(9)}${'method'.padEnd(20)}${pad('series', 7)}${pad('geo rel', 9)}${pad('worst', 8)}${pad('>1.10', 7)}${pad('peak err', 10)}${pad('cov80', 8)}${pad('cov95', 8)}${pad('MSIS', 8)}`,
)
for (const group of ['full', '21 days', '10 days', 'all']) {
  const members = cuts.filter((c) => group === 'all' || c.group === group)
  for (const method of methods) {
    const scored = members.filter((c) => c.scores[method] && Number.isFinite(rel(c, method)))
    if (scored.length === 0) continue
    const rels = scored.map((c) => rel(c, method))
    const geo = Math.exp(rels.reduce((s, r) => s + Math.log(r), 0) / rels.length)
    const mean = (k) => {
      const list = scored.map((c) => c.scores[method][k]).filter(Number.isFinite)
      return list.length ? list.reduce((s, v) => s + v, 0) / list.length : Number.NaN
    }
    const worst = Math.max(...rels)
    const over = rels.filter((r) => r > 1.1).length
    const covered = Number.isFinite(mean('cov80'))
    console.log(
      `${group.padEnd(9)}${method.padEnd(20)}${pad(scored.length, 7)}${pad(geo.toFixed(3), 9)}${pad(worst.toFixed(2), 8)}${pad(over, 7)}${pad(pct(mean('peak')), 10)}${pad(covered ? pct(mean('cov80')) : '', 8)}${pad(covered ? pct(mean('cov95')) : '', 8)}${pad(covered ? mean('msis').toFixed(2) : '', 8)}`,
    )
  }
  console.log('')
}
if (referenceNote) console.log(referenceNote)

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
