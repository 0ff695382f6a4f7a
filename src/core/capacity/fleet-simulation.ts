/**
 * A discrete-event simulation of a fleet behind a load balancer: N instances, each serving up to
 * `concurrency` requests at once with its own FIFO queue, service times drawn from a measured
 * distribution (or a model), arrivals as a renewal process at a given rate, and the balancing
 * policies load balancers use. It answers what a utilisation target cannot: the latency
 * percentiles a fleet of a given size delivers at a given load, behind a given balancer.
 *
 * Pure and seeded: the same input gives the same result. The event loop keeps completions in a
 * binary heap on typed arrays and draws arrivals one at a time, so memory stays O(fleet + queues)
 * whatever the number of requests.
 */
import {ServiceTimeModel, meanServiceTimeMs, serviceSampler, arrivalGapSampler} from './service-time.js'
import {
  consistentHashAssignment,
  leastLoaded,
  lowerBound,
  powerOfTwoChoices,
  smoothWeightedRoundRobin,
  zipfCumulative,
} from '../balancing/balancing-primitives.js'
import {createRandom} from '../../contracts/stats/random.js'
import {TimeQueue} from '../../contracts/stats/time-queue.js'

export const BALANCE_POLICIES = [
  'random',
  'round-robin',
  'weighted',
  'least-conn',
  'p2c',
  'hash',
  'sticky',
  'central',
] as const
export type BalancePolicy = (typeof BALANCE_POLICIES)[number]

export interface HashOptions {
  /** Distinct request keys (e.g. users, tenants). */
  keys: number
  /** Zipf exponent s: P(key k) ∝ 1/k^s; 0 is uniform. */
  zipfExponent: number
  /** Points per instance on the ring. */
  virtualNodes: number
}

export interface StickyOptions {
  /** Sessions open at any time. Default: 100 per instance. */
  sessions?: number
  /** Mean requests per session (geometric). */
  requestsPerSession: number
}

export interface FleetSimulationInput {
  instances: number
  /** Requests one instance serves at once (its worker slots); more wait in its queue. */
  concurrency: number
  arrivalRatePerSec: number
  /** Squared coefficient of variation of the gaps between arrivals: 1 is Poisson, above 1 burstier (gamma renewal). */
  arrivalCv2: number
  serviceTime: ServiceTimeModel
  policy: BalancePolicy
  /** Relative speed of each instance (service time ÷ speed); also the weights of `weighted` and `least-conn`. Default all 1. */
  speeds?: readonly number[]
  hash?: HashOptions
  sticky?: StickyOptions
  /** Requests measured, after the warm-up. */
  requests: number
  /** Requests simulated before measuring, so that queues reach their steady state. */
  warmupRequests: number
  seed: number
}

export interface FleetSimulationResult {
  instances: number
  p50Ms: number
  p90Ms: number
  p99Ms: number
  p999Ms: number
  /** Mean time in a queue before service. */
  meanWaitMs: number
  /** Share of requests that had to wait. */
  waitedRatio: number
  /** The busiest instance's utilisation. */
  maxInstanceUtilisation: number
  /** Share of the requests each instance received. */
  shareByInstance: number[]
}

/** Offered load per slot, λ·E[S] / Σ(c·speed): the fleet is unstable at 1 or more. */
export function offeredUtilisation(
  input: Pick<FleetSimulationInput, 'instances' | 'concurrency' | 'arrivalRatePerSec' | 'serviceTime' | 'speeds'>,
): number {
  const speedSum = input.speeds ? input.speeds.slice(0, input.instances).reduce((a, b) => a + b, 0) : input.instances
  return (input.arrivalRatePerSec * meanServiceTimeMs(input.serviceTime)) / 1000 / (input.concurrency * speedSum)
}

/** The share of requests each instance receives under consistent hashing with Zipf keys: the analytic answer. */
export function hashedShares(instances: number, hash: HashOptions): number[] {
  const assignment = consistentHashAssignment(instances, hash.keys, hash.virtualNodes)
  const cumulative = zipfCumulative(hash.keys, hash.zipfExponent)
  const shares = new Float64Array(instances)
  let previous = 0
  for (let k = 0; k < hash.keys; k++) {
    const owner = assignment[k] as number
    shares[owner] = (shares[owner] as number) + (cumulative[k] as number) - previous
    previous = cumulative[k] as number
  }
  return Array.from(shares)
}

/**
 * Response times in whole microseconds, log-linear buckets of 1/1024 relative width (exact below
 * 2,048 µs): HdrHistogram's layout at three significant digits, inlined because recording is a
 * third of the simulation's time through the general-purpose library.
 */
