/**
 * Autoscaling what-if over a forecast week: a reactive target-tracking policy (the Kubernetes HPA
 * rule), a predictive schedule from the forecast, and a fixed fleet sized for the peak, each
 * scored by instance-hours, cost and hours in which demand exceeds what the fleet sustains. Pure.
 */
import type {PolicyOutcome} from '../../contracts/results/plan-document.js'
import {withRedundancy, type Redundancy} from './capacity-plan.js'

export interface ReplayInput {
  /** Demand per hour, requests/s (the forecast mean). */
  demandRps: readonly number[]
  /** What the predictive schedule provisions for, per hour (e.g. the forecast's 80 % upper band). */
  plannedRps: readonly number[]
  /** Sustainable requests/s of one instance (meets the SLO). */
  perInstanceRps: number
  /** HPA target utilisation, e.g. 0.7. */
  targetUtilization: number
  minReplicas: number
  maxReplicas: number
  /** Scale-down stabilisation: replicas never drop below the highest recommendation of the last this-many hours. */
  stabilizationHours: number
  /** HPA tolerance: no change while current/desired is within ±this (Kubernetes default 0.1). */
  tolerance: number
  priceUsdPerHour: number
  /**
   * The plan's redundancy, held on top of what each policy provisions for the load (n + k spares,
   * or zones that survive losing one), so the policies compare with the fixed fleet the plan
   * buys, spares included. None: no spares.
   */
  redundancy?: Redundancy
}

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n))

/** A policy's replicas for the load, with the plan's spares added. */
function withSpares(replicas: readonly number[], input: ReplayInput): number[] {
  const redundancy = input.redundancy
  return redundancy ? replicas.map((n) => withRedundancy(n, redundancy)) : [...replicas]
}

function outcome(policy: PolicyOutcome['policy'], replicas: number[], input: ReplayInput): PolicyOutcome {
  const instanceHours = replicas.reduce((a, b) => a + b, 0)
  const sloMissHours = replicas.filter(
    (r, t) => (input.demandRps[t] as number) > r * input.perInstanceRps + 1e-9,
  ).length
  return {policy, replicas, instanceHours, costUsd: instanceHours * input.priceUsdPerHour, sloMissHours}
}

/**
 * The HPA reacts to what it measured in the previous hour: desired = ⌈current × utilisation /
 * target⌉ = ⌈demand / (rate × target)⌉; no change within the tolerance; scale-up at once,
 * scale-down only to the highest recommendation of the stabilisation window.
 */
export function replayReactive(input: ReplayInput): PolicyOutcome {
  const replicas: number[] = []
  const recommendations: number[] = []
  let current = clamp(
    Math.ceil((input.demandRps[0] as number) / (input.perInstanceRps * input.targetUtilization)),
    input.minReplicas,
    input.maxReplicas,
  )
  for (let t = 0; t < input.demandRps.length; t++) {
    if (t > 0) {
      const utilization = (input.demandRps[t - 1] as number) / (current * input.perInstanceRps)
      const ratio = utilization / input.targetUtilization
      const desired = Math.abs(ratio - 1) <= input.tolerance ? current : Math.ceil(current * ratio - 1e-9)
      recommendations.push(desired)
      const window = recommendations.slice(-Math.max(1, input.stabilizationHours))
      const next = desired >= current ? desired : Math.max(desired, Math.min(current, Math.max(...window)))
      current = clamp(next, input.minReplicas, input.maxReplicas)
    }
    replicas.push(current)
  }
  return outcome('reactive', withSpares(replicas, input), input)
}

/** Provision each hour ahead of time for the planned demand. */
export function replayPredictive(input: ReplayInput): PolicyOutcome {
  const replicas = input.plannedRps.map((rps) =>
    clamp(
      Math.ceil(rps / (input.perInstanceRps * input.targetUtilization) - 1e-9),
      input.minReplicas,
      input.maxReplicas,
    ),
  )
  return outcome('predictive', withSpares(replicas, input), input)
}

/**
 * A fixed fleet: `replicas` when given (the plan passes its month-1 fleet, so the what-if compares
 * the policies with what the plan buys), else sized for the week's peak of the planned demand.
 */
export function replayFixed(input: ReplayInput, replicas?: number): PolicyOutcome {
  const peak = Math.max(...input.plannedRps)
  const n =
    replicas ??
    clamp(
      Math.ceil(peak / (input.perInstanceRps * input.targetUtilization) - 1e-9),
      input.minReplicas,
      input.maxReplicas,
    )
  return outcome(
    'fixed',
    input.demandRps.map(() => n),
    input,
  )
}
