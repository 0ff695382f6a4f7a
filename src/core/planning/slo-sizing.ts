/**
 * `--size-by slo`: fleet sizes from a simulation of the service the capacity result measured, each
 * candidate type running it as many times faster as its translated capacity says.
 */
import {serviceTimePercentileMs} from '../capacity/service-time.js'
import {latencyObjective, serviceFromCapacity, sloFleetSizer} from '../capacity/fleet-sizing.js'
import {parseSlo} from '../capacity/slo.js'
import {DataError, InputError} from '../../contracts/errors.js'
import type {CapacityResult} from '../../contracts/results/capacity-result.js'
import type {PlanOptions} from './plan-settings.js'

export type FleetSizer = ReturnType<typeof sloFleetSizer>

/** Requests simulated per fleet size when a plan sizes by the SLO (a tenth more warm up first). */
const PLAN_SIMULATED_REQUESTS = 50_000

/**
 * `--size-by slo`: fleet sizes from a simulation of the service the capacity result measured, each
 * candidate type running it as many times faster as its translated capacity says.
 * @throws InputError without a capacity result whose steps carry histograms
 */
export function sloSizing(
  options: PlanOptions,
  capacity: CapacityResult | undefined,
  perInstanceRps: Record<string, number>,
  measuredRps: number,
  sizers: Map<string, FleetSizer>,
): {instances: (type: string, rps: number) => number; tooSlow: string[]; assumption: string} {
  const measured = capacity
    ? serviceFromCapacity(capacity)
    : {error: 'needs the measured service: give --capacity cap.json from loadplan capacity'}
  if ('error' in measured)
    throw new InputError('Cannot plan:', [{field: '--size-by', message: `slo ${measured.error}`, value: 'slo'}])
  const objective =
    options.slo ??
    latencyObjective(parseSlo(capacity?.slo.join(','), undefined)) ??
    latencyObjective(parseSlo(undefined, undefined))
  if (objective === undefined)
    throw new InputError('Cannot plan:', [
      {field: '--slo', message: 'the capacity result has no latency percentile objective; give --slo "p99<250ms"'},
    ])
  const model = {
    concurrency: measured.concurrency,
    arrivalCv2: 1,
    serviceTime: measured.serviceTime,
    policy: options.balance,
    requests: PLAN_SIMULATED_REQUESTS,
    warmupRequests: PLAN_SIMULATED_REQUESTS / 10,
  }
  const speedOf = (type: string) => (perInstanceRps[type] as number) / measuredRps
  // One sizer per objective and balancer for all the plans of a prepared plan (the explorer's):
  // it remembers each fleet it simulated, keyed by the type and its speed.
  const key = `${objective.expression}|${options.balance}`
  const sizer =
    sizers.get(key) ??
    sloFleetSizer(model, objective, (typeAtSpeed) => Number(typeAtSpeed.slice(typeAtSpeed.lastIndexOf('@') + 1)), 1)
  sizers.set(key, sizer)
  // A type on which the service time alone exceeds the objective misses it at any fleet size.
  const floorMs = serviceTimePercentileMs(measured.serviceTime, objective.percentile)
  const tooSlow = Object.keys(perInstanceRps).filter((type) => floorMs / speedOf(type) >= objective.limitMs * 0.98)
  return {
    tooSlow,
    instances(type, rps) {
      const n = sizer(`${type}@${speedOf(type)}`, rps)
      if (n === undefined)
        throw new DataError(
          `no fleet of ${type} meets ${objective.expression} at ${rps.toFixed(0)} req/s in the simulation: one request alone takes too long there`,
        )
      return n
    },
    assumption: `as the smallest fleet whose simulated ${objective.expression} holds behind ${options.balance} (service time from capacity step ${measured.fromStep + 1}, ${measured.concurrency} requests at once per instance, Poisson arrivals; ${PLAN_SIMULATED_REQUESTS.toLocaleString('en')} requests per size)${tooSlow.length > 0 ? `; left out as too slow for it at any fleet size (service time alone above the objective): ${tooSlow.join(', ')}` : ''}`,
  }
}
