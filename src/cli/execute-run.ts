/**
 * `loadplan run` from parsed flags to exit code: read the inputs, validate them all, run with
 * progress on stderr and signal handling, then print and write the result. Commands stay thin;
 * this is the one place that wires I/O around the pure core for a run.
 */
import {join} from 'node:path'
import {parseRatio} from '../config/units.js'
import {resolveRunOptions, type RunFlags} from '../config/run-options.js'
import {startDemoServer, type DemoServer} from '../demo/start-demo-server.js'
import {startRun} from '../engine/run-load.js'
import {ProblemList} from '../errors.js'
import {readDataFile} from '../io/read-data-file.js'
import {readResultFile} from '../io/read-result-file.js'
import {readTarget} from '../io/read-service-file.js'
import {compareRuns, comparisonToMarkdown, renderComparison} from '../report/compare-runs.js'
import {runResultToJunit} from '../report/junit.js'
import {runResultToMarkdown} from '../report/markdown.js'
import {stringifyResult, type RunResult} from '../report/run-result.js'
import {formatThresholdLine, renderSummary} from '../report/summary-table.js'
import {EXIT} from './exit-codes.js'
import {onInterrupt} from './on-interrupt.js'
import {startProgressReporter} from './progress-reporter.js'
import {startRunDashboard, wantsDashboard} from '../ui/start-run-dashboard.js'
import {checkReportPaths, writeReportFiles, type ReportPaths} from './report-files.js'
import {reportError} from './report-error.js'

/** Default for --regression: p99 or the error ratio may worsen by 10 % before it counts. */
export const DEFAULT_REGRESSION = '10%'

export interface ExecuteRunInput extends ReportPaths {
  /** The command's argument: a URL or a service file path. */
  target: string | undefined
  flags: RunFlags
  demo: boolean
  json: boolean
  quiet: boolean
  /** auto: the live dashboard on a terminal (not in CI, not with --quiet); on; off. */
  dashboard?: string
  /** A saved RunResult to compare with. */
  compare?: string | undefined
  regression?: string | undefined
  /** Package root, where the bundled plans live. */
  packageRoot: string
  toolVersion: string
}

/** Validates what is not a run option: output paths, the baseline and the regression ratio. */
function checkExtras(input: ExecuteRunInput): {baseline: RunResult | undefined; allowedRatio: number} {
  const problems = new ProblemList()
  checkReportPaths(input, problems)
  let baseline: RunResult | undefined
  if (input.compare !== undefined) {
    const saved = readResultFile(input.compare)
    if ('error' in saved) problems.add('--compare', saved.error, input.compare)
    else if (saved.kind !== 'run') problems.add('--compare', 'is a capacity result; compare runs with a RunResult saved by loadplan run --out', input.compare)
    else baseline = saved.result
  }
  const regressionText = input.regression ?? DEFAULT_REGRESSION
  const allowedRatio = parseRatio(regressionText)
  if (allowedRatio === undefined || allowedRatio < 0) problems.add('--regression', 'expected a percentage such as 10%', regressionText)
  if (input.regression !== undefined && input.compare === undefined) problems.add('--regression', 'needs --compare baseline.json')
  problems.throwIfAny('Cannot run:')
  return {baseline, allowedRatio: allowedRatio ?? 0.1}
}

/** Runs and returns the exit code. Never throws. */
export async function executeRun(input: ExecuteRunInput): Promise<number> {
  let demo: DemoServer | undefined
  try {
    const {flags} = input
    const {baseline, allowedRatio} = checkExtras(input)

    if (input.demo) {
      demo = await startDemoServer()
      flags.target ??= demo.url
    }
    const {url, file, fileName} = readTarget(input.demo ? join(input.packageRoot, 'plans', 'example.yaml') : input.target)
    const options = resolveRunOptions({url, file, fileName, flags, loadDataFile: readDataFile, defaultSeed: Math.floor(Math.random() * 2 ** 31)})
    const interactive = Boolean(process.stderr.isTTY) && !process.env.CI
    const useDashboard = wantsDashboard(input.dashboard, input.quiet)
    let stopRun: () => void = () => {}
    const dashboard = useDashboard
      ? startRunDashboard({
          title: `loadplan run  ${options.service ? `${options.service} ` : ''}${options.origin}`,
          stages: options.load.model === 'open' ? options.load.stages : [{durationMs: options.load.durationMs ?? Number.POSITIVE_INFINITY, targetRatePerSec: options.load.ratePerSec ?? 0}],
          onQuit: () => stopRun(),
          stream: process.stderr,
        })
      : undefined
    await dashboard?.ready
    const handle = startRun(options, {toolVersion: input.toolVersion})
    const stop = () => handle.stop('interrupted')
    stopRun = stop
    dashboard?.attach(() => handle.snapshot())
    const progress = input.quiet || dashboard ? undefined : startProgressReporter(() => handle.snapshot(), process.stderr, interactive)
    const dispose = onInterrupt(stop, 'Stopping: waiting briefly for in-flight requests, then writing the partial result…')
    const result = await handle.done.finally(async () => {
      progress?.stop()
      await dashboard?.stop()
      dispose()
    })

    const comparison = baseline ? compareRuns(baseline, result, allowedRatio) : undefined
    let exitCode: number = result.stopReason === 'interrupted' ? EXIT.interrupted : result.passed && !comparison?.regressed ? EXIT.ok : EXIT.thresholdsFailed
    const json = stringifyResult(result)
    const failures = writeReportFiles(input, () => ({
      json,
      junit: runResultToJunit(result),
      markdown: runResultToMarkdown(result) + (comparison ? `\n${comparisonToMarkdown(comparison)}` : ''),
    }))
    for (const failure of failures) process.stderr.write(`${failure}\n`)
    // Keep the data: when a file could not be written the JSON goes to stdout.
    const printJson = input.json || (failures.length > 0 && input.out !== undefined)
    if (failures.length > 0) exitCode = EXIT.badInput
    process.stdout.write(printJson ? json : renderSummary(result, {color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR}))
    if (comparison) {
      const table = `\ncompared with ${input.compare}\n${renderComparison(comparison)}`
      if (printJson) process.stderr.write(table)
      else process.stdout.write(table)
      if (comparison.regressed) process.stderr.write(`regression: ${comparison.rows.filter((r) => r.regressed).map((r) => r.metric).join(' and ')} worse than the baseline by more than ${(allowedRatio * 100).toFixed(0)}%\n`)
    }
    for (const outcome of result.thresholds.filter((t) => !t.passed)) {
      process.stderr.write(`threshold failed: ${formatThresholdLine(outcome, false).replace(/^✗ FAIL\s+/, '')}\n`)
    }
    return exitCode
  } catch (error) {
    return reportError(error)
  } finally {
    await demo?.stop()
  }
}
