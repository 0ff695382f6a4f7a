/**
 * Sizing a fleet by its SLO: simulate growing fleets (src/core/capacity/fleet-simulation) until the
 * latency objective holds with the instances a failure may take away, and compare with the answer
 * of a utilisation target. Also the service model a capacity result measured: the service-time
 * distribution from a low-load step's histogram, and the concurrency that explains its peak rate.
 */
import type {ProblemList} from '../../contracts/errors.js'
import {decodeHistogram} from '../../contracts/stats/histogram.js'
import type {Threshold} from '../../contracts/stats/thresholds.js'
import type {CapacityResult} from '../../contracts/results/capacity-result.js'
import {parseSlo} from './slo.js'
import {
  hashedShares,
  offeredUtilisation,
  simulateFleet,
  type FleetSimulationInput,
  type FleetSimulationResult,
} from './fleet-simulation.js'
import {meanServiceTimeMs, type ServiceTimeModel} from './service-time.js'

/** A latency objective: the given percentile of response time at most `limitMs`. */
export interface LatencyObjective {
  percentile: number
  limitMs: number
}

/** Latency percentiles a fleet simulation reports, and so the only ones an objective may name. */
export const SIMULATED_PERCENTILES = [50, 90, 99, 99.9]

/** The first latency-percentile objective among SLO thresholds that a simulation can judge. */
export function latencyObjective(
  thresholds: readonly Threshold[],
): (LatencyObjective & {expression: string}) | undefined {
  for (const t of thresholds) {
    if (
      t.metric.kind === 'latency' &&
      t.metric.stat === 'percentile' &&
      SIMULATED_PERCENTILES.includes(t.metric.percentile)
    )
      return {percentile: t.metric.percentile, limitMs: t.limit, expression: t.expression}
  }
  return undefined
}

/** `--slo` for a simulation: its first latency-percentile objective, or a problem named on `problems`. */
export function parseLatencyObjective(
  text: string | undefined,
  problems: ProblemList,
): (LatencyObjective & {expression: string}) | undefined {
  try {
    const found = latencyObjective(parseSlo(text, undefined))
    if (found === undefined)
      problems.add(
        '--slo',
        `needs a latency objective on ${SIMULATED_PERCENTILES.map((p) => `p${p}`).join(', ')}, e.g. --slo "p99<250ms"`,
        text,
      )
    return found
  } catch (error) {
    problems.add('--slo', (error as Error).message, text)
    return undefined
  }
}

/** Instances a failure takes out of service: a number of instances, or one zone of `zones`. */
export type FleetLoss = {kind: 'none'} | {kind: 'instances'; count: number} | {kind: 'zone'; zones: number}

export function servingInstances(instances: number, loss: FleetLoss): number {
  if (loss.kind === 'instances') return instances - loss.count
  if (loss.kind === 'zone') return instances - Math.ceil(instances / loss.zones)
  return instances
}

export interface FleetSizeRow {
  instances: number
  /** Instances left serving after the loss. */
  serving: number
  /** Offered load per slot of the serving fleet (the busiest instance's under consistent hashing). */
  offeredUtilisation: number
  /** Null when the serving fleet cannot keep up (offered utilisation ≥ 1 somewhere): queues grow without bound. */
  simulation: FleetSimulationResult | null
  /** The objective's percentile in this fleet (Infinity when unstable). */
  objectiveMs: number
  meetsObjective: boolean
}

export interface FleetSizing {
  rows: FleetSizeRow[]
  /** The smallest fleet meeting the objective; null when none up to the limit did. */
  smallest: number | null
  /** Set when even the smallest fleet that can keep up (utilisation below 1) is past the bound: its size. */
  smallestStable?: number
}

export type FleetModel = Omit<FleetSimulationInput, 'instances' | 'seed'>

function percentileOf(result: FleetSimulationResult, percentile: number): number {
  if (percentile <= 50) return result.p50Ms
  if (percentile <= 90) return result.p90Ms
  if (percentile <= 99) return result.p99Ms
  return result.p999Ms
}

/** The busiest serving instance's offered load per slot. */
function busiestUtilisation(model: FleetModel, serving: number): number {
  const mean = offeredUtilisation({...model, instances: serving})
  if (model.policy !== 'hash' || model.hash === undefined) return mean
  return mean * serving * Math.max(...hashedShares(serving, model.hash))
}

