/**
 * Parsers for the quantities users type: durations ("1m30s"), rates ("500/s") and
 * percentages ("1%"). Each returns `undefined` for input it cannot read, so callers can
 * collect every problem before reporting.
 */

const DURATION_UNITS_MS: Record<string, number> = {
  us: 0.001,
  µs: 0.001,
  ms: 1,
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
}

const DURATION_PART = /(\d+(?:\.\d+)?)(us|µs|ms|min|s|m|h|d)/gy

/**
 * Parses a duration such as `30s`, `1m30s`, `250ms`, `1.5h` or a bare number of seconds.
 * @returns milliseconds, or undefined when the text is not a duration
 * @example parseDurationMs('1m30s') // => 90000
 */
export function parseDurationMs(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text * 1000 : undefined
  const trimmed = text.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000
  if (trimmed === '') return undefined
  DURATION_PART.lastIndex = 0
  let totalMs = 0
  let consumed = 0
  let match: RegExpExecArray | null
  while ((match = DURATION_PART.exec(trimmed)) !== null) {
    totalMs += Number(match[1]) * (DURATION_UNITS_MS[match[2] as string] as number)
    consumed = DURATION_PART.lastIndex
  }
  return consumed === trimmed.length ? totalMs : undefined
}

const RATE_UNITS_PER_SEC: Record<string, number> = {
  s: 1,
  sec: 1,
  m: 1 / 60,
  min: 1 / 60,
  h: 1 / 3600,
}

/**
 * Parses a rate such as `500/s`, `30000/min`, `500` (per second).
 * @returns events per second, or undefined when the text is not a rate
 * @example parseRatePerSec('120/m') // => 2
 */
export function parseRatePerSec(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text : undefined
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(s|sec|m|min|h))?\s*$/.exec(text)
  if (!match) return undefined
  return Number(match[1]) * (RATE_UNITS_PER_SEC[match[2] ?? 's'] as number)
}

/**
 * Parses `1%` (→ 0.01) or a plain fraction `0.01`.
 * @returns a fraction, or undefined when the text is not a ratio
 */
export function parseRatio(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) ? text : undefined
  const match = /^\s*(\d+(?:\.\d+)?)\s*(%)?\s*$/.exec(text)
  if (!match) return undefined
  return match[2] ? Number(match[1]) / 100 : Number(match[1])
}

/**
 * Parses a monthly growth such as `8%/mo`, `8%/month` or `8%`.
 * @returns a fraction per month, or undefined
 */
export function parseMonthlyRate(text: string): number | undefined {
  return parseRatio(text.replace(/\s*\/\s*mo(nth)?$/, ''))
}

/** `18kB`, `2MB`, `512B`, `1KiB` → bytes. */
export function parseBytes(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(B|kB|KB|KiB|MB|MiB|GB|GiB)?\s*$/.exec(text)
  if (!m) return undefined
  const unit: Record<string, number> = {
    B: 1,
    kB: 1e3,
    KB: 1e3,
    KiB: 1024,
    MB: 1e6,
    MiB: 1024 ** 2,
    GB: 1e9,
    GiB: 1024 ** 3,
  }
  return Number(m[1]) * (unit[m[2] ?? 'B'] as number)
}
