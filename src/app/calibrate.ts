/**
 * `loadplan calibrate`: this host's CPU on the performance table's scale (stress-ng div16 on one
 * core and on every vCPU), written for `loadplan plan --calibration` when a service was measured on
 * a machine the table does not list (a laptop, an on-premises server).
 */
import {parseDurationMs} from '../contracts/parse/parse-units.js'
import {DataError, EXIT, ProblemList} from '../contracts/errors.js'
import {judgeCalibrationRun, MIN_CPU_SHARE, type CalibrationJudgement} from '../core/catalog/calibration-contention.js'
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
  // Each run is judged as soon as it ends: a busy host is refused before 20 more seconds of it.
  const single = acceptedRun(judgeCalibrationRun(await stressNgCpu(1, durationSec, input.signal), 1), 'one core', input)
  const all = acceptedRun(
    judgeCalibrationRun(await stressNgCpu(inventory.vCpus, durationSec, input.signal), inventory.vCpus),
    `all ${inventory.vCpus} cores`,
    input,
  )
  const singleCore = single.opsPerSec
  const allCores = all.opsPerSec
  const corrected = single.kind === 'corrected' || all.kind === 'corrected'
  const warnings = corrected
    ? [
        `warning: the host was busy (stress-ng got ${(single.cpuShare * 100).toFixed(0)} % of a core alone and ${(all.cpuShare * 100).toFixed(0)} % of each on all cores): the scores are per CPU-second it got, which a busy sibling hyper-thread or shared cache still lowers; calibrate on a quiet host for a figure to plan on`,
      ]
    : []
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
    contention: {
      singleCoreCpuShare: Math.round(single.cpuShare * 1000) / 1000,
      allCoresCpuShare: Math.round(all.cpuShare * 1000) / 1000,
      corrected,
    },
  }
  const failure = writeOutputFile(input.out, () => `${JSON.stringify(calibration, null, 2)}\n`)
  if (failure) warnings.push(failure)
  return {document: calibration, warnings, exitCode: failure ? EXIT.badInput : EXIT.ok}
}

/**
 * Logs the run and returns it, or refuses the calibration when it had under half of each CPU.
 * @throws DataError naming the share it got
 */
function acceptedRun(
  run: CalibrationJudgement,
  what: string,
  output: {log(line: string): void},
): Exclude<CalibrationJudgement, {kind: 'refused'}> {
  output.log(`${what}: ${describeRun(run)}`)
  if (run.kind !== 'refused') return run
  throw new DataError(
    `the host is busy: stress-ng got ${(run.cpuShare * 100).toFixed(0)} % of each CPU it ran on (${what}; under ${MIN_CPU_SHARE * 100} %), so its score says more about the other work than about this CPU. Stop what else runs here (top shows it) and calibrate again.`,
  )
}

function describeRun(run: CalibrationJudgement): string {
  const share = `${(run.cpuShare * 100).toFixed(0)} % of the CPU per stressor`
  if (run.kind === 'quiet') return `${run.opsPerSec.toFixed(0)} bogo-ops/s (${share})`
  if (run.kind === 'corrected')
    return `${run.realOpsPerSec.toFixed(0)} bogo-ops/s in real time with ${share}: ${run.opsPerSec.toFixed(0)} per CPU-second`
  return `${run.realOpsPerSec.toFixed(0)} bogo-ops/s with only ${share}`
}
