/** Formatters for the quantities loadplan prints: counts, durations and byte sizes. */

/**
 * `1234567` → `1,234,567`. Grouped by hand: the first Intl call of a process loads ICU's number
 * data (≈15 ms of a short run's start-up), and counts are all a load-test summary groups.
 */
export function formatCount(n: number): string {
  if (!Number.isFinite(n) || Math.abs(n) >= 1e21) return String(n)
  // At most three decimals, as toLocaleString would print.
  const [whole = '', fraction] = (Math.round(Math.abs(n) * 1000) / 1000).toString().split('.')
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',')
  return `${n < 0 ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`
}

/** Formats milliseconds for people: `850 µs`, `12.3 ms`, `4.20 s`, `2m05s`. */
export function formatDurationMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms)
  if (ms < 1) return `${Math.round(ms * 1000)} µs`
  if (ms < 100) return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`
  const totalSec = Math.round(ms / 1000)
  const h = Math.floor(totalSec / 3600)
  const m = Math.floor((totalSec % 3600) / 60)
  const s = totalSec % 60
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(s).padStart(2, '0')}s`
}

/** A latency that may be unmeasured (null, undefined, NaN or infinite): `–`, else as formatDurationMs. */
export function formatMaybeMs(ms: number | null | undefined): string {
  return ms === null || ms === undefined || !Number.isFinite(ms) ? '–' : formatDurationMs(ms)
}

/** Formats a byte count with SI units: `512 B`, `12.3 kB`, `4.56 MB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`
}