class ResponseHistogram {
  private readonly counts = new Float64Array(2048 + 22 * 1024)
  total = 0
  record(ms: number): void {
    let us = Math.round(ms * 1000)
    if (us < 1) us = 1
    else if (us > 0x7fffffff) us = 0x7fffffff
    const msb = 31 - Math.clz32(us)
    const index = msb < 11 ? us : 2048 + (msb - 11) * 1024 + ((us >>> (msb - 10)) - 1024)
    this.counts[index] = (this.counts[index] as number) + 1
    this.total++
  }
  /** The highest value equivalent to the recorded value at percentile p, in ms. */
  percentileMs(p: number): number {
    const rank = Math.max(1, Math.ceil((p / 100) * this.total))
    let seen = 0
    for (let index = 0; index < this.counts.length; index++) {
      seen += this.counts[index] as number
      if (seen >= rank) {
        if (index < 2048) return index / 1000
        const shift = Math.floor((index - 2048) / 1024) + 1
        const sub = ((index - 2048) % 1024) + 1024
        return ((sub + 1) * 2 ** shift - 1) / 1000
      }
    }
    return 0
  }
}

/**
 * Runs the simulation. The fleet must be stable (offered utilisation below 1): an unstable queue
 * has no steady state to measure, and the caller reports that instead.
 */
