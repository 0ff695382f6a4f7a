/** Forecast horizons as people write them (`7d`, `48h`, `12mo`, `2w`, `1y`, or a number of steps). Pure. */
import type {Resolution} from '../../contracts/results/forecast-document.js'

const HOURS: Record<string, number> = {h: 1, d: 24, w: 168, mo: 730.5, y: 8766}

/** Default horizon per resolution: a week of hours, a quarter of days, a year of months. */
export const DEFAULT_HORIZON: Record<Resolution, string> = {hour: '7d', day: '90d', month: '12mo'}

/**
 * The longest horizon: six years (a 60-month plan forecasts 61 months; no history supports more,
 * and an hourly forecast of it must fit in memory).
 */
export const MAX_HORIZON_HOURS = 6 * 8766
export const MAX_HORIZON_TEXT = '6y'

/** Hours in one step of each resolution (a month: 730.5 h, the mean Gregorian month). */
export const STEP_HOURS: Record<Resolution, number> = {hour: 1, day: 24, month: 730.5}

/**
 * @returns the number of steps at the resolution, or undefined for text that is not a horizon or
 *   is longer than MAX_HORIZON_HOURS
 * @example horizonSteps('12mo', 'day') // => 365
 */
export function horizonSteps(text: string, resolution: Resolution): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(h|d|w|mo|y)?\s*$/.exec(text)
  if (!match) return undefined
  const amount = Number(match[1])
  if (!(amount > 0)) return undefined
  const stepHours = STEP_HOURS[resolution]
  const hours = match[2] === undefined ? Math.round(amount) * stepHours : amount * (HOURS[match[2]] as number)
  if (!(hours <= MAX_HORIZON_HOURS)) return undefined
  return Math.max(1, Math.round(hours / stepHours))
}
