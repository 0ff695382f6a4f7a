/** Forecast horizons as people write them (`7d`, `48h`, `12mo`, `2w`, `1y`, or a number of steps). Pure. */
import type {Resolution} from '../results/forecast-document.js'

const HOURS: Record<string, number> = {h: 1, d: 24, w: 168, mo: 730.5, y: 8766}

/** Default horizon per resolution: a week of hours, a quarter of days, a year of months. */
export const DEFAULT_HORIZON: Record<Resolution, string> = {hour: '7d', day: '90d', month: '12mo'}

/**
 * @returns the number of steps at the resolution, or undefined for text that is not a horizon
 * @example horizonSteps('12mo', 'day') // => 365
 */
export function horizonSteps(text: string, resolution: Resolution): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(h|d|w|mo|y)?\s*$/.exec(text)
  if (!match) return undefined
  const amount = Number(match[1])
  if (!(amount > 0)) return undefined
  if (match[2] === undefined) return Math.round(amount)
  const hours = amount * (HOURS[match[2]] as number)
  const steps = resolution === 'hour' ? hours : resolution === 'day' ? hours / 24 : hours / 730.5
  return Math.max(1, Math.round(steps))
}
