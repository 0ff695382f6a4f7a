/**
 * `loadplan simulate`: the fleet size that meets a latency SLO behind a load balancer, from a
 * capacity result's measured service times (or a stated model), by discrete-event simulation.
 */
import {meanServiceTimeMs, type ServiceTimeModel} from '../capacity/fleet-simulation.js'
import {evaluateFleet, serviceFromCapacity, sizeFleet, type FleetModel, type FleetSizeRow, type FleetSizing} from '../capacity/fleet-sizing.js'
import type {SimulateOptions} from '../config/simulate-options.js'
import {EXIT, InputError} from '../errors.js'
import {formatDurationMs} from '../format/units.js'
import {readResultFile} from '../io/read-result-file.js'
import {SIMULATION_DOCUMENT_SCHEMA, SIMULATION_DOCUMENT_VERSION, type SimulationDocument, type SimulationRow} from '../results/simulation-document.js'
import type {AppResult} from './app-result.js'

function describeServiceTime(model: ServiceTimeModel): string {
  if (model.kind === 'exponential') return `exponential, mean ${formatDurationMs(model.meanMs)}`
  if (model.kind === 'constant') return `constant ${formatDurationMs(model.ms)}`
  const at = (q: number) => formatDurationMs(model.valuesMs[Math.min(model.valuesMs.length - 1, Math.floor(q * model.valuesMs.length))] as number)
  return `measured: p50 ${at(0.5)}, p90 ${at(0.9)}, p99 ${at(0.99)}`
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

/** @throws InputError when the capacity file cannot give a service model */
export async function simulate(options: SimulateOptions, toolVersion: string): Promise<AppResult<SimulationDocument>> {
  let serviceTime = options.serviceTime
  let concurrency = options.concurrency
  let source = 'flags'
  const warnings: string[] = []
  if (options.capacityFile !== undefined) {
    const saved = await readResultFile(options.capacityFile)
    if ('error' in saved || saved.kind !== 'capacity') {
      const message = 'error' in saved ? saved.error : 'is a run result; give a CapacityResult from loadplan capacity --out'
      throw new InputError('Cannot simulate:', [{field: '--capacity', message, value: options.capacityFile}])
    }
    const measured = serviceFromCapacity(saved.result)
    if ('error' in measured) throw new InputError('Cannot simulate:', [{field: '--capacity', message: measured.error, value: options.capacityFile}])
    serviceTime ??= measured.serviceTime
    concurrency ??= measured.concurrency
    source = `${options.capacityFile}: service time from step ${measured.fromStep + 1} (${measured.fromRatePerSec}/s), concurrency ${measured.concurrency} = peak ${measured.peakRatePerSec.toFixed(0)}/s × mean service time (Little's law)`
    if (saved.result.stopReason === 'max-rate') warnings.push(`warning: the capacity search never broke its SLO, so its peak rate (and the concurrency ${measured.concurrency} derived from it) is a lower bound: the simulated fleet errs large`)
  }
  const model: FleetModel = {
    concurrency: concurrency as number,
    arrivalRatePerSec: options.ratePerSec,
    arrivalCv2: options.arrivalCv2,
    serviceTime: serviceTime as ServiceTimeModel,
    policy: options.policy,
    speeds: options.speeds,
    hash: options.hash,
    sticky: options.sticky,
    requests: options.requests,
    warmupRequests: Math.ceil(options.requests / 10),
  }
  let sizing: FleetSizing
  if (options.instances !== undefined) {
    const row = evaluateFleet(model, options.instances, options.loss, options.objective, options.seed)
    const byUtilisation = sizeFleet({...model, requests: 1000, warmupRequests: 0}, options.objective, {loss: options.loss, maxInstances: 1, seed: options.seed, targetUtilisation: options.targetUtilisation}).byUtilisation
    sizing = {rows: [row], smallest: row.meetsObjective ? options.instances : null, byUtilisation}
  } else {
    sizing = sizeFleet(model, options.objective, {loss: options.loss, maxInstances: options.maxInstances, seed: options.seed, targetUtilisation: options.targetUtilisation})
  }
  if (sizing.smallest === null && options.instances === undefined) warnings.push(`warning: no fleet of up to ${options.maxInstances} instances meets ${options.sloText}; raise --max-instances, or the SLO is below what one request takes`)
  const balanceDetail =
    options.policy === 'hash'
      ? `${options.hash.keys} keys, Zipf exponent ${options.hash.zipfExponent}, ${options.hash.virtualNodes} ring points per instance`
      : options.policy === 'sticky'
        ? `${options.sticky.sessions ?? '100 per instance'} sessions open, ${options.sticky.requestsPerSession} requests each on average`
        : undefined
  const loss = options.loss.kind === 'none' ? 'none' : options.loss.kind === 'instances' ? `${options.loss.count} instance${options.loss.count === 1 ? '' : 's'}` : `one zone of ${options.loss.zones}`
  const document: SimulationDocument = {
    schema: SIMULATION_DOCUMENT_SCHEMA,
    version: SIMULATION_DOCUMENT_VERSION,
    tool: {name: 'loadplan', version: toolVersion},
    service: {source, serviceTime: describeServiceTime(model.serviceTime), meanServiceTimeMs: meanServiceTimeMs(model.serviceTime), concurrency: model.concurrency},
    arrivals: {ratePerSec: options.ratePerSec, cv2: options.arrivalCv2},
    balance: options.policy,
    ...(balanceDetail ? {balanceDetail} : {}),
    slo: options.sloText,
    loss,
    requestsPerFleet: options.requests,
    seed: options.seed,
    rows: sizing.rows.map(toRow),
    smallest: sizing.smallest,
    byUtilisation: sizing.byUtilisation,
  }
  return {document, warnings, exitCode: sizing.smallest === null ? EXIT.thresholdsFailed : EXIT.ok}
}
