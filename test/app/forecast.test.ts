/** `loadplan forecast` in-process, from CSV, a recording and a real Prometheus server. */
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import type {ForecastDocument} from '../../src/contracts/results/forecast-document.js'
import {MetricsStore} from '../../src/adapters/store/metrics-store.js'
import {runInProcess} from '../helpers/in-process.js'
import {unusedPort} from '../helpers/local-server.js'
import {hasPrometheus, startPrometheus, type PrometheusServer} from '../helpers/prometheus.js'

const HOUR = 3_600_000
const tmp = () => mkdtempSync(join(tmpdir(), 'loadplan-forecast-'))

/** Three weeks of hourly traffic with daily and weekly cycles and growth, ending at `endMs`. */
function traffic(endMs: number, hours = 24 * 21): Array<[number, number]> {
  return Array.from({length: hours}, (_, i) => {
    const t = endMs - (hours - 1 - i) * HOUR
    const hourOfWeek = Math.floor(t / HOUR) % 168
    const value =
      500 +
      i * 0.5 +
      200 * Math.sin((2 * Math.PI * hourOfWeek) / 24) +
      80 * Math.cos((2 * Math.PI * hourOfWeek) / 168) +
      ((i * 37) % 23)
    return [t, Math.round(value * 10) / 10]
  })
}

function writeCsv(points: Array<[number, number]>): string {
  const file = join(tmp(), 'traffic.csv')
  writeFileSync(file, `timestamp,value\n${points.map(([t, v]) => `${new Date(t).toISOString()},${v}`).join('\n')}\n`)
  return file
}

