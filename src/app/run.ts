/**
 * `loadplan run`: read the target (URL or service file) and the baseline, validate everything,
 * send the load while the command watches, judge thresholds and the comparison, write the result
 * files. Returns the result; the command prints it.
 */
import {join} from 'node:path'
import {DEFAULT_REGRESSION, parseRunOutputs, type RunFlags} from '../config/run/run-flags.js'
import type {RunOptions} from '../core/engine/run-options.js'
import type {EngineSnapshot} from '../contracts/results/engine-snapshot.js'
import {hideEnvValues} from '../contracts/redact.js'
import type {RemoteWriteOutput} from './remote-write-output.js'
import {startDemoServer, type DemoServer} from '../adapters/demo/start-demo-server.js'
import {startRun} from '../core/engine/run-load.js'
import {EXIT, ProblemList, type ExitCode} from '../contracts/errors.js'
import {parseDurationMs, parseRatio} from '../contracts/parse/parse-units.js'
import {formatDurationMs} from '../contracts/format/units.js'
import {readResultFile} from '../adapters/io/read-result-file.js'
import {comparabilityWarnings, compareRuns, comparisonToMarkdown, type RunComparison} from '../report/compare-runs.js'
import {runResultToJunit} from '../report/junit.js'
import {runResultToMarkdown} from '../report/markdown.js'
import {stringifyResult, type RunResult} from '../contracts/results/run-result.js'
import type {AppResult} from './app-result.js'
import {onAbort, type LoadLive} from './live-load.js'
import {checkReportPaths, writeReportFiles, type ReportPaths} from './output-files.js'
import {readLoadOptions} from './read-target.js'

export interface RunInput extends ReportPaths {
  /** The command's argument: a URL or a service file path. */
  target: string | undefined
  flags: RunFlags
  /** Start the embedded demo server and run the bundled example plan against it. */
  demo: boolean
  /** A saved RunResult to compare with. */
  compare?: string | undefined
  regression?: string | undefined
  /** Exit 0 even when no request got a response (otherwise such a run fails, exit 3). */
  allowNoResponse?: boolean | undefined
  /** Judge thresholds even when the generator was saturated (result.generator). */
  allowSaturated?: boolean | undefined
  /** Package root, where the bundled plans live. */
  packageRoot: string
  toolVersion: string
  /** Seed when none is given (the command passes a random one; tests a fixed one). */
  defaultSeed: number
  /** `--out` values: a result file and/or prometheus-rw=URL (`out` is then set from them). */
  outputs?: string[] | undefined
  /** How often live metrics are pushed to prometheus-rw (LOADPLAN_PROMETHEUS_RW_INTERVAL, a duration). */
  remoteWriteInterval?: string | undefined
}

export interface RunDocument {
  result: RunResult
  comparison?: RunComparison
  /** The --regression allowance, as a ratio. */
  allowedRatio: number
  /** True when a result file could not be written: the command then prints the JSON to keep the data. */
  keepJson: boolean
}

