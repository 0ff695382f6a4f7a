/**
 * `loadplan demo`: the whole job in under a minute with nothing else installed. Starts the
 * embedded sample service on 127.0.0.1, measures its capacity briefly, forecasts a bundled real
 * traffic history, and plans twelve months with costs; then stops the service.
 */
import {join} from 'node:path'
import {parseSlo} from '../core/capacity/slo.js'
import {DEFAULT_RESERVED, PLAN_DEFAULTS, type PlanFormat, type PlanOptions} from '../config/plan-options.js'
import {parseRatio} from '../contracts/parse/parse-units.js'
import {resolveRunOptions} from '../config/run/resolve-run-options.js'
import {startDemoServer} from '../adapters/demo/start-demo-server.js'
import {startCapacitySearch, type CapacitySettings} from '../core/engine/capacity-runner.js'
import {EXIT} from '../contracts/errors.js'
import {readHostInventory} from '../adapters/host/inventory.js'
import {readSeriesCsv} from '../adapters/io/read-series-csv.js'
import type {CapacityResult} from '../contracts/results/capacity-result.js'
import type {AppResult} from './app-result.js'
import {buildPlan, type PlanOutput} from './plan.js'

/** The bundled hourly counts (about 300–1,100) are read as requests/s × this, a load worth planning for. */
const TRAFFIC_SCALE = 3
/** The Graviton compute type with the host's vCPU count, to price the measured instance. */
const TYPE_BY_VCPU: Record<number, string> = {
  1: 'c7g.medium',
  2: 'c7g.large',
  4: 'c7g.xlarge',
  8: 'c7g.2xlarge',
  16: 'c7g.4xlarge',
}
/**
 * A short search: 100/s doubling until the demo service's knee (about 1,000/s on a 2-vCPU host),
 * then bisection to 10 %, 2 s steps; at most 30 s of load. The maximum rate is far above the knee
 * so that the search finds it rather than stopping at its own cap.
 */
const DEMO_SEARCH: CapacitySettings = {
  startRatePerSec: 100,
  growthFactor: 2,
  maxRatePerSec: 12_800,
  precision: 0.1,
  confirm: false,
  minRatePerSec: 1,
  stepDurationMs: 2000,
  warmupMs: 500,
  maxDurationMs: 30_000,
  maxErrorRatio: 0.2,
  maxInFlight: 1000,
  maxDroppedRatio: 0.01,
}
const DEMO_SLO = 'p99<50ms,errors<1%'
/** Assumed, not measured: the demo's service keeps no data of its own. */
const DEMO_STORAGE = {gb: 50, growthPerMonth: 0.05}

export interface DemoInput {
  packageRoot: string
  toolVersion: string
  format: PlanFormat
  html?: string
  nowMs: number
  /** Progress for stderr. */
  log(line: string): void
}

/** The plan step of the demo: the bundled history, moved to end now, on AWS c7g and m7g. */
export function planDemo(
  capacity: CapacityResult,
  input: Omit<DemoInput, 'log' | 'toolVersion'>,
): Promise<AppResult<PlanOutput>> {
  const history = readSeriesCsv(join(input.packageRoot, 'plans', 'data', 'sample-traffic.csv')).observations
  // Move the history so that it ends at the last full hour: the plan then starts next month.
  const lastHourMs = Math.floor(input.nowMs / 3_600_000) * 3_600_000 - 3_600_000
  const shiftMs = lastHourMs - (history.at(-1)?.timeMs ?? lastHourMs)
  const observations = history.map((o) => ({timeMs: o.timeMs + shiftMs, value: o.value * TRAFFIC_SCALE}))
  const options: PlanOptions = {
    demand: {kind: 'observations', observations},
    aggregate: 'mean',
    instanceType: capacity.host.instanceType,
    provider: 'aws',
    families: ['c7g', 'm7g'],
    // The plan's own defaults: the peak at a 5 % risk, at 100 % of the measured capacity, plus n+1.
    targetUtilization: parseRatio(PLAN_DEFAULTS.targetUtilization) as number,
    redundancy: {kind: 'n+k', spare: 1},
    redundancyText: 'n+1',
    risk: parseRatio(PLAN_DEFAULTS.risk) as number,
    sizeBy: 'utilization',
    balance: 'round-robin',
    months: 12,
    holdType: false,
    pricing: 'on-demand',
    translation: 'auto',
    scaleFactor: 1,
    reservedCpu: DEFAULT_RESERVED.cpu,
    reservedMemoryGiB: DEFAULT_RESERVED.memoryGiB,
    storageGb: DEMO_STORAGE.gb,
    storageGrowthPerMonth: DEMO_STORAGE.growthPerMonth,
    // Egress from what the search received per response (headers included): measured, not assumed.
    ...(capacity.bytesPerResponse ? {bytesPerRequest: capacity.bytesPerResponse} : {}),
    format: input.format,
    service: 'demo service',
  }
  return buildPlan({options, capacityResult: capacity, html: input.html, nowMs: input.nowMs})
}

/** What the demo takes for granted that a real plan would measure or be told, one line each. */
export function demoAssumptions(capacity: CapacityResult, vCpus: number, instanceType: string): string[] {
  const bytes = capacity.bytesPerResponse
  return [
    `instance: this ${vCpus}-vCPU host stands for one ${instanceType} (the service and loadplan share it)`,
    `traffic: plans/data/sample-traffic.csv × ${TRAFFIC_SCALE} as requests/s, moved to end this hour`,
    bytes
      ? `egress: ${(bytes / 1000).toFixed(1)} kB per response, as measured by the search (headers included)`
      : 'egress: not priced (the search received no responses to measure)',
    `storage: ${DEMO_STORAGE.gb} GB growing ${DEMO_STORAGE.growthPerMonth * 100} %/month (assumed; the service stores nothing)`,
    "fleet: the 80 % band of each month's peak at 70 % utilisation, n+1, on-demand list prices",
  ]
}

export async function runDemo(input: DemoInput): Promise<AppResult<PlanOutput | undefined>> {
  const server = await startDemoServer()
  try {
    const {log} = input
    const inventory = await readHostInventory()
    const instanceType = TYPE_BY_VCPU[inventory.vCpus] ?? 'c7g.large'
    log(`1/3 capacity: the highest rate the demo service (${server.url}) serves with p99 < 50 ms`)
    log('    and < 1 % errors: a capacity search of about 20 s')
    const base = resolveRunOptions({url: `${server.url}/`, flags: {timeout: '2s'}, defaultSeed: 1})
    const handle = startCapacitySearch({
      base,
      slo: parseSlo(DEMO_SLO, undefined),
      settings: DEMO_SEARCH,
      concurrency: [],
      host: {...inventory, instanceType},
      toolVersion: input.toolVersion,
      onStep: (line) => log(`    ${line}`),
    })
    const capacity = await handle.done
    if (capacity.sustainableRatePerSec === null) {
      return {
        document: undefined,
        warnings: ['the demo service sustained no rate on this machine; is it very busy?'],
        exitCode: EXIT.thresholdsFailed,
      }
    }
    log(`    sustainable: ${capacity.sustainableRatePerSec}/s per instance`)
    log('2/3 forecast: the bundled hourly traffic history, fitted and projected 12 months')
    log('3/3 plan: instances and cost per month on AWS us-east-1 (Graviton c7g and m7g)')
    log('the demo assumes, one line each:')
    for (const line of demoAssumptions(capacity, inventory.vCpus, instanceType)) log(`  - ${line}`)
    return planDemo(capacity, input)
  } finally {
    await server.stop()
  }
}
