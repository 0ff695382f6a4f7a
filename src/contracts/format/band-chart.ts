/**
 * A text chart of a history followed by a forecast with two bands: history (·), forecast (●),
 * inner band (▓), outer band (░), one column per bucket of steps, scaled to everything drawn.
 * Numbers in, rows of text out: the table output and the terminal views draw the same chart.
 */

export interface BandSeries {
  history: readonly number[]
  forecast: readonly number[]
  lo80: readonly number[]
  hi80: readonly number[]
  lo95: readonly number[]
  hi95: readonly number[]
}

/** The series of a forecast's points (point forecast and its 80 % and 95 % bands) after `history`. */
export function forecastBands(
  history: readonly number[],
  points: ReadonlyArray<{forecast: number; lo80: number; hi80: number; lo95: number; hi95: number}>,
): BandSeries {
  return {
    history,
    forecast: points.map((x) => x.forecast),
    lo80: points.map((x) => x.lo80),
    hi80: points.map((x) => x.hi80),
    lo95: points.map((x) => x.lo95),
    hi95: points.map((x) => x.hi95),
  }
}

export interface BandChart {
  /** Rows of cells, top first: ' ', '·', '●', '▓' or '░'. */
  rows: string[][]
  top: number
  bottom: number
  /** Columns of history; the rest are forecast. */
  historyColumns: number
}

/** The chart `width` columns wide (a third for the forecast, at least 8) and `height` rows high. */
export function bandChart(series: BandSeries, width: number, height: number): BandChart {
  const futureColumns = Math.max(8, Math.round(width / 3))
  const historyColumns = Math.max(0, width - futureColumns)
  const steps = series.forecast.length
  const bucket = (values: readonly number[], columns: number, pick: (chunk: number[]) => number): number[] => {
    const size = Math.max(1, Math.ceil(values.length / Math.max(1, columns)))
    const out: number[] = []
    for (let i = 0; i < values.length; i += size) out.push(pick(values.slice(i, i + size)))
    return out
  }
  const finite = (xs: number[]) => xs.filter(Number.isFinite)
  const max = (xs: number[]) => Math.max(...finite(xs))
  const min = (xs: number[]) => Math.min(...finite(xs))
  // History on the forecast's time scale: `perColumn` steps a column, counted back from the last
  // point; a history shorter than its share of the width leaves blank columns on the left.
  const perColumn = Math.max(1, Math.ceil(steps / futureColumns))
  const recent = series.history.slice(-historyColumns * perColumn)
  const past: number[] = []
  for (let end = recent.length; end > 0; end -= perColumn)
    past.unshift(max(recent.slice(Math.max(0, end - perColumn), end)))
  while (past.length < historyColumns) past.unshift(Number.NaN)
  const mean = bucket(series.forecast, futureColumns, max)
  const hi80 = bucket(series.hi80, futureColumns, max)
  const lo80 = bucket(series.lo80, futureColumns, min)
  const hi95 = bucket(series.hi95, futureColumns, max)
  const lo95 = bucket(series.lo95, futureColumns, min)
  // Every drawn value sets the scale: the bands need not nest (the plan explorer's outer band is the
  // sized-for peak, below the P90 at a 20 % risk, which drew outside the rows).
  const top = max([...past, ...hi95, ...hi80, ...mean])
  const bottom = min([...past, ...lo95, ...lo80, ...mean])
  const span = top - bottom || 1
  const row = (v: number) => Math.min(height - 1, Math.max(0, Math.round(((top - v) / span) * (height - 1))))
  const rows = Array.from({length: height}, () => Array.from({length: past.length + mean.length}, () => ' '))
  past.forEach((v, x) => {
    if (Number.isFinite(v)) (rows[row(v)] as string[])[x] = '·'
  })
  mean.forEach((v, i) => {
    const x = past.length + i
    for (let r = row(hi95[i] as number); r <= row(lo95[i] as number); r++) (rows[r] as string[])[x] = '░'
    for (let r = row(hi80[i] as number); r <= row(lo80[i] as number); r++) (rows[r] as string[])[x] = '▓'
    ;(rows[row(v)] as string[])[x] = '●'
  })
  return {rows, top, bottom, historyColumns: past.length}
}
