/**
 * Runs stress-ng's `cpu` stressor and reads its bogo-ops/s: this host on the performance table's
 * scale (see results/calibration.ts). Debian ships it: `apt install stress-ng`.
 */
import {execFile} from 'node:child_process'
import {promisify} from 'node:util'
import {DataError, EXIT, InputError, LoadplanError} from '../../contracts/errors.js'
import {CALIBRATION_METHOD, type StressNgMetrics} from '../../contracts/results/calibration.js'

const run = promisify(execFile)

/** `stress-ng: metrc: [1] cpu  37590  20.00 20.00 0.00  1879.50 …` → bogo-ops/s (real time). */
export function parseStressNgCpu(output: string): number | undefined {
  const m = /metrc: \[\d+\] cpu\s+\d+\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+([\d.]+)/.exec(output)
  return m ? Number(m[1]) : undefined
}

/**
 * The cpu stressor's metrics line: bogo ops, real, usr and sys seconds (usr and sys summed over
 * the stressors), what calibration judges contention by.
 * @example parseStressNgMetrics('stress-ng: metrc: [9] cpu  2973  2.00  0.99  0.00  1486.56 …') // => {bogoOps: 2973, realSec: 2, usrSec: 0.99, sysSec: 0}
 */
export function parseStressNgMetrics(output: string): StressNgMetrics | undefined {
  const m = /metrc: \[\d+\] cpu\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s/.exec(output)
  if (!m) return undefined
  const [bogoOps, realSec, usrSec, sysSec] = m.slice(1, 5).map(Number) as [number, number, number, number]
  return bogoOps > 0 && realSec > 0 ? {bogoOps, realSec, usrSec, sysSec} : undefined
}

/**
 * stress-ng's version, e.g. `0.15.06`.
 * @throws InputError naming the install command when stress-ng is missing
 */
export async function stressNgVersion(): Promise<string> {
  try {
    const {stdout} = await run('stress-ng', ['--version'])
    return /version ([\d.]+)/.exec(stdout)?.[1] ?? stdout.trim()
  } catch {
    throw new InputError('Cannot calibrate:', [
      {
        field: 'stress-ng',
        message:
          'is not installed; install it (Debian/Ubuntu: sudo apt install stress-ng; Fedora: sudo dnf install stress-ng) and run again',
      },
    ])
  }
}

/** The metrics of `cores` div16 stressors run for `durationSec` seconds. */
export async function stressNgCpu(cores: number, durationSec: number, signal?: AbortSignal): Promise<StressNgMetrics> {
  // --metrics prints the table on stderr; -t is the run time per stressor.
  let stdout: string
  let stderr: string
  try {
    ;({stdout, stderr} = await run(
      'stress-ng',
      ['--metrics', '--cpu', String(cores), '--cpu-method', CALIBRATION_METHOD, '-t', `${durationSec}s`],
      {signal, maxBuffer: 1024 * 1024},
    ))
  } catch (error) {
    if (signal?.aborted)
      throw new LoadplanError('LOADPLAN_INTERRUPTED', 'calibration interrupted: nothing was written', EXIT.interrupted)
    throw new DataError(
      `stress-ng failed: ${((error as {stderr?: string}).stderr ?? (error as Error).message).slice(0, 500)}`,
    )
  }
  const metrics = parseStressNgMetrics(`${stdout}\n${stderr}`)
  if (!metrics) throw new DataError(`stress-ng printed no cpu metrics:\n${stderr.slice(0, 500)}`)
  return metrics
}
