/** Printing a run's or a capacity search's outcome: the summary (or JSON), the comparison and what failed. */
import type {AppResult} from '../app/app-result.js'
import type {CapacityDocument} from '../app/capacity.js'
import type {RunDocument} from '../app/run.js'
import type {ExitCode} from '../contracts/errors.js'
import {renderCapacitySummary} from '../report/capacity-summary.js'
import {renderComparison} from '../report/compare-runs.js'
import {describeThreshold, renderSummary} from '../report/summary-table.js'
import {stringifyResult} from '../contracts/results/run-result.js'
import {stdoutColor} from './run-command.js'

export function renderRunOutcome(
  outcome: AppResult<RunDocument>,
  options: {json: boolean; compare?: string | undefined},
): ExitCode {
  const {result, comparison, allowedRatio, keepJson} = outcome.document
  for (const warning of outcome.warnings) process.stderr.write(`${warning}\n`)
  // Keep the data: when a file could not be written the JSON goes to stdout.
  const printJson = options.json || keepJson
  process.stdout.write(printJson ? stringifyResult(result) : renderSummary(result, {color: stdoutColor()}))
  if (comparison) {
    const table = `\ncompared with ${options.compare}\n${renderComparison(comparison)}`
    if (printJson) process.stderr.write(table)
    else process.stdout.write(table)
    if (comparison.regressed)
      process.stderr.write(
        `regression: ${comparison.rows
          .filter((r) => r.regressed)
          .map((r) => r.metric)
          .join(' and ')} worse than the baseline by more than ${(allowedRatio * 100).toFixed(0)}%\n`,
      )
  }
  for (const outcomeLine of result.thresholds.filter((t) => !t.passed))
    process.stderr.write(`threshold failed: ${describeThreshold(outcomeLine)}\n`)
  return outcome.exitCode
}

export function renderCapacityOutcome(outcome: AppResult<CapacityDocument>, options: {json: boolean}): ExitCode {
  const {result, keepJson} = outcome.document
  // Keep the data: when a file could not be written the JSON goes to stdout.
  process.stdout.write(
    options.json || keepJson ? stringifyResult(result) : renderCapacitySummary(result, {color: stdoutColor()}),
  )
  for (const warning of outcome.warnings) process.stderr.write(`${warning}\n`)
  return outcome.exitCode
}