/** The busiest serving instance's offered load per slot once the loss is taken out (Infinity when nothing serves). */
function servingUtilisation(model: FleetModel, instances: number, loss: FleetLoss): number {
  const serving = servingInstances(instances, loss)
  return serving > 0 ? busiestUtilisation(model, serving) : Number.POSITIVE_INFINITY
}

/** What a utilisation target alone would buy: ⌈λ·E[S] / (c · target)⌉ serving instances, plus the loss. */
export function fleetByUtilisation(model: FleetModel, loss: FleetLoss, targetUtilisation: number): number {
  const base = Math.max(1, Math.ceil(offeredUtilisation({...model, instances: 1}) / targetUtilisation))
  let instances = base
  while (servingInstances(instances, loss) < base) instances++
  return instances
}

/** One fleet size: simulated unless it cannot be stable. */
export function evaluateFleet(
  model: FleetModel,
  instances: number,
  loss: FleetLoss,
  objective: LatencyObjective,
  seed: number,
): FleetSizeRow {
  const serving = servingInstances(instances, loss)
  const utilisation = servingUtilisation(model, instances, loss)
  if (!(utilisation < 1))
    return {
      instances,
      serving,
      offeredUtilisation: utilisation,
      simulation: null,
      objectiveMs: Number.POSITIVE_INFINITY,
      meetsObjective: false,
    }
  const simulation = simulateFleet({...model, instances: serving, seed})
  const objectiveMs = percentileOf(simulation, objective.percentile)
  return {
    instances,
    serving,
    offeredUtilisation: utilisation,
    simulation,
    objectiveMs,
    meetsObjective: objectiveMs <= objective.limitMs,
  }
}

/**
 * The smallest fleet meeting the objective: from the smallest stable fleet, sizes grow by 1, 2,
 * 4, … until one meets it, then bisection between the last miss and the first hit. The rows are
 * every size simulated plus the neighbours of the answer, ascending.
 */
export function sizeFleet(
  model: FleetModel,
  objective: LatencyObjective,
  options: {loss: FleetLoss; maxInstances: number; seed: number; minInstances?: number; neighbours?: boolean},
): FleetSizing {
  const evaluated = new Map<number, FleetSizeRow>()
  const evaluate = (n: number) => {
    let row = evaluated.get(n)
    if (row === undefined) {
      row = evaluateFleet(model, n, options.loss, objective, options.seed)
      evaluated.set(n, row)
    }
    return row
  }
  let first = Math.max(1, Math.floor(offeredUtilisation({...model, instances: 1})) + 1, options.minInstances ?? 1)
  // Past the bound nothing is simulated: a fleet the user ruled out is not an answer.
  if (first > options.maxInstances) return {rows: [], smallest: null, smallestStable: first}
  while (first < options.maxInstances && !(servingUtilisation(model, first, options.loss) < 1)) first++
  let miss = first - 1
  let hit: number | null = null
  for (let n = first, step = 1; ; n = Math.min(options.maxInstances, n + step), step *= 2) {
    if (evaluate(n).meetsObjective) {
      hit = n
      break
    }
    miss = n
    if (n >= options.maxInstances) break
  }
  if (hit !== null) {
    while (hit - miss > 1) {
      const mid = Math.floor((miss + hit) / 2)
      if (evaluate(mid).meetsObjective) hit = mid
      else miss = mid
    }
    if (options.neighbours !== false)
      for (const n of [hit - 1, hit + 1]) if (n >= 1 && n <= options.maxInstances) evaluate(n)
  }
  return {rows: [...evaluated.values()].sort((a, b) => a.instances - b.instances), smallest: hit}
}

/** Grid points of the inverse CDF drawn from a histogram: equal-probability quantiles. */
const QUANTILES = 2000

