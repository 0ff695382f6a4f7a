/**
 * Field parsers shared by the options of every command: a whole number, a duration and a rate,
 * each adding a problem (field, message, value) and returning undefined for bad input, so that all
 * problems are reported at once.
 */
import type {ProblemList} from '../contracts/errors.js'
import {parseDurationMs, parseRatePerSec} from '../contracts/parse/parse-units.js'

/**
 * The longest duration, timeout or stage loadplan accepts: 24 days, just under the longest delay
 * a Node.js timer holds (2³¹ − 1 ms ≈ 24.9 days; a longer one fires at once).
 */
export const MAX_DURATION_MS = 24 * 86_400_000
export const TOO_LONG = 'at most 24 days (the longest timer Node.js keeps); split longer tests into several runs'

/** A whole number ≥ 1; `fix` ends the message with an example, e.g. "e.g. -c 50". */
export function parseWholeNumberField(
  problems: ProblemList,
  field: string,
  text: string | number | undefined,
  fix: string,
): number | undefined {
  if (text === undefined) return undefined
  const value = typeof text === 'number' ? text : Number(text.trim())
  if (!Number.isInteger(value) || value < 1) {
    problems.add(field, `expected a whole number ≥ 1, ${fix}`, text)
    return undefined
  }
  return value
}

/** A positive duration of at most MAX_DURATION_MS. */
export function parseDurationField(
  problems: ProblemList,
  field: string,
  text: string | number | undefined,
): number | undefined {
  if (text === undefined) return undefined
  const ms = parseDurationMs(text)
  if (ms === undefined || ms <= 0) {
    problems.add(field, 'expected a positive duration such as "30s", "2m", "1m30s" or "500ms"', text)
    return undefined
  }
  if (ms > MAX_DURATION_MS) {
    problems.add(field, TOO_LONG, text)
    return undefined
  }
  return ms
}

/**
 * The highest load rate one process is asked for. Node sends some 100,000 requests/s at best; a
 * rate a thousand times past that only pins a core scheduling arrivals (issue 35: 1e10/s ignored
 * Ctrl-C for 24 s). More load is spread over workers or shards.
 */
export const MAX_LOAD_RATE_PER_SEC = 10_000_000
export const TOO_FAST = `at most ${MAX_LOAD_RATE_PER_SEC.toLocaleString('en-US')}/s per run; spread more over shards (loadplan k8s --shards N)`

/** A load rate ("500/s", "30000/min"); positive unless `allowZero`, at most MAX_LOAD_RATE_PER_SEC. */
export function parseRateField(
  problems: ProblemList,
  field: string,
  text: string | number | undefined,
  allowZero = false,
): number | undefined {
  if (text === undefined) return undefined
  const rate = parseRatePerSec(text)
  if (rate === undefined || (!allowZero && rate <= 0)) {
    problems.add(field, `expected a ${allowZero ? '' : 'positive '}rate such as "500/s", "500" or "30000/min"`, text)
    return undefined
  }
  if (rate > MAX_LOAD_RATE_PER_SEC) {
    problems.add(field, TOO_FAST, text)
    return undefined
  }
  return rate
}
