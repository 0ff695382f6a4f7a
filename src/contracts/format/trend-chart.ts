/**
 * A small text chart of a daily statistic, its fitted trend carried forward, and the target:
 * observed days (•), the trend (·) and the target row (─), scaled from 0 to the larger of the
 * target and everything drawn. Numbers in, rows of text out.
 */

export interface TrendChartInput {
  daily: readonly number[]
  /** Trend per day and its level on the last observed day. */
  slopePerDay: number
  levelAtLast: number
  target: number
  /** Days drawn after the last observed one. */
  futureDays: number
}

export function trendChart(input: TrendChartInput, width: number, height: number): string[] {
  const days = input.daily.length + input.futureDays
  const trendAt = (day: number) => input.levelAtLast + input.slopePerDay * (day - (input.daily.length - 1))
  const top = Math.max(input.target, ...input.daily.filter(Number.isFinite), trendAt(days - 1)) * 1.05 || 1
  const rows = Array.from({length: height}, () => Array.from({length: width}, () => ' '))
  const row = (v: number) => Math.max(0, Math.min(height - 1, Math.round((1 - v / top) * (height - 1))))
  const column = (day: number) => Math.min(width - 1, Math.floor((day / Math.max(1, days - 1)) * (width - 1)))
  const targetRow = row(input.target)
  for (let x = 0; x < width; x++) (rows[targetRow] as string[])[x] = '─'
  for (let x = 0; x < width; x++) {
    const day = (x / Math.max(1, width - 1)) * (days - 1)
    const value = trendAt(day)
    if (value >= 0 && value <= top) (rows[row(value)] as string[])[x] = '·'
  }
  input.daily.forEach((value, day) => {
    if (Number.isFinite(value)) (rows[row(value)] as string[])[column(day)] = '•'
  })
  return rows.map((cells) => cells.join(''))
}
