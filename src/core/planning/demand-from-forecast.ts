/** Monthly demand (hourly peak with its bands, and the mean) from a forecast's points. Pure. */
import type {ForecastResult} from '../../contracts/results/forecast-document.js'
import type {DemandMonth} from '../../contracts/results/plan-document.js'
import {stepStart} from '../series/regularise.js'

/** Whole calendar months covered by the forecast (the partial month it starts in is skipped), at most `months`. */
export function demandFromForecast(result: ForecastResult, months: number): DemandMonth[] {
  const firstMs = result.points[0]?.timestamp ?? 0
  const byMonth = new Map<number, {peak: number; hi80: number; hi95: number; sum: number; count: number}>()
  for (const p of result.points) {
    const key = stepStart(p.timestamp, 'month')
    const m = byMonth.get(key) ?? {peak: 0, hi80: 0, hi95: 0, sum: 0, count: 0}
    m.peak = Math.max(m.peak, p.forecast)
    m.hi80 = Math.max(m.hi80, p.hi80)
    m.hi95 = Math.max(m.hi95, p.hi95)
    m.sum += p.forecast
    m.count++
    byMonth.set(key, m)
  }
  return [...byMonth.entries()]
    .sort(([a], [b]) => a - b)
    .filter(([startMs]) => startMs >= firstMs)
    .slice(0, months)
    .map(([startMs, m], i) => ({
      month: i + 1,
      startMs,
      peakRps: m.peak,
      peakHi80: m.hi80,
      peakHi95: m.hi95,
      meanRps: m.sum / m.count,
    }))
}
