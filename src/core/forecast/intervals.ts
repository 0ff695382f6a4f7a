/**
 * Prediction intervals that cover what they claim at every history length. Pure.
 *
 * The chosen model is refitted at rolling origins (down to two cycles of its main season) and
 * its errors collected by lead. Errors grow with the lead, so each is divided by a scale
 * s(h) = a·h^b fitted to the mean absolute error per lead (b from the backtest, but at least ¼,
 * which also carries the band past the leads the backtest saw: on the development series alone ½
 * was needed, but with the public traffic series beside them ½ over-covered every history length
 * (80 % bands held 84–88 % of the 21-day cuts' weeks) and ¼ kept each within its goal); the normalised errors
 * are pooled across leads and their finite-sample conformal quantiles taken (rank ⌈(N+1)(1−α/2)⌉
 * of N, not the plug-in quantile, which is too narrow when N is small). Errors of one origin at
 * neighbouring leads are not independent, so the band is widened by √(1 + 1/K) for K origins, and
 * the errors' skew (one-signed errors from a history that moved one way while the origins were
 * taken) is shrunk towards the symmetric band of the absolute errors with weight K / (K + 3).
 * With too few errors to trust, the band falls back to the seasonal naive's error variance,
 * growing with √h.
 */
import type {IntervalBasis} from '../../contracts/results/forecast-document.js'

/** Signed errors (actual − forecast) by lead (index 0 = one step ahead), and the origins they came from. */
export interface LeadErrors {
  byLead: number[][]
  origins: number
}

/** Below this many backtest errors the band uses the fallback. */
const MIN_ERRORS = 30
/** The exponent of the error growth with the lead, from the backtest, kept within these bounds. */
/**
 * Origins at which the errors' skew gets half its weight (see intervalOffsets). 3 on the development
 * series: every group's mean coverage within its goal and MSIS close to the unshrunk band's; 12
 * over-widened the full histories.
 */
const SKEW_ORIGINS = 3
const MIN_GROWTH = 0.25
const MAX_GROWTH = 1

export interface IntervalOffsets {
  /** [lo80, hi80, lo95, hi95] offsets from the point forecast at lead h (1-based). */
  at(lead: number): [number, number, number, number]
  basis: IntervalBasis
}

/** The k-th smallest (1-based, clamped) of sorted values: the finite-sample conformal quantile. */
function conformal(sorted: readonly number[], level: number, upper: boolean): number {
  const n = sorted.length
  const rank = upper ? Math.ceil((n + 1) * level) : Math.floor((n + 1) * level)
  return sorted[Math.min(n, Math.max(1, rank)) - 1] as number
}

/** Least-squares fit of log(mae) = log(a) + b·log(h) over the leads that have errors, weighted by their count. */
function fitGrowth(byLead: readonly number[][]): {a: number; b: number; leadsSeen: number} {
  let sw = 0
  let sx = 0
  let sy = 0
  let sxx = 0
  let sxy = 0
  let leadsSeen = 0
  byLead.forEach((errors, i) => {
    if (errors.length === 0) return
    const mae = errors.reduce((sum, e) => sum + Math.abs(e), 0) / errors.length
    if (!(mae > 0)) return
    leadsSeen = i + 1
    const w = errors.length
    const x = Math.log(i + 1)
    const y = Math.log(mae)
    sw += w
    sx += w * x
    sy += w * y
    sxx += w * x * x
    sxy += w * x * y
  })
  const denominator = sw * sxx - sx * sx
  const slope = denominator > 0 ? (sw * sxy - sx * sy) / denominator : 0.5
  const b = Math.min(MAX_GROWTH, Math.max(MIN_GROWTH, Number.isFinite(slope) ? slope : 0.5))
  const a = sw > 0 ? Math.exp((sy - b * sx) / sw) : 0
  return {a, b, leadsSeen}
}

/**
 * Interval offsets from backtest errors, or from `fallbackSpread` (a per-step error scale, e.g.
 * the seasonal naive's mean absolute error) when the backtest left too few.
 */
export function intervalOffsets(errors: LeadErrors, fallbackSpread: number): IntervalOffsets {
  const total = errors.byLead.reduce((sum, e) => sum + e.length, 0)
  const {a, b, leadsSeen} = fitGrowth(errors.byLead)
  if (total < MIN_ERRORS || !(a > 0)) {
    const sd = fallbackSpread * 1.25
    return {
      at: (lead) => {
        const s = sd * Math.sqrt(lead)
        return [-1.2816 * s, 1.2816 * s, -1.96 * s, 1.96 * s]
      },
      basis: {
        method: 'fallback',
        errors: total,
        origins: errors.origins,
        leadExponent: 0.5,
        description: `normal band from the seasonal naive's error, growing with √h (only ${total} backtest errors)`,
      },
    }
  }
  const scale = (lead: number) => a * lead ** b
  const normalised = errors.byLead.flatMap((list, i) => list.map((e) => e / scale(i + 1))).sort((x, y) => x - y)
  const widen = Math.sqrt(1 + 1 / Math.max(1, errors.origins))
  const signed = [
    conformal(normalised, 0.1, false),
    conformal(normalised, 0.9, true),
    conformal(normalised, 0.025, false),
    conformal(normalised, 0.975, true),
  ]
  // The skew of the errors is a property of the few regimes the origins saw (a history that fell
  // for a week leaves one-signed errors): with few origins it is shrunk towards the symmetric band of
  // the absolute errors, weight K / (K + SKEW_ORIGINS) on the skew.
  const absolute = normalised.map(Math.abs).sort((x, y) => x - y)
  const symmetric80 = conformal(absolute, 0.8, true)
  const symmetric95 = conformal(absolute, 0.95, true)
  const skewWeight = errors.origins / (errors.origins + SKEW_ORIGINS)
  const shrink = (value: number, symmetric: number) => (skewWeight * value + (1 - skewWeight) * symmetric) * widen
  const q = [
    -shrink(-(signed[0] as number), symmetric80),
    shrink(signed[1] as number, symmetric80),
    -shrink(-(signed[2] as number), symmetric95),
    shrink(signed[3] as number, symmetric95),
  ]
  // Quantiles of a skewed error distribution can sit on one side of zero; a band always holds the forecast.
  const [lo80, hi80, lo95, hi95] = [
    Math.min(0, q[0] as number),
    Math.max(0, q[1] as number),
    Math.min(0, q[2] as number),
    Math.max(0, q[3] as number),
  ]
  return {
    at: (lead) => {
      const s = scale(lead)
      return [lo80 * s, hi80 * s, lo95 * s, hi95 * s]
    },
    basis: {
      method: 'conformal',
      errors: total,
      origins: errors.origins,
      leadExponent: b,
      description: `conformal quantiles of ${total} backtest errors from ${errors.origins} origins, scaled by lead^${b.toFixed(2)}${leadsSeen > 0 ? ` (leads 1–${leadsSeen} seen)` : ''}`,
    },
  }
}