/** Validates what is not a run option: output paths, the baseline and the regression ratio. */
async function checkExtras(input: RunInput): Promise<{
  baseline: RunResult | undefined
  allowedRatio: number
  prometheusRw: string | undefined
  remoteWriteIntervalMs: number | undefined
}> {
  const problems = new ProblemList()
  const outputs = parseRunOutputs(input.outputs ?? [], problems)
  if (outputs.file !== undefined) input.out = outputs.file
  checkReportPaths(input, problems)
  let baseline: RunResult | undefined
  if (input.compare !== undefined) {
    const saved = await readResultFile(input.compare)
    if ('error' in saved) problems.add('--compare', saved.error, input.compare)
    else if (saved.kind !== 'run')
      problems.add(
        '--compare',
        'is a capacity result; compare runs with a RunResult saved by loadplan run --out',
        input.compare,
      )
    else baseline = saved.result
  }
  const remoteWriteIntervalMs =
    input.remoteWriteInterval === undefined ? undefined : parseDurationMs(input.remoteWriteInterval)
  if (input.remoteWriteInterval !== undefined && (remoteWriteIntervalMs === undefined || remoteWriteIntervalMs < 100))
    problems.add(
      'LOADPLAN_PROMETHEUS_RW_INTERVAL',
      'expected a duration of at least 100ms, e.g. 5s',
      input.remoteWriteInterval,
    )
  const regressionText = input.regression ?? DEFAULT_REGRESSION
  const allowedRatio = parseRatio(regressionText)
  if (allowedRatio === undefined || allowedRatio < 0)
    problems.add('--regression', 'expected a percentage such as 10%', regressionText)
  if (input.regression !== undefined && input.compare === undefined)
    problems.add('--regression', 'needs --compare baseline.json')
  problems.throwIfAny('Cannot run:')
  return {baseline, allowedRatio: allowedRatio ?? 0.1, prometheusRw: outputs.prometheusRw, remoteWriteIntervalMs}
}

/** The prometheus-rw output, loaded only when asked for (protobuf and snappy stay out of other runs). */
async function startRemoteOutput(
  url: string,
  options: RunOptions,
  snapshot: () => EngineSnapshot,
  intervalMs: number | undefined,
): Promise<RemoteWriteOutput> {
  const [{startRemoteWrite}, {runLabels}] = await Promise.all([
    import('./remote-write-output.js'),
    import('../report/remote-write-metrics.js'),
  ])
  const testId = new Date(options.startAtEpochMs ?? Date.now()).toISOString()
  const labels = runLabels({
    plan: options.service ?? hideEnvValues(options.origin, options.envSecrets),
    scenarios: options.scenarios.map((s) => s.name),
    segment: options.segment,
    testId,
  })
  return startRemoteWrite(intervalMs === undefined ? {url, labels, snapshot} : {url, labels, snapshot, intervalMs})
}

