/** Monthly growth with month 1 being now. Pure. */

/**
 * What grows by `perMonth` from `now`, in month m: now·(1 + g)^(m − 1). Counting months from 1 in
 * the exponent gave month 1 a month of growth already (a plan's 120 GB was priced as 126 GB).
 * @example grownBy(120, 0.05, 1) // => 120
 */
export function grownBy(now: number, perMonth: number, month: number): number {
  return now * (1 + perMonth) ** (month - 1)
}