/** An empirical service-time distribution from an encoded latency histogram. */
export function serviceTimeFromHistogram(encoded: string): ServiceTimeModel {
  const histogram = decodeHistogram(encoded)
  const valuesMs = new Float64Array(QUANTILES)
  const cumulative = new Float64Array(QUANTILES)
  for (let i = 0; i < QUANTILES; i++) {
    valuesMs[i] = histogram.getValueAtPercentile(((i + 0.5) / QUANTILES) * 100) / 1000
    cumulative[i] = (i + 1) / QUANTILES
  }
  cumulative[QUANTILES - 1] = 1
  return {kind: 'empirical', valuesMs, cumulative}
}

export interface MeasuredService {
  serviceTime: ServiceTimeModel
  /** Slots per instance: the highest achieved rate × mean service time (Little's law), at least 1. */
  concurrency: number
  /** The step the distribution came from. */
  fromStep: number
  fromRatePerSec: number
  peakRatePerSec: number
}

/**
 * The service as a capacity search measured it. Service time is the response time of the
 * lowest-rate passing step (where queueing is least; it still holds the network round trip, so
 * the model errs slow). Concurrency is what Little's law needs to reach the highest achieved rate.
 */
export function serviceFromCapacity(capacity: CapacityResult): MeasuredService | {error: string} {
  const candidates = capacity.steps.filter((s) => s.passed && s.histogram !== undefined && s.achievedRatePerSec > 0)
  if (candidates.length === 0)
    return {
      error:
        'has no passing step with a latency histogram (results written by earlier versions lack them): run loadplan capacity again, or give --service-time and --concurrency',
    }
  const lowest = candidates.reduce((a, b) => (b.offeredRatePerSec < a.offeredRatePerSec ? b : a))
  const serviceTime = serviceTimeFromHistogram(lowest.histogram as string)
  const peakRatePerSec = Math.max(
    ...capacity.steps.map((s) => s.achievedRatePerSec),
    capacity.usl?.fit?.peakThroughput ?? 0,
  )
  const concurrency = Math.max(1, Math.round((peakRatePerSec * meanServiceTimeMs(serviceTime)) / 1000))
  return {serviceTime, concurrency, fromStep: lowest.index, fromRatePerSec: lowest.offeredRatePerSec, peakRatePerSec}
}

/** The same service on a machine `speed` times as fast: every service time divided by `speed`. */
export function scaleServiceTime(model: ServiceTimeModel, speed: number): ServiceTimeModel {
  if (model.kind === 'exponential') return {kind: 'exponential', meanMs: model.meanMs / speed}
  if (model.kind === 'constant') return {kind: 'constant', ms: model.ms / speed}
  return {kind: 'empirical', valuesMs: model.valuesMs.map((v) => v / speed), cumulative: model.cumulative}
}

/**
 * Fleet sizes by the SLO for a plan: `(type, rps) → smallest fleet` of a type `speedOf(type)` times
 * as fast as the measured one. Answers are memoised per type, and the fleet for a higher rate is
 * searched from the fleet a lower rate needed (more load never needs fewer instances), so a
 * twelve-month plan over many types costs a few simulations per type and month.
 * @returns undefined from the sizer when no fleet up to ten times the smallest stable one meets the objective
 */
export function sloFleetSizer(
  model: Omit<FleetModel, 'arrivalRatePerSec'>,
  objective: LatencyObjective,
  speedOf: (type: string) => number,
  seed: number,
): (type: string, rps: number) => number | undefined {
  const known = new Map<string, Array<{rps: number; instances: number | undefined}>>()
  return (type, rps) => {
    const answers = known.get(type) ?? []
    known.set(type, answers)
    const exact = answers.find((a) => a.rps === rps)
    if (exact) return exact.instances
    const lower = Math.max(
      1,
      ...answers.filter((a) => a.rps <= rps && a.instances !== undefined).map((a) => a.instances as number),
    )
    const scaled: FleetModel = {
      ...model,
      serviceTime: scaleServiceTime(model.serviceTime, speedOf(type)),
      arrivalRatePerSec: rps,
    }
    const firstStable = Math.floor(offeredUtilisation({...scaled, instances: 1})) + 1
    const instances =
      sizeFleet(scaled, objective, {
        loss: {kind: 'none'},
        maxInstances: Math.max(lower, firstStable) * 10 + 10,
        seed,
        minInstances: lower,
        neighbours: false,
      }).smallest ?? undefined
    answers.push({rps, instances})
    return instances
  }
}
