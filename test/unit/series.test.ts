import {describe, expect, it} from 'vitest'
import {parseSeriesCsv, parseTimestamp} from '../../src/adapters/io/read-series-csv.js'
import {addSteps, regularise} from '../../src/core/series/regularise.js'

const H = 3_600_000
const t0 = Date.UTC(2026, 2, 1)

describe('regularise', () => {
  it('sorts, combines duplicates, keeps gaps as gaps and reports each', () => {
    const {series, report} = regularise([
      {timeMs: t0 + 2 * H, value: 30},
      {timeMs: t0, value: 10},
      {timeMs: t0 + H, value: 20},
      {timeMs: t0 + H, value: 40}, // duplicate hour (e.g. the repeated hour when clocks go back)
      {timeMs: t0 + 5 * H, value: 60},
      {timeMs: t0 + 6 * H, value: Number.NaN},
    ])
    expect(series.resolution).toBe('hour')
    expect(series.values).toEqual([10, 30, 30, Number.NaN, Number.NaN, 60])
    expect(series.timestamps[5]).toBe(t0 + 5 * H)
    // One row (t0) comes before its predecessor (t0 + 2 h).
    expect(report).toMatchObject({inputRows: 6, invalidValues: 1, unsortedRows: 1, duplicateTimestamps: 1, gaps: 2})
    expect(report.notes.join('; ')).toMatch(/combined by mean.*sorted.*dropped.*kept as gaps/)
  })

  it('drops negative values (a counter reset) with a note instead of forecasting them', () => {
    const {series, report} = regularise([
      {timeMs: t0, value: 10},
      {timeMs: t0 + H, value: -5},
      {timeMs: t0 + 2 * H, value: 30},
    ])
    expect(series.values).toEqual([10, Number.NaN, 30])
    expect(report).toMatchObject({negativeValues: 1, invalidValues: 0, gaps: 1})
    expect(report.notes.join('; ')).toMatch(/1 rows had a negative value .* dropped/)
  })

  it('aggregates sub-hourly samples to hours by sum or mean', () => {
    const five = Array.from({length: 24}, (_, i) => ({timeMs: t0 + i * 300_000 + 53_000, value: i < 12 ? 1 : 3}))
    expect(regularise(five, {aggregate: 'sum'}).series.values).toEqual([12, 36])
    const {series, report} = regularise(five)
    expect(series.values).toEqual([1, 3])
    expect(report.aggregated).toEqual({fromStepMs: 300_000, rule: 'mean'})
  })

  it('steps through calendar months for monthly data', () => {
    const months = [0, 1, 2, 4].map((m) => ({timeMs: Date.UTC(1960, m, 1), value: m}))
    const {series, report} = regularise(months)
    expect(series.resolution).toBe('month')
    expect(series.timestamps).toEqual([0, 1, 2, 3, 4].map((m) => Date.UTC(1960, m, 1)))
    expect(report.gaps).toBe(1)
    expect(addSteps(Date.UTC(1960, 11, 1), 2, 'month')).toBe(Date.UTC(1961, 1, 1))
  })

  it('refuses fewer than two valid observations', () => {
    expect(() =>
      regularise([
        {timeMs: t0, value: 1},
        {timeMs: t0 + H, value: Number.NaN},
      ]),
    ).toThrow(/at least two/)
  })
})

describe('CSV series', () => {
  it('reads ISO, zoned and epoch timestamps', () => {
    expect(parseTimestamp('2026-03-01T05:00:00')).toBe(t0 + 5 * H)
    expect(parseTimestamp('2026-03-01 05:00:00')).toBe(t0 + 5 * H)
    expect(parseTimestamp('2026-03-01T06:00:00+01:00')).toBe(t0 + 5 * H)
    expect(parseTimestamp(String((t0 + 5 * H) / 1000))).toBe(t0 + 5 * H)
    expect(parseTimestamp(String(t0 + 5 * H))).toBe(t0 + 5 * H)
  })

  it('detects the header and the delimiter, and counts unreadable rows', () => {
    const csv = parseSeriesCsv(
      'time;requests\n2026-03-01T00:00:00;10\n2026-03-01T01:00:00;\nnot a time;5\n2026-03-01T02:00:00;NaN\n',
    )
    expect(csv.observations.map((o) => o.value)).toEqual([10, Number.NaN, Number.NaN])
    expect(csv.unreadableRows).toBe(1)
    expect(csv.assumedUtc).toBe(true)
    const headless = parseSeriesCsv('1772323200,1\n1772326800,2\n')
    expect(headless.observations).toHaveLength(2)
    expect(headless.assumedUtc).toBe(false)
  })
})
