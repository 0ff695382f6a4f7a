/** How plans print ranges and chances, the same in the table, the Markdown and the explorer. */

/** Whole dollars with thousands separators (tables; the CSV, Markdown and JSON keep the cents). */
export const dollars = (v: number) => v.toLocaleString('en-US', {maximumFractionDigits: 0})

/** "4–6": a P10–P90 range; one figure when both ends print the same. */
export const span = (range: {p10: number; p90: number}, format: (v: number) => string) =>
  format(range.p10) === format(range.p90) ? format(range.p10) : `${format(range.p10)}–${format(range.p90)}`

/** A share as a percentage with at most one decimal: 0.05 → 5, 0.125 → 12.5 (plans print risks and ceilings so). */
export const percentOf = (share: number) => Number((share * 100).toFixed(1))

/** A probability in percent that never rounds a real chance down to 0. */
export const chance = (p: number) => (p === 0 ? '0' : p < 0.001 ? '<0.1' : (p * 100).toFixed(1))
