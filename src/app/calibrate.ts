/**
 * `loadplan calibrate`: this host's CPU on the performance table's scale (stress-ng div16 on one
 * core and on every vCPU), written for `loadplan plan --calibration` when a service was measured on
 * a machine the table does not list (a laptop, an on-premises server).
 */
import {parseDurationMs} from '../contracts/parse/parse-units.js'
import {EXIT, ProblemList} from '../contracts/errors.js'
import {readHostInventory} from '../adapters/host/inventory.js'
import {stressNgCpu, stressNgVersion} from '../adapters/host/stress-ng.js'
import {
  CALIBRATION_METHOD,
  CALIBRATION_SCHEMA,
  CALIBRATION_VERSION,
  type Calibration,
} from '../contracts/results/calibration.js'
import type {AppResult} from './app-result.js'
import {checkOutputPaths, writeOutputFile} from './output-files.js'

/** As the performance table's source measured: 20 s per run. */
export const DEFAULT_CALIBRATION_DURATION = '20s'

export async function calibrateHost(input: {
  duration?: string
  out?: string
  nowMs: number
  log(line: string): void
  signal?: AbortSignal
}): Promise<AppResult<Calibration>> {
  const problems = new ProblemList()
  const durationText = input.duration ?? DEFAULT_CALIBRATION_DURATION
  const durationMs = parseDurationMs(durationText)
  if (durationMs === undefined || durationMs < 1000 || durationMs > 600_000)
    problems.add('--duration', 'expected a duration from 1s to 10m, e.g. 20s', durationText)
  checkOutputPaths([['--out', input.out]], problems)
  problems.throwIfAny('Cannot calibrate:')
  const durationSec = Math.round((durationMs as number) / 1000)
  const version = await stressNgVersion()
  const inventory = await readHostInventory()
  input.log(
    `calibrating ${inventory.cpuModel} (${inventory.vCpus} vCPUs) with stress-ng ${version} --cpu-method ${CALIBRATION_METHOD}: ${durationSec} s on one core, then ${durationSec} s on all ${inventory.vCpus}…`,
  )
  const singleCore = await stressNgCpu(1, durationSec, input.signal)
  input.log(`one core: ${singleCore.toFixed(0)} bogo-ops/s`)
  const allCores = await stressNgCpu(inventory.vCpus, durationSec, input.signal)
  const calibration: Calibration = {
    schema: CALIBRATION_SCHEMA,
    version: CALIBRATION_VERSION,
    measuredAt: new Date(input.nowMs).toISOString(),
    stressngVersion: version,
    method: CALIBRATION_METHOD,
    durationSec,
    cpuModel: inventory.cpuModel,
    cores: inventory.vCpus,
    singleCore: Math.round(singleCore),
    allCores: Math.round(allCores),
  }
  const failure = writeOutputFile(input.out, () => `${JSON.stringify(calibration, null, 2)}\n`)
  return {document: calibration, warnings: failure ? [failure] : [], exitCode: failure ? EXIT.badInput : EXIT.ok}
}
