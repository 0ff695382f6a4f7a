/**
 * `loadplan simulate`: the fleet size that meets a latency SLO behind a load balancer, from a
 * capacity result's measured service times (or a stated model), by discrete-event simulation.
 */
import {meanServiceTimeMs, serviceTimePercentileMs, type ServiceTimeModel} from '../core/capacity/service-time.js'
import {
  evaluateFleet,
  fleetByUtilisation,
  serviceFromCapacity,
  sizeFleet,
  type FleetModel,
  type FleetSizeRow,
  type FleetSizing,
} from '../core/capacity/fleet-sizing.js'
import {arrivalBurstiness, MIN_BURSTINESS_PERIODS} from '../core/capacity/arrival-burstiness.js'
import type {RecordedRate, SimulateOptions} from '../config/simulate-options.js'
import {EXIT, ProblemList} from '../contracts/errors.js'
import {formatDurationMs} from '../contracts/format/units.js'
import {readCapacityFlag} from '../adapters/io/read-result-file.js'
import {
  SIMULATION_DOCUMENT_SCHEMA,
  SIMULATION_DOCUMENT_VERSION,
  type SimulationDocument,
  type SimulationRow,
} from '../contracts/results/simulation-document.js'
import type {AppResult} from './app-result.js'
import {readHistory} from './forecast.js'

function describeServiceTime(model: ServiceTimeModel): string {
  if (model.kind === 'exponential') return `exponential, mean ${formatDurationMs(model.meanMs)}`
  if (model.kind === 'constant') return `constant ${formatDurationMs(model.ms)}`
  const at = (percentile: number) => formatDurationMs(serviceTimePercentileMs(model, percentile))
  return `measured: p50 ${at(50)}, p90 ${at(90)}, p99 ${at(99)}`
}

function toRow(row: FleetSizeRow): SimulationRow {
  const s = row.simulation
  return {
    instances: row.instances,
    serving: row.serving,
    offeredUtilisation: row.offeredUtilisation,
    stable: s !== null,
    p50Ms: s?.p50Ms ?? null,
    p90Ms: s?.p90Ms ?? null,
    p99Ms: s?.p99Ms ?? null,
    p999Ms: s?.p999Ms ?? null,
    meanWaitMs: s?.meanWaitMs ?? null,
    waitedRatio: s?.waitedRatio ?? null,
    maxInstanceUtilisation: s?.maxInstanceUtilisation ?? null,
    meetsSlo: row.meetsObjective,
  }
}

/** The arrivals' burstiness measured from a recorded rate, or a problem on the flag that named it. */
async function measuredArrivals(
  source: RecordedRate,
  problems: ProblemList,
  warnings: string[],
): Promise<{cv2: number; source: string} | undefined> {
  const field = source.kind === 'csv' ? '--arrivals-csv' : '--arrivals-recording'
  const history = await readHistory(source, 0)
  const measured = arrivalBurstiness(history.observations)
  if (!measured) {
    problems.add(
      field,
      `needs at least ${MIN_BURSTINESS_PERIODS} periods of a request rate at a fine, regular step (a second is best), with some arrivals`,
      source.kind === 'csv' ? source.path : source.db,
    )
    return undefined
  }
  if (measured.periodSec > 10)
    warnings.push(
      `warning: ${history.source} has one value per ${formatDurationMs(measured.periodSec * 1000)}: its burstiness is that of whole periods, not the sub-second bursts a queue sees; record at a finer step (loadplan monitor --interval 1s)`,
    )
  const cv2 = Math.min(100, Math.max(0.05, measured.cv2))
  return {
    cv2,
    source: `${history.source}: index of dispersion ${measured.cv2.toFixed(2)} over ${measured.periods} periods of ${formatDurationMs(measured.periodSec * 1000)}, mean ${measured.meanRatePerSec.toFixed(1)}/s`,
  }
}

