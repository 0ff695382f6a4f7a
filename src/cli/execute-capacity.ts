/**
 * `loadplan capacity` from parsed flags to exit code: validate everything, print the search plan
 * and its limits up front, run the search with progress and Ctrl-C handling, print and write the
 * CapacityResult.
 */
import {parseSlo} from '../capacity/slo.js'
import {resolveCapacityOptions, type CapacityFlags} from '../config/capacity-options.js'
import {resolveRunOptions, type RunFlags} from '../config/run-options.js'
import {formatDurationMs} from '../config/units.js'
import {startCapacitySearch} from '../engine/capacity-runner.js'
import {ProblemList} from '../errors.js'
import {readHostInventory} from '../host/inventory.js'
import {readDataFile} from '../io/read-data-file.js'
import {readTarget} from '../io/read-service-file.js'
import {renderCapacitySummary} from '../report/capacity-summary.js'
import {capacityResultToJunit} from '../report/junit.js'
import {capacityResultToMarkdown} from '../report/markdown.js'
import {stringifyResult} from '../report/run-result.js'
import {EXIT} from './exit-codes.js'
import {onInterrupt} from './on-interrupt.js'
import {checkReportPaths, writeReportFiles, type ReportPaths} from './report-files.js'
import {reportError} from './report-error.js'
import {startRunDashboard, wantsDashboard} from '../ui/start-run-dashboard.js'
import {emptySnapshot} from '../engine/load-engine.js'

export interface ExecuteCapacityInput extends ReportPaths {
  target: string | undefined
  /** Request flags (method, headers, body, …). */
  requestFlags: RunFlags
  capacityFlags: CapacityFlags
  slo: string | undefined
  instanceType: string | undefined
  json: boolean
  quiet: boolean
  dashboard?: string
  toolVersion: string
}

export async function executeCapacity(input: ExecuteCapacityInput): Promise<number> {
  try {
    const problems = new ProblemList()
    checkReportPaths(input, problems)
    problems.throwIfAny('Cannot search capacity:')
    const {settings, concurrency} = resolveCapacityOptions(input.capacityFlags)

    const {url, file, fileName} = readTarget(input.target)
    const base = resolveRunOptions({url, file, fileName, flags: input.requestFlags, loadDataFile: readDataFile, defaultSeed: Math.floor(Math.random() * 2 ** 31)})
    const slo = parseSlo(input.slo, file?.slo, fileName ? `${fileName}: slo` : 'slo')
    const inventory = await readHostInventory()
    const host = input.instanceType ? {...inventory, instanceType: input.instanceType} : inventory

    const log = (line: string) => {
      if (!input.quiet) process.stderr.write(`${line}\n`)
    }
    log(
      `capacity search of ${base.origin}: SLO ${slo.map((t) => t.expression).join(', ')}; from ${settings.startRatePerSec}/s ×${settings.growthFactor} up to at most ${settings.maxRatePerSec}/s; ` +
        `steps of ${formatDurationMs(settings.stepDurationMs)} after ${formatDurationMs(settings.warmupMs)} warm-up; precision ${(settings.precision * 100).toFixed(0)}%; ` +
        `at most ${formatDurationMs(settings.maxDurationMs)} in all; a step ends early above ${(settings.maxErrorRatio * 100).toFixed(0)}% errors` +
        (concurrency.length > 0 ? `; then a USL sweep at concurrency ${concurrency.join(', ')}` : ''),
    )
    const useDashboard = wantsDashboard(input.dashboard, input.quiet)
    const stepLines: string[] = []
    let stopSearch: () => void = () => {}
    const dashboard = useDashboard
      ? startRunDashboard({title: 'loadplan capacity', stages: [{durationMs: settings.warmupMs + settings.stepDurationMs, targetRatePerSec: 0}], onQuit: () => stopSearch(), stream: process.stderr})
      : undefined
    await dashboard?.ready
    const handle = startCapacitySearch({base, slo, settings, concurrency, host, toolVersion: input.toolVersion, onStep: dashboard ? (line) => stepLines.push(line) : log})
    stopSearch = () => handle.stop()
    dashboard?.attach(
      () => handle.status().snapshot ?? emptySnapshot(),
      () => {
        const {phase, ratePerSec} = handle.status()
        return {title: `loadplan capacity  ${base.origin}  step ${stepLines.length + 1}: ${phase}${ratePerSec === undefined ? '' : ` at ${ratePerSec}/s`}`, notes: stepLines}
      },
    )
    const dispose = onInterrupt(stopSearch, 'Stopping: ending the current step, then reporting what was found so far…')
    const result = await handle.done.finally(async () => {
      await dashboard?.stop()
      dispose()
    })

    const json = stringifyResult(result)
    const failures = writeReportFiles(input, () => ({json, junit: capacityResultToJunit(result), markdown: capacityResultToMarkdown(result)}))
    for (const failure of failures) process.stderr.write(`${failure}\n`)
    const printJson = input.json || (failures.length > 0 && input.out !== undefined)
    process.stdout.write(printJson ? json : renderCapacitySummary(result, {color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR}))
    if (failures.length > 0) return EXIT.badInput
    if (result.stopReason === 'interrupted') return EXIT.interrupted
    if (result.sustainableRatePerSec === null) {
      process.stderr.write(`no rate met the SLO (${result.slo.join(', ')})\n`)
      return EXIT.thresholdsFailed
    }
    return EXIT.ok
  } catch (error) {
    return reportError(error)
  }
}
