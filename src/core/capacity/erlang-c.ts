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

/** Beyond this many servers the knee is taken as this many's. */
const MAX_SERVERS = 4096

/**
 * The utilisation at which R/S reaches `slowdown` (the "knee"; 1.5 by default), by bisection.
 * @example queueingKnee(4) // => 0.75 (rounded)
 */
export function queueingKnee(servers: number, slowdown = 1.5): number {
  // The recursion is O(servers) per step: a typed --vcpus 433880229 ran for minutes. The knee is
  // within a hair of 1 long before the largest machines (1,920 vCPUs), so more servers change nothing.
  const c = Math.max(1, Math.min(MAX_SERVERS, Math.round(servers)))
  let lo = 0
  let hi = 0.999999
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2
    if (responseTimeRatio(c, mid) < slowdown) lo = mid
    else hi = mid
  }
  return lo
}
