/**
 * `loadplan demo`: the whole job in under a minute with nothing else installed. Starts the
 * embedded sample service on 127.0.0.1, measures its capacity briefly, forecasts a bundled real
 * traffic history, and prints a twelve-month plan with costs; then stops the service.
 */
import {join} from 'node:path'
import {parseSlo} from '../capacity/slo.js'
import {resolveRunOptions} from '../config/run-options.js'
import {startDemoServer} from '../demo/start-demo-server.js'
import {startCapacitySearch} from '../engine/capacity-runner.js'
import {readHostInventory} from '../host/inventory.js'
import {readSeriesCsv} from '../io/read-series-csv.js'
import {EXIT} from './exit-codes.js'
import {executePlan} from './execute-plan.js'
import {reportError} from './report-error.js'

/** The bundled hourly counts (about 300–1,100) are read as requests/s × this, a load worth planning for. */
const TRAFFIC_SCALE = 3
/** The Graviton compute type with the host's vCPU count, to price the measured instance. */
const TYPE_BY_VCPU: Record<number, string> = {1: 'c7g.medium', 2: 'c7g.large', 4: 'c7g.xlarge', 8: 'c7g.2xlarge', 16: 'c7g.4xlarge'}

export interface ExecuteDemoInput {
  packageRoot: string
  toolVersion: string
  format: string
  html?: string
  nowMs: number
}

export async function executeDemo(input: ExecuteDemoInput): Promise<number> {
  const server = await startDemoServer()
  try {
    const log = (line: string) => process.stderr.write(`${line}\n`)
    const inventory = await readHostInventory()
    const instanceType = TYPE_BY_VCPU[inventory.vCpus] ?? 'c7g.large'
    log(`1/3 capacity: searching the demo service at ${server.url} for the highest rate with p99 < 50 ms and < 1 % errors (about 20 s)`)
    const base = resolveRunOptions({url: `${server.url}/`, flags: {timeout: '2s'}, defaultSeed: 1})
    const handle = startCapacitySearch({
      base,
      slo: parseSlo('p99<50ms,errors<1%', undefined),
      settings: {startRatePerSec: 100, growthFactor: 2, maxRatePerSec: 1600, precision: 0.1, confirm: false, minRatePerSec: 1, stepDurationMs: 2000, warmupMs: 500, maxDurationMs: 20_000, maxErrorRatio: 0.2, maxInFlight: 1000, maxDroppedRatio: 0.01},
      concurrency: [],
      host: {...inventory, instanceType},
      toolVersion: input.toolVersion,
      onStep: (line) => log(`    ${line}`),
    })
    const capacity = await handle.done
    if (capacity.sustainableRatePerSec === null) {
      log('the demo service sustained no rate on this machine; is it very busy?')
      return EXIT.thresholdsFailed
    }
    log(`    sustainable: ${capacity.sustainableRatePerSec}/s per instance (treating this ${inventory.vCpus}-vCPU host as one ${instanceType})`)

    log('2/3 forecast: fitting the bundled hourly traffic history (plans/data/sample-traffic.csv, scaled) and projecting 12 months')
    const history = readSeriesCsv(join(input.packageRoot, 'plans', 'data', 'sample-traffic.csv')).observations
    // Move the history so that it ends at the last full hour: the plan then starts next month.
    const lastHourMs = Math.floor(input.nowMs / 3_600_000) * 3_600_000 - 3_600_000
    const shiftMs = lastHourMs - (history.at(-1)?.timeMs ?? lastHourMs)
    const observations = history.map((o) => ({timeMs: o.timeMs + shiftMs, value: o.value * TRAFFIC_SCALE}))

    log('3/3 plan: instances and cost per month on AWS us-east-1 (Graviton c7g and m7g families)')
    return await executePlan({
      observations,
      metric: 'traffic',
      aggregate: 'mean',
      growthKind: 'compound',
      meanToPeak: '50%',
      capacityResult: capacity,
      instanceType,
      provider: 'aws',
      families: ['c7g', 'm7g'],
      targetUtilization: '70%',
      redundancy: 'n+1',
      sizeOn: 'hi80',
      months: '12',
      holdType: false,
      scaleFactor: '1',
      storageGb: '50',
      storageGrowth: '5%',
      bytesPerRequest: '18kB',
      format: input.format,
      html: input.html,
      service: 'demo service',
      nowMs: input.nowMs,
    })
  } catch (error) {
    return reportError(error)
  } finally {
    await server.stop()
  }
}
