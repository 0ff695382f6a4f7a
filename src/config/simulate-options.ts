/** `loadplan simulate` options: every flag checked at once. Pure. */
import {
  BALANCE_POLICIES,
  type BalancePolicy,
  type HashOptions,
  type StickyOptions,
} from '../core/capacity/fleet-simulation.js'
import {type ServiceTimeModel} from '../core/capacity/service-time.js'
import {parseLatencyObjective, type FleetLoss, type LatencyObjective} from '../core/capacity/fleet-sizing.js'
import {ProblemList} from '../contracts/errors.js'
import type {HistorySource} from './forecast-options.js'
import {TRAFFIC_METRIC} from './monitor-options.js'
import {parseDurationMs, parseRatePerSec, parseRatio} from '../contracts/parse/parse-units.js'

/** Past a billion requests a second the figures lose meaning (and precision in the simulator's clock). */
const MAX_SIMULATED_RATE_PER_SEC = 1_000_000_000
/** The largest fleet simulated (--max-instances), and so the most instances one can lose. */
const MAX_FLEET_INSTANCES = 10_000
/** More zones than any region has. */
const MAX_ZONES = 16

export interface SimulateFlags {
  rate?: string
  capacity?: string
  serviceTime?: string
  concurrency?: string
  balance: string
  slo?: string
  instances?: string
  maxInstances: string
  lose: string
  zones: string
  arrivalCv2?: string
  arrivalsCsv?: string
  arrivalsRecording?: string
  keys: string
  zipf: string
  sessions?: string
  sessionRequests: string
  speeds?: string
  requests: string
  seed: string
  targetUtilization: string
}

/** A recorded request rate: a CSV or a monitor recording. */
export type RecordedRate = Extract<HistorySource, {kind: 'csv' | 'recording'}>

export interface SimulateOptions {
  ratePerSec: number
  /** A capacity result to take the service time and concurrency from. */
  capacityFile?: string
  serviceTime?: ServiceTimeModel
  concurrency?: number
  policy: BalancePolicy
  objective: LatencyObjective
  sloText: string
  /** Simulate this fleet size only. */
  instances?: number
  maxInstances: number
  loss: FleetLoss
  /** Burstiness stated; undefined when it comes from `arrivals` (or Poisson, 1, without either). */
  arrivalCv2?: number
  /** A recorded request rate to measure the burstiness from. */
  arrivals?: RecordedRate
  hash: HashOptions
  sticky: StickyOptions
  speeds?: number[]
  requests: number
  seed: number
  targetUtilisation: number
}

const SERVICE_TIME = /^(exp|exponential|const|constant):(.+)$/

/** `exp:20ms` (exponential, mean 20 ms) or `const:20ms`. */
export function parseServiceTime(text: string): ServiceTimeModel | undefined {
  const match = SERVICE_TIME.exec(text.trim())
  const ms = match ? parseDurationMs((match[2] as string).trim()) : undefined
  if (!match || ms === undefined || !(ms > 0)) return undefined
  return match[1]?.startsWith('exp') ? {kind: 'exponential', meanMs: ms} : {kind: 'constant', ms}
}

const positiveInteger = (text: string | undefined) =>
  text !== undefined && /^\s*\d+\s*$/.test(text) && Number(text) > 0 ? Number(text) : undefined

