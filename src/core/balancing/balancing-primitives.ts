/**
 * Load-balancing primitives shared by the live balancer of `run --targets` (core/engine) and the
 * fleet simulation (core/capacity): smooth weighted round robin, a consistent-hash ring, Zipf key
 * popularity, least-loaded and power-of-two-choices picks. One copy, so the simulated policies are
 * the ones a run applies.
 */

/** The first index in `sorted[0..end)` whose value is at least `value` (`end` when none is). */
export function lowerBound(sorted: Float64Array, value: number, end = sorted.length): number {
  let lo = 0
  let hi = end
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((sorted[mid] as number) < value) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Smooth weighted round robin (nginx): each pick, every instance gains its weight, the largest is picked and pays the total. */
export function smoothWeightedRoundRobin(weights: ArrayLike<number>): () => number {
  const n = weights.length
  const current = new Float64Array(n)
  let total = 0
  for (let i = 0; i < n; i++) total += weights[i] as number
  return () => {
    let best = 0
    for (let i = 0; i < n; i++) {
      current[i] = (current[i] as number) + (weights[i] as number)
      if ((current[i] as number) > (current[best] as number)) best = i
    }
    current[best] = (current[best] as number) - total
    return best
  }
}

/** FNV-1a then a murmur3 finaliser: a well-spread 32-bit hash for ring positions. */
function hash32(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/**
 * A consistent-hash ring of `virtualNodes` points per instance: `(key) → instance`, the owner of the
 * first point clockwise from the key's hash. Adding an instance moves only the keys its points take.
 */
export function hashRing(instances: number, virtualNodes: number): (key: string) => number {
  const points: Array<[number, number]> = []
  for (let i = 0; i < instances; i++)
    for (let v = 0; v < virtualNodes; v++) points.push([hash32(`instance-${i}#${v}`), i])
  points.sort((a, b) => a[0] - b[0])
  const positions = Float64Array.from(points, (p) => p[0])
  const owner = Int32Array.from(points, (p) => p[1])
  return (key) => {
    const point = lowerBound(positions, hash32(key))
    return owner[point === positions.length ? 0 : point] as number
  }
}

/** Which instance each of `keys` keys (named `key-0`, `key-1`, …) lands on. */
export function consistentHashAssignment(instances: number, keys: number, virtualNodes: number): Int32Array {
  const ownerOf = hashRing(instances, virtualNodes)
  return Int32Array.from({length: keys}, (_, k) => ownerOf(`key-${k}`))
}

/** Cumulative Zipf probabilities over `keys` keys (key 0 the most popular). */
export function zipfCumulative(keys: number, exponent: number): Float64Array {
  const cumulative = new Float64Array(keys)
  let sum = 0
  for (let k = 0; k < keys; k++) {
    sum += 1 / Math.pow(k + 1, exponent)
    cumulative[k] = sum
  }
  for (let k = 0; k < keys; k++) (cumulative as Float64Array)[k] = (cumulative[k] as number) / sum
  cumulative[keys - 1] = 1
  return cumulative
}

/**
 * Least-connections: the instance with the lowest `load(i)` (outstanding per weight), scanning from
 * `start` so that ties go in turn and an idle fleet is still spread.
 */
export function leastLoaded(n: number, start: number, load: (instance: number) => number): number {
  let best = start
  let bestLoad = load(best)
  for (let k = 1; k < n; k++) {
    const i = (start + k) % n
    const l = load(i)
    if (l < bestLoad) {
      best = i
      bestLoad = l
    }
  }
  return best
}

/** Power of two choices: the less loaded of two distinct instances drawn at random (ties: the first). */
export function powerOfTwoChoices(n: number, random: () => number, load: (instance: number) => number): number {
  if (n === 1) return 0
  const a = Math.floor(random() * n)
  let b = Math.floor(random() * (n - 1))
  if (b >= a) b++
  return load(a) <= load(b) ? a : b
}
