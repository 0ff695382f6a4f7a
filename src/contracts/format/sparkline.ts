/** Unicode sparklines and bars for the terminal views. Pure. */

const LEVELS = '▁▂▃▄▅▆▇█'

/**
 * The last `width` values as a sparkline scaled to `max` (default: their own maximum); gaps (NaN)
 * are blanks.
 * @example sparkline([0, 5, 10], 3) // => '▁▅█'
 */
export function sparkline(values: readonly number[], width: number, max?: number): string {
  const shown = values.slice(-width)
  const top = max ?? Math.max(0, ...shown.filter(Number.isFinite))
  return shown
    .map((v) =>
      !Number.isFinite(v) ? ' ' : top <= 0 ? LEVELS[0] : LEVELS[Math.min(7, Math.max(0, Math.round((v / top) * 7)))],
    )
    .join('')
}

/** A horizontal bar of `width` cells filled to `fraction`. */
export function bar(fraction: number, width: number): string {
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width)
  return `${'█'.repeat(filled)}${'░'.repeat(Math.max(0, width - filled))}`
}