/** @throws InputError listing every problem */
export function resolveSimulateOptions(flags: SimulateFlags): SimulateOptions {
  const problems = new ProblemList()
  const ratePerSec = flags.rate === undefined ? undefined : parseRatePerSec(flags.rate)
  if (flags.rate === undefined) problems.add('--rate', 'give the arrival rate the fleet must carry, e.g. --rate 1200/s')
  else if (!(ratePerSec !== undefined && ratePerSec > 0 && ratePerSec <= MAX_SIMULATED_RATE_PER_SEC))
    problems.add(
      '--rate',
      `expected a positive rate up to ${MAX_SIMULATED_RATE_PER_SEC.toLocaleString('en-US')}/s, such as 1200/s`,
      flags.rate,
    )
  const serviceTime = flags.serviceTime === undefined ? undefined : parseServiceTime(flags.serviceTime)
  if (flags.serviceTime !== undefined && serviceTime === undefined)
    problems.add(
      '--service-time',
      'expected exp:<duration> (exponential with that mean) or const:<duration>, e.g. exp:20ms',
      flags.serviceTime,
    )
  const concurrency = flags.concurrency === undefined ? undefined : positiveInteger(flags.concurrency)
  if (flags.concurrency !== undefined && (concurrency === undefined || concurrency > 100_000))
    problems.add(
      '--concurrency',
      'expected a whole number of requests one instance serves at once, up to 100000, e.g. 8',
      flags.concurrency,
    )
  if (flags.capacity === undefined && flags.serviceTime === undefined)
    problems.add(
      '--capacity',
      'give a capacity result (loadplan capacity --out cap.json) or --service-time exp:20ms with --concurrency N',
    )
  if (flags.capacity === undefined && flags.serviceTime !== undefined && flags.concurrency === undefined)
    problems.add(
      '--concurrency',
      'with --service-time, say how many requests one instance serves at once, e.g. --concurrency 8',
    )
  if (!(BALANCE_POLICIES as readonly string[]).includes(flags.balance))
    problems.add('--balance', `expected one of ${BALANCE_POLICIES.join(', ')}`, flags.balance)

  const found = parseLatencyObjective(flags.slo, problems)
  const objective: LatencyObjective | undefined = found && {percentile: found.percentile, limitMs: found.limitMs}
  const sloText = found?.expression ?? ''
  const instances = flags.instances === undefined ? undefined : positiveInteger(flags.instances)
  if (flags.instances !== undefined && (instances === undefined || instances > 10_000))
    problems.add('--instances', 'expected a whole number of instances up to 10000, e.g. 6', flags.instances)
  if (instances !== undefined && concurrency !== undefined && instances * concurrency > 10_000_000)
    problems.add(
      '--concurrency',
      `${instances} instances × ${concurrency} slots is more than the 10,000,000 slots a simulation holds`,
      flags.concurrency,
    )
  const maxInstances = positiveInteger(flags.maxInstances)
  if (maxInstances === undefined || maxInstances > MAX_FLEET_INSTANCES)
    problems.add('--max-instances', `expected a whole number from 1 to ${MAX_FLEET_INSTANCES}`, flags.maxInstances)
  const zones = positiveInteger(flags.zones)
  if (zones === undefined || zones < 2 || zones > MAX_ZONES)
    problems.add('--zones', `expected 2 to ${MAX_ZONES} zones`, flags.zones)
  let loss: FleetLoss = {kind: 'none'}
  if (flags.lose === 'zone') loss = {kind: 'zone', zones: zones ?? 3}
  else if (/^\s*\d+\s*$/.test(flags.lose) && Number(flags.lose) <= MAX_FLEET_INSTANCES)
    loss = Number(flags.lose) === 0 ? {kind: 'none'} : {kind: 'instances', count: Number(flags.lose)}
  else
    problems.add(
      '--lose',
      `expected a number of instances from 0 to ${MAX_FLEET_INSTANCES.toLocaleString('en-US')} (e.g. 1) or zone`,
      flags.lose,
    )
  const arrivalCv2 = flags.arrivalCv2 === undefined ? undefined : Number(flags.arrivalCv2)
  if (arrivalCv2 !== undefined && !(arrivalCv2 >= 0.05 && arrivalCv2 <= 100))
    problems.add(
      '--arrival-cv2',
      'expected the squared coefficient of variation of arrival gaps, from 0.05 to 100 (1 is Poisson)',
      flags.arrivalCv2,
    )
  const arrivalSources = [
    flags.arrivalCv2 && '--arrival-cv2',
    flags.arrivalsCsv && '--arrivals-csv',
    flags.arrivalsRecording && '--arrivals-recording',
  ].filter(Boolean)
  if (arrivalSources.length > 1)
    problems.add(
      arrivalSources[1] as string,
      `give one of ${arrivalSources.join(', ')}: each sets the arrivals' burstiness`,
    )
  const arrivals: RecordedRate | undefined =
    flags.arrivalsCsv !== undefined
      ? {kind: 'csv', path: flags.arrivalsCsv}
      : flags.arrivalsRecording !== undefined
        ? {kind: 'recording', db: flags.arrivalsRecording, metric: TRAFFIC_METRIC}
        : undefined
  const keys = positiveInteger(flags.keys)
  if (keys === undefined || keys > 10_000_000)
    problems.add('--keys', 'expected a whole number of distinct keys up to 10000000', flags.keys)
  const zipf = Number(flags.zipf)
  if (!(zipf >= 0 && zipf <= 5)) problems.add('--zipf', 'expected a Zipf exponent from 0 (uniform) to 5', flags.zipf)
  const sessions = flags.sessions === undefined ? undefined : positiveInteger(flags.sessions)
  if (flags.sessions !== undefined && (sessions === undefined || sessions > 10_000_000))
    problems.add('--sessions', 'expected a whole number of sessions open at once, up to 10000000', flags.sessions)
  const requestsPerSession = Number(flags.sessionRequests)
  if (!(requestsPerSession >= 1))
    problems.add('--session-requests', 'expected the mean requests per session, 1 or more', flags.sessionRequests)
  const speeds = flags.speeds?.split(',').map((s) => Number(s.trim()))
  if (speeds !== undefined && !speeds.every((s) => s > 0 && Number.isFinite(s)))
    problems.add('--speeds', 'expected positive relative speeds, comma-separated, e.g. 1,1,2', flags.speeds)
  if (speeds !== undefined && instances === undefined)
    problems.add('--speeds', 'needs --instances (one speed per instance)', flags.speeds)
  if (speeds !== undefined && instances !== undefined && speeds.length !== instances)
    problems.add('--speeds', `gives ${speeds.length} speeds for ${instances} instances`, flags.speeds)
  if (speeds !== undefined && loss.kind !== 'none')
    problems.add(
      '--lose',
      'a heterogeneous fleet (--speeds) cannot say which instance is lost; leave --lose out',
      flags.lose,
    )
  const requests = positiveInteger(flags.requests)
  if (requests === undefined || requests < 1000 || requests > 100_000_000)
    problems.add('--requests', 'expected a whole number from 1000 to 100000000', flags.requests)
  const seed = Number(flags.seed)
  if (!Number.isInteger(seed)) problems.add('--seed', 'expected an integer', flags.seed)
  const targetUtilisation = parseRatio(flags.targetUtilization)
  if (!(targetUtilisation !== undefined && targetUtilisation > 0 && targetUtilisation < 1))
    problems.add('--target-utilization', 'expected a share between 0 and 1, e.g. 70%', flags.targetUtilization)
  problems.throwIfAny('Cannot simulate:')
  return {
    ratePerSec: ratePerSec as number,
    capacityFile: flags.capacity,
    serviceTime,
    concurrency,
    policy: flags.balance as BalancePolicy,
    objective: objective as LatencyObjective,
    sloText,
    instances,
    maxInstances: maxInstances as number,
    loss,
    arrivalCv2,
    arrivals,
    hash: {keys: keys as number, zipfExponent: zipf, virtualNodes: 100},
    sticky: {sessions, requestsPerSession},
    speeds,
    requests: requests as number,
    seed,
    targetUtilisation: targetUtilisation as number,
  }
}
