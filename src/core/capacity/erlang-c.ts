/**
 * M/M/c queueing (Erlang C), used to keep CPU targets below the utilisation where waiting for a
 * core starts to dominate. A model, not a measurement: real CPU demand is neither Poisson nor
 * exponential, and SMT siblings are not independent servers.
 */

/**
 * Probability that an arrival waits, C(c, A) with offered load A = ρc (0 ≤ ρ < 1), computed with
 * the stable Erlang-B recursion: B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1)); C = B / (1 − ρ(1 − B)).
 */
export function erlangC(servers: number, utilisation: number): number {
  if (utilisation >= 1) return 1
  const load = utilisation * servers
  let b = 1
  for (let k = 1; k <= servers; k++) b = (load * b) / (k + load * b)
  return b / (1 - utilisation * (1 - b))
}

/** Mean response time over service time, R/S = 1 + C(c, A) / (c(1 − ρ)). */
export function responseTimeRatio(servers: number, utilisation: number): number {
  if (utilisation >= 1) return Number.POSITIVE_INFINITY
  return 1 + erlangC(servers, utilisation) / (servers * (1 - utilisation))
}

/**
 * The utilisation at which R/S reaches `slowdown` (the "knee"; 1.5 by default), by bisection.
 * @example queueingKnee(4) // => 0.75 (rounded)
 */
export function queueingKnee(servers: number, slowdown = 1.5): number {
  let lo = 0
  let hi = 0.999999
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2
    if (responseTimeRatio(Math.max(1, Math.round(servers)), mid) < slowdown) lo = mid
    else hi = mid
  }
  return lo
}
