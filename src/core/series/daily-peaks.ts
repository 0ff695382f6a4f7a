/** Calendar days (UTC) and the highest value in each. Pure. */

const DAY_MS = 86_400_000

/** Start of the UTC day that holds `timeMs`. */
export function dayStartMs(timeMs: number): number {
  return Math.floor(timeMs / DAY_MS) * DAY_MS
}

/**
 * The highest finite value of each UTC day, in first-seen day order.
 * @example dailyPeaks([0, 3_600_000, 86_400_000], [1, 3, 2]) // => [{t: 0, peak: 3}, {t: 86400000, peak: 2}]
 */
export function dailyPeaks(timestamps: readonly number[], values: readonly number[]): Array<{t: number; peak: number}> {
  const daily = new Map<number, number>()
  timestamps.forEach((t, i) => {
    const v = values[i] as number
    const d = dayStartMs(t)
    if (Number.isFinite(v)) daily.set(d, Math.max(daily.get(d) ?? 0, v))
  })
  return [...daily.entries()].map(([t, peak]) => ({t, peak}))
}