/** @throws InputError when the capacity file cannot give a service model */
export async function simulate(options: SimulateOptions, toolVersion: string): Promise<AppResult<SimulationDocument>> {
  let serviceTime = options.serviceTime
  let concurrency = options.concurrency
  let source = 'flags'
  const warnings: string[] = []
  const problems = new ProblemList()
  const capacity = await readCapacityFlag(options.capacityFile, problems)
  const measured = capacity ? serviceFromCapacity(capacity) : undefined
  if (measured && 'error' in measured) problems.add('--capacity', measured.error, options.capacityFile)
  const arrivals = options.arrivals ? await measuredArrivals(options.arrivals, problems, warnings) : undefined
  problems.throwIfAny('Cannot simulate:')
  const arrivalCv2 = arrivals?.cv2 ?? options.arrivalCv2 ?? 1
  if (capacity && measured && !('error' in measured)) {
    serviceTime ??= measured.serviceTime
    concurrency ??= measured.concurrency
    source = `${options.capacityFile}: service time from step ${measured.fromStep + 1} (${measured.fromRatePerSec}/s), concurrency ${measured.concurrency} = peak served ${measured.peakRatePerSec.toFixed(0)}/s × mean service time (Little's law)${capacity.sustainableRatePerSec === null ? '' : `; the sustainable ${capacity.sustainableRatePerSec}/s capacity reports is the rate offered, the peak served is what the target answered`}`
    if (capacity.stopReason === 'max-rate')
      warnings.push(
        `warning: the capacity search never broke its SLO, so its peak rate (and the concurrency ${measured.concurrency} derived from it) is a lower bound: the simulated fleet errs large`,
      )
  }
  const model: FleetModel = {
    concurrency: concurrency as number,
    arrivalRatePerSec: options.ratePerSec,
    arrivalCv2,
    serviceTime: serviceTime as ServiceTimeModel,
    policy: options.policy,
    speeds: options.speeds,
    hash: options.hash,
    sticky: options.sticky,
    requests: options.requests,
    warmupRequests: Math.ceil(options.requests / 10),
  }
  let sizing: FleetSizing
  const floorMs = serviceTimePercentileMs(model.serviceTime, options.objective.percentile)
  if (floorMs >= options.objective.limitMs) {
    // Queueing only adds to the service time: no fleet can bring the percentile below it.
    warnings.push(
      `warning: the service time alone has p${options.objective.percentile} ${formatDurationMs(floorMs)}, not below ${options.sloText}: no fleet size can meet it`,
    )
    sizing = {rows: [], smallest: null}
  } else if (options.instances !== undefined) {
    const row = evaluateFleet(model, options.instances, options.loss, options.objective, options.seed)
    sizing = {rows: [row], smallest: row.meetsObjective ? options.instances : null}
  } else {
    sizing = sizeFleet(model, options.objective, {
      loss: options.loss,
      maxInstances: options.maxInstances,
      seed: options.seed,
    })
  }
  if (sizing.smallestStable !== undefined)
    warnings.push(
      `warning: no fleet of up to ${options.maxInstances} instances can even keep up: at ${options.ratePerSec.toLocaleString('en-US')}/s the smallest whose utilisation is below 100 % has ${sizing.smallestStable} instances, so none was simulated; raise --max-instances to at least ${sizing.smallestStable}, or check --rate and the service time`,
    )
  else if (sizing.smallest === null && options.instances === undefined && sizing.rows.length > 0)
    warnings.push(
      `warning: no fleet of up to ${options.maxInstances} instances meets ${options.sloText}; raise --max-instances, or the SLO is below what one request takes`,
    )
  const balanceDetail =
    options.policy === 'hash'
      ? `${options.hash.keys} keys, Zipf exponent ${options.hash.zipfExponent}, ${options.hash.virtualNodes} ring points per instance`
      : options.policy === 'sticky'
        ? `${options.sticky.sessions ?? '100 per instance'} sessions open, ${options.sticky.requestsPerSession} requests each on average`
        : undefined
  const loss =
    options.loss.kind === 'none'
      ? 'none'
      : options.loss.kind === 'instances'
        ? `${options.loss.count} instance${options.loss.count === 1 ? '' : 's'}`
        : `one zone of ${options.loss.zones}`
  const document: SimulationDocument = {
    schema: SIMULATION_DOCUMENT_SCHEMA,
    version: SIMULATION_DOCUMENT_VERSION,
    tool: {name: 'loadplan', version: toolVersion},
    service: {
      source,
      serviceTime: describeServiceTime(model.serviceTime),
      meanServiceTimeMs: meanServiceTimeMs(model.serviceTime),
      concurrency: model.concurrency,
    },
    arrivals: {ratePerSec: options.ratePerSec, cv2: arrivalCv2, ...(arrivals ? {source: arrivals.source} : {})},
    balance: options.policy,
    ...(balanceDetail ? {balanceDetail} : {}),
    slo: options.sloText,
    loss,
    requestsPerFleet: options.requests,
    seed: options.seed,
    rows: sizing.rows.map(toRow),
    smallest: sizing.smallest,
    byUtilisation: {
      targetUtilisation: options.targetUtilisation,
      instances: fleetByUtilisation(model, options.loss, options.targetUtilisation),
    },
  }
  return {document, warnings, exitCode: sizing.smallest === null ? EXIT.thresholdsFailed : EXIT.ok}
}