export async function runLoadTest(input: RunInput, live: LoadLive): Promise<AppResult<RunDocument>> {
  let demo: DemoServer | undefined
  try {
    const {flags} = input
    const {baseline, allowedRatio, prometheusRw, remoteWriteIntervalMs} = await checkExtras(input)
    if (input.demo) {
      demo = await startDemoServer()
      flags.target ??= demo.url
    }
    const {options} = await readLoadOptions({
      target: input.demo ? join(input.packageRoot, 'plans', 'example.yaml') : input.target,
      flags,
      toolVersion: input.toolVersion,
      defaultSeed: input.defaultSeed,
    })
    await live.beforeStart?.({
      title: `loadplan run  ${options.service ? `${options.service} ` : ''}${hideEnvValues(options.origin, options.envSecrets)}`,
      stages:
        options.load.model === 'open'
          ? options.load.stages
          : [
              {
                durationMs: options.load.durationMs ?? Number.POSITIVE_INFINITY,
                targetRatePerSec: options.load.ratePerSec ?? 0,
              },
            ],
    })
    if (options.startAtEpochMs !== undefined) {
      const waitMs = options.startAtEpochMs - Date.now()
      const shard = options.segment ? `shard ${options.segment.index}/${options.segment.count}` : 'the run'
      if (waitMs > 0)
        live.log(
          `Waiting ${formatDurationMs(waitMs)} for --start-at ${new Date(options.startAtEpochMs).toISOString()} to start ${shard}…`,
        )
      else
        live.log(
          `--start-at was ${formatDurationMs(-waitMs)} ago: ${shard} starts now and catches up on its schedule (the lag shows in corrected latency)`,
        )
    }
    const handle = startRun(options, {toolVersion: input.toolVersion})
    const stop = () => handle.stop('interrupted')
    // A second stop (Ctrl-C twice, or q twice) cuts off the in-flight requests; the result is kept.
    const unlisten = onAbort(live.signal, stop)
    const unlistenCutOff = onAbort(live.cutOff, stop)
    live.onStart?.({snapshot: () => handle.snapshot(), stop})
    const remote =
      prometheusRw === undefined
        ? undefined
        : await startRemoteOutput(prometheusRw, options, () => handle.snapshot(), remoteWriteIntervalMs)
    const result = await handle.done.finally(async () => {
      unlisten()
      unlistenCutOff()
      await live.afterRun?.()
    })
    const remoteWarnings = (await remote?.finish(result)) ?? []

    const comparison = baseline ? compareRuns(baseline, result, allowedRatio) : undefined
    // A run in which every request failed before a response measured nothing about the service:
    // it fails (exit 3) and says so, whether or not thresholds were given, unless asked not to.
    const {completed, transportErrors} = result.totals
    const noResponse = completed === 0 && transportErrors > 0 && result.stopReason !== 'interrupted'
    const noResponseWarnings = noResponse ? [noResponseWarning(result, input.allowNoResponse === true)] : []
    // A generator that did not deliver the load asked for may let a threshold (or a comparison)
    // pass because of it: those fail unless asked not to. A late event loop alone adds loadplan's
    // delay to latency (a pass holds with room to spare): a warning says so.
    const judged = result.thresholds.length > 0 || comparison !== undefined
    const saturated = result.generator?.saturated === true && result.stopReason !== 'interrupted'
    const saturationFails = saturated && result.generator?.underDelivered === true && judged && !input.allowSaturated
    const saturationWarnings = saturated ? [saturationWarning(result, judged, input.allowSaturated === true)] : []
    let exitCode: ExitCode =
      result.stopReason === 'interrupted'
        ? EXIT.interrupted
        : result.passed && !comparison?.regressed && (!noResponse || input.allowNoResponse) && !saturationFails
          ? EXIT.ok
          : EXIT.thresholdsFailed
    const failures = writeReportFiles(input, () => ({
      json: stringifyResult(result),
      junit: runResultToJunit(result),
      markdown: runResultToMarkdown(result) + (comparison ? `\n${comparisonToMarkdown(comparison)}` : ''),
    }))
    if (failures.length > 0) exitCode = EXIT.badInput
    const document: RunDocument = {result, allowedRatio, keepJson: failures.length > 0 && input.out !== undefined}
    if (comparison) document.comparison = comparison
    const comparable = baseline ? comparabilityWarnings(baseline, result) : []
    return {
      document,
      warnings: [...noResponseWarnings, ...saturationWarnings, ...comparable, ...remoteWarnings, ...failures],
      exitCode,
    }
  } finally {
    await demo?.stop()
  }
}

/** Says that no request got a response, with the most frequent reason. */
function saturationWarning(result: RunResult, judged: boolean, allowed: boolean): string {
  const verdict = !judged
    ? ''
    : result.generator?.underDelivered !== true
      ? "; thresholds on latency include loadplan's own delay (a pass holds with room to spare, a failure may be loadplan's)"
      : allowed
        ? '; the target got less load than asked for, and the thresholds were judged anyway (--allow-saturated)'
        : '; the target got less load than asked for, so thresholds judged on it cannot be trusted and the run fails (exit 3): --allow-saturated judges them anyway'
  return `warning: ${result.generator?.reason ?? 'the load generator was saturated'}${verdict}`
}

function noResponseWarning(result: RunResult, allowed: boolean): string {
  const [reason = 'other', count = 0] = Object.entries(result.errors).sort(([, a], [, b]) => b - a)[0] ?? []
  const share = result.totals.transportErrors > 0 ? Math.round((100 * count) / result.totals.transportErrors) : 0
  return `warning: no request got a response: all ${result.totals.transportErrors} failed (${share} % ${reason}); is the target up and reachable?${allowed ? '' : ' This run fails (exit 3); --allow-no-response to accept it'}`
}
