/**
 * `loadplan run` from parsed flags to exit code: read the inputs, validate them all, run with
 * progress on stderr and signal handling, then print and write the result. Commands stay thin;
 * this is the one place that wires I/O around the pure core for a run.
 */
import {join} from 'node:path'
import type {RunFlags} from '../config/run-options.js'
import {resolveRunOptions} from '../config/run-options.js'
import type {ServiceFile} from '../config/service-file.js'
import {startDemoServer, type DemoServer} from '../demo/start-demo-server.js'
import {startRun} from '../engine/run-load.js'
import {readDataFile} from '../io/read-data-file.js'
import {looksLikeServiceFile, readServiceFile} from '../io/read-service-file.js'
import {checkWritable, writeTextFile} from '../io/write-output.js'
import {stringifyResult} from '../report/run-result.js'
import {formatThresholdLine, renderSummary} from '../report/summary-table.js'
import {EXIT} from './exit-codes.js'
import {startProgressReporter} from './progress-reporter.js'
import {describeError} from './report-error.js'
import {ProblemList} from '../errors.js'

export interface ExecuteRunInput {
  /** The command's argument: a URL or a service file path. */
  target: string | undefined
  flags: RunFlags
  demo: boolean
  json: boolean
  out: string | undefined
  quiet: boolean
  /** Package root, where the bundled plans live. */
  packageRoot: string
  toolVersion: string
}

/** Runs and returns the exit code. Never throws. */
export async function executeRun(input: ExecuteRunInput): Promise<number> {
  let demo: DemoServer | undefined
  try {
    const {flags} = input
    const problems = new ProblemList()
    if (input.out !== undefined) {
      const why = checkWritable(input.out)
      if (why) problems.add('--out', why, input.out)
    }
    problems.throwIfAny('Cannot run:')

    let fileName: string | undefined
    let file: ServiceFile | undefined
    let url: string | undefined
    if (input.demo) {
      demo = await startDemoServer()
      fileName = join(input.packageRoot, 'plans', 'example.yaml')
      flags.target ??= demo.url
    } else if (input.target !== undefined && looksLikeServiceFile(input.target)) fileName = input.target
    else url = input.target
    if (fileName !== undefined) file = readServiceFile(fileName)

    const options = resolveRunOptions({url, file, fileName, flags, loadDataFile: readDataFile, defaultSeed: Math.floor(Math.random() * 2 ** 31)})
    const handle = startRun(options, {toolVersion: input.toolVersion})

    const interactive = Boolean(process.stderr.isTTY) && !process.env.CI
    const progress = input.quiet ? undefined : startProgressReporter(() => handle.snapshot(), process.stderr, interactive)
    let interrupted = false
    const onSignal = () => {
      // A second Ctrl-C does not wait for the graceful stop.
      if (interrupted) process.exit(EXIT.interrupted)
      interrupted = true
      process.stderr.write('\nStopping: waiting briefly for in-flight requests, then writing the partial result…\n')
      handle.stop('interrupted')
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
    const result = await handle.done.finally(() => {
      progress?.stop()
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    })

    const json = stringifyResult(result)
    let exitCode: number = result.stopReason === 'interrupted' ? EXIT.interrupted : result.passed ? EXIT.ok : EXIT.thresholdsFailed
    if (input.out !== undefined) {
      const why = writeTextFile(input.out, json)
      if (why) {
        // Keep the data: the JSON still goes to stdout below.
        process.stderr.write(`Could not write ${input.out}: ${why}; printing the result as JSON instead.\n`)
        input.json = true
        exitCode = EXIT.badInput
      }
    }
    process.stdout.write(input.json ? json : renderSummary(result, {color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR}))
    for (const outcome of result.thresholds.filter((t) => !t.passed)) {
      process.stderr.write(`threshold failed: ${formatThresholdLine(outcome, false).replace(/^✗ FAIL\s+/, '')}\n`)
    }
    return exitCode
  } catch (error) {
    const reported = describeError(error)
    process.stderr.write(`${reported.message}\n`)
    return reported.exitCode
  } finally {
    await demo?.stop()
  }
}