describe('loadplan forecast from CSV', () => {
  const file = writeCsv(traffic(Date.UTC(2026, 9, 31, 23)))

  it('prints the model, growth, backtest, chart and peaks', async () => {
    const {code, stdout} = await runInProcess(['forecast', file])
    expect(code).toBe(0)
    expect(stdout).toMatch(/^history: 504 hours, 2026-10-11T00:00:00Z … 2026-10-31T23:00:00Z/m)
    expect(stdout).toMatch(/^model: [^;]+; cycles modelled: 24, 168 steps; horizon 168 hours/m)
    // The whole horizon is within what the backtest vouches for: one part, the chosen model.
    expect(stdout).toMatch(/^ {2}steps 1–168: \S+, /m)
    expect(stdout).toMatch(/^growth: \+\d+\.\d% per month \(80% interval/m)
    // Three weeks leave room for one weekly backtest fold after two weeks of training.
    expect(stdout).toMatch(/^backtest \(1 rolling origin\): error relative to the seasonal naive's/m)
    expect(stdout).toMatch(/^ {2}seasonal-naive +1\.000 /m)
    expect(stdout).toContain('●')
    expect(stdout).toMatch(/^ {2}2026-11-01 /m)
  })

  it('writes exactly the CSV columns asked for', async () => {
    const {code, stdout} = await runInProcess(['forecast', file, '--format', 'csv', '--horizon', '48h'])
    expect(code).toBe(0)
    const lines = stdout.trim().split('\n')
    expect(lines[0]).toBe('timestamp,forecast,lo80,hi80,lo95,hi95')
    expect(lines).toHaveLength(49)
    expect(lines[1]).toMatch(/^2026-11-01T00:00:00Z,[\d.]+,[\d.]+,[\d.]+,[\d.]+,[\d.]+$/)
  })

  it('writes a versioned JSON document', async () => {
    const {code, stdout} = await runInProcess([
      'forecast',
      file,
      '--format',
      'json',
      '--model',
      'ets',
      '--horizon',
      '1d',
    ])
    expect(code).toBe(0)
    const doc = JSON.parse(stdout) as ForecastDocument
    expect(doc).toMatchObject({schema: 'loadplan/forecast', version: 1, result: {model: 'ets', resolution: 'hour'}})
    expect(doc.result.points).toHaveLength(24)
    // A day ahead holds no whole month: no peak band.
    expect(doc.monthlyPeakBands).toEqual([])
  })

  it('gives each whole month of a long horizon a peak band, and says the growth serves the far part', async () => {
    const {code, stdout} = await runInProcess(['forecast', file, '--format', 'json', '--horizon', '6mo'])
    expect(code).toBe(0)
    const doc = JSON.parse(stdout) as ForecastDocument
    // Six months of hours from 2026-11-01 cover November to April whole.
    expect(doc.monthlyPeakBands.map((b) => new Date(b.month).toISOString().slice(0, 7))).toEqual([
      '2026-11',
      '2026-12',
      '2027-01',
      '2027-02',
      '2027-03',
      '2027-04',
    ])
    for (const band of doc.monthlyPeakBands) {
      expect(band.p10).toBeLessThanOrEqual(band.p50)
      expect(band.p50).toBeLessThanOrEqual(band.p90)
    }
    expect(doc.result.horizons.map((part) => part.model).at(-1)).toBe('growth')
  })

  it('reports bad input with exit 2 and no stack trace', async () => {
    const {code, stderr} = await runInProcess([
      'forecast',
      '--model',
      'prophet',
      '--format',
      'xlsx',
      '--horizon',
      'soon',
    ])
    expect(code).toBe(2)
    for (const field of ['source:', '--model:', '--format:', '--horizon:']) expect(stderr).toContain(field)
    const dir = tmp()
    writeFileSync(join(dir, 'tiny.csv'), 'timestamp,value\n2026-01-01T00:00:00,1\n')
    const tiny = await runInProcess(['forecast', join(dir, 'tiny.csv')])
    expect(tiny.code).toBe(2)
    expect(tiny.stderr).toContain('a forecast needs history')
    expect(tiny.stderr).not.toMatch(/\n\s+at /)
  })
})

describe('loadplan forecast from a monitor recording', () => {
  it('reads a metric from the database and forecasts it like the same data as CSV', async () => {
    // Given three weeks of hourly traffic stored as monitor periods.
    const points = traffic(Date.UTC(2026, 9, 31, 23))
    const db = join(tmp(), 'host.db')
    const store = new MetricsStore(db)
    store.write(
      points.map(([t, v]) => ({
        periodStartMs: t,
        metric: 'traffic.requests_per_sec',
        mean: v,
        max: v,
        p95: v,
        samples: 60,
      })),
    )
    store.write(points.map(([t]) => ({periodStartMs: t, metric: 'cpu.busy', mean: 1, max: 1, p95: 1, samples: 60})))
    store.close()
    const fromRecording = await runInProcess(['forecast', '--recording', db, '--format', 'csv'])
    const fromCsv = await runInProcess(['forecast', writeCsv(points), '--format', 'csv'])
    expect(fromRecording.code, fromRecording.stderr).toBe(0)
    expect(fromRecording.stdout).toBe(fromCsv.stdout)
    const missing = await runInProcess(['forecast', '--recording', db, '--metric', 'nope'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('no nope rows')
  })
})

describe.skipIf(!hasPrometheus)('loadplan forecast from a real Prometheus server', () => {
  let prometheus: PrometheusServer | undefined
  afterAll(() => prometheus?.stop())

  it('forecasts the same as from the same data as CSV', async () => {
    // Given three weeks of hourly samples ending at the last full hour, backfilled into a TSDB.
    const end = Math.floor(Date.now() / HOUR) * HOUR - HOUR
    const points = traffic(end)
    prometheus = await startPrometheus({loadplan_requests: points})
    const url = prometheus.url

    // When both are forecast.
    const fromPrometheus = await runInProcess([
      'forecast',
      '--prometheus',
      url,
      '--query',
      'loadplan_requests',
      '--since',
      '30d',
      '--step',
      '1h',
      '--format',
      'csv',
    ])
    const fromCsv = await runInProcess(['forecast', writeCsv(points), '--format', 'csv'])

    // Then the forecasts are identical.
    expect(fromPrometheus.code, fromPrometheus.stderr).toBe(0)
    expect(fromCsv.code).toBe(0)
    expect(fromPrometheus.stdout.split('\n')).toHaveLength(170)
    expect(fromPrometheus.stdout).toBe(fromCsv.stdout)
  }, 60_000)

  it('says when Prometheus cannot be reached', async () => {
    const port = await unusedPort()
    const {code, stderr} = await runInProcess(['forecast', '--prometheus', `http://127.0.0.1:${port}`, '--query', 'up'])
    expect(code).toBe(2)
    expect(stderr).toContain('--prometheus: no answer (ECONNREFUSED)')
  })
})