export function simulateFleet(input: FleetSimulationInput): FleetSimulationResult {
  const n = input.instances
  const c = input.concurrency
  const random = createRandom(input.seed)
  const nextGap = arrivalGapSampler(input.arrivalRatePerSec, input.arrivalCv2, random)
  const nextService = serviceSampler(input.serviceTime, random)
  const speeds = Float64Array.from({length: n}, (_, i) => input.speeds?.[i] ?? 1)
  const policy = input.policy
  const central = policy === 'central'

  // Completions: a binary min-heap of (time, instance, arrival time).
  const capacity = n * c
  const heapTime = new Float64Array(capacity)
  const heapInstance = new Int32Array(capacity)
  const heapArrival = new Float64Array(capacity)
  let heapSize = 0
  const heapPush = (time: number, instance: number, arrival: number) => {
    let i = heapSize++
    while (i > 0) {
      const parent = (i - 1) >> 1
      if ((heapTime[parent] as number) <= time) break
      heapTime[i] = heapTime[parent] as number
      heapInstance[i] = heapInstance[parent] as number
      heapArrival[i] = heapArrival[parent] as number
      i = parent
    }
    heapTime[i] = time
    heapInstance[i] = instance
    heapArrival[i] = arrival
  }
  const heapPop = () => {
    const lastTime = heapTime[--heapSize] as number
    const lastInstance = heapInstance[heapSize] as number
    const lastArrival = heapArrival[heapSize] as number
    let i = 0
    for (;;) {
      let child = 2 * i + 1
      if (child >= heapSize) break
      if (child + 1 < heapSize && (heapTime[child + 1] as number) < (heapTime[child] as number)) child++
      if ((heapTime[child] as number) >= lastTime) break
      heapTime[i] = heapTime[child] as number
      heapInstance[i] = heapInstance[child] as number
      heapArrival[i] = heapArrival[child] as number
      i = child
    }
    heapTime[i] = lastTime
    heapInstance[i] = lastInstance
    heapArrival[i] = lastArrival
  }

  const busy = new Int32Array(n)
  const inSystem = new Int32Array(n)
  const received = new Float64Array(n)
  const busyMs = new Float64Array(n)
  const queues = central ? [new TimeQueue()] : Array.from({length: n}, () => new TimeQueue())
  // The central queue's free slots, as a stack of instance indices (each instance c times).
  const freeSlots = new Int32Array(central ? n * c : 0)
  let freeCount = 0
  if (central) for (let k = 0; k < c; k++) for (let i = n - 1; i >= 0; i--) freeSlots[freeCount++] = i

  // Policy state.
  let turn = 0
  const weightedPick = smoothWeightedRoundRobin(speeds)
  let keyCumulative: Float64Array | undefined
  let keyOwner: Int32Array | undefined
  if (policy === 'hash') {
    const hash = input.hash ?? {keys: 10_000, zipfExponent: 1, virtualNodes: 100}
    keyCumulative = zipfCumulative(hash.keys, hash.zipfExponent)
    keyOwner = consistentHashAssignment(n, hash.keys, hash.virtualNodes)
  }
  const sticky = {
    sessions: input.sticky?.sessions ?? 100 * n,
    requestsPerSession: input.sticky?.requestsPerSession ?? 20,
  }
  const sessionOwner = policy === 'sticky' ? new Int32Array(sticky.sessions) : undefined
  const sessionLeft = policy === 'sticky' ? new Float64Array(sticky.sessions) : undefined
  const sessionLength = () =>
    Math.max(1, Math.ceil(Math.log(1 - random()) / Math.log(1 - 1 / sticky.requestsPerSession)))
  if (sessionOwner && sessionLeft) {
    for (let s = 0; s < sticky.sessions; s++) {
      sessionOwner[s] = s % n
      sessionLeft[s] = sessionLength()
    }
  }

  const loadOf = (i: number) => (inSystem[i] as number) / (speeds[i] as number)

  const choose = (): number => {
    switch (policy) {
      case 'random':
        return Math.floor(random() * n)
      case 'round-robin': {
        const i = turn
        turn = (turn + 1) % n
        return i
      }
      case 'weighted':
        return weightedPick()
      case 'least-conn': {
        const best = leastLoaded(n, turn, loadOf)
        turn = (turn + 1) % n
        return best
      }
      case 'p2c':
        return powerOfTwoChoices(n, random, loadOf)
      case 'hash': {
        const cumulative = keyCumulative as Float64Array
        return (keyOwner as Int32Array)[lowerBound(cumulative, random(), cumulative.length - 1)] as number
      }
      case 'sticky': {
        const owner = sessionOwner as Int32Array
        const left = sessionLeft as Float64Array
        const s = Math.floor(random() * owner.length)
        const instance = owner[s] as number
        left[s] = (left[s] as number) - 1
        if ((left[s] as number) <= 0) {
          // The session ends; a new one takes its place on the next instance in turn.
          owner[s] = turn
          turn = (turn + 1) % n
          left[s] = sessionLength()
        }
        return instance
      }
      default:
        return 0
    }
  }

  const histogram = new ResponseHistogram()
  let measuredFrom = Number.POSITIVE_INFINITY
  let waitSum = 0
  let waited = 0
  let measured = 0
  const total = input.warmupRequests + input.requests

  let now = 0
  let lastArrival = 0
  const start = (instance: number, arrival: number, now: number) => {
    const serviceMs = nextService() / (speeds[instance] as number)
    busyMs[instance] = (busyMs[instance] as number) + serviceMs
    if (arrival >= measuredFrom) {
      const waitMs = now - arrival
      waitSum += waitMs
      if (waitMs > 0) waited++
    }
    heapPush(now + serviceMs, instance, arrival)
  }

  const complete = () => {
    now = heapTime[0] as number
    const instance = heapInstance[0] as number
    const arrival = heapArrival[0] as number
    heapPop()
    if (arrival >= measuredFrom) {
      histogram.record(now - arrival)
      measured++
    }
    if (central) {
      const queue = queues[0] as TimeQueue
      if (queue.length > 0) start(instance, queue.shift(), now)
      else freeSlots[freeCount++] = instance
      return
    }
    inSystem[instance] = (inSystem[instance] as number) - 1
    const queue = queues[instance] as TimeQueue
    if (queue.length > 0) start(instance, queue.shift(), now)
    else busy[instance] = (busy[instance] as number) - 1
  }

  for (let sent = 0; sent < total; sent++) {
    const arrival = now + nextGap()
    while (heapSize > 0 && (heapTime[0] as number) <= arrival) complete()
    now = arrival
    lastArrival = arrival
    if (sent === input.warmupRequests) measuredFrom = arrival
    if (central) {
      if (freeCount > 0) {
        const instance = freeSlots[--freeCount] as number
        received[instance] = (received[instance] as number) + 1
        start(instance, arrival, arrival)
      } else (queues[0] as TimeQueue).push(arrival)
      continue
    }
    const instance = choose()
    received[instance] = (received[instance] as number) + 1
    inSystem[instance] = (inSystem[instance] as number) + 1
    if ((busy[instance] as number) < c) {
      busy[instance] = (busy[instance] as number) + 1
      start(instance, arrival, arrival)
    } else (queues[instance] as TimeQueue).push(arrival)
  }
  while (heapSize > 0) complete()
  // Busy time over the time until the last request completed: at most 1 even for an overloaded instance.
  const endMs = Math.max(now, lastArrival)

  const receivedTotal = received.reduce((a, b) => a + b, 0)
  let maxUtilisation = 0
  for (let i = 0; i < n; i++) maxUtilisation = Math.max(maxUtilisation, (busyMs[i] as number) / (endMs * c))
  const percentile = (p: number) => histogram.percentileMs(p)
  return {
    instances: n,
    p50Ms: percentile(50),
    p90Ms: percentile(90),
    p99Ms: percentile(99),
    p999Ms: percentile(99.9),
    meanWaitMs: waitSum / measured,
    waitedRatio: waited / measured,
    maxInstanceUtilisation: maxUtilisation,
    shareByInstance: Array.from(received, (r) => r / receivedTotal),
  }
}
