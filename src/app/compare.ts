/**
 * `loadplan compare BASE NEW`: two saved RunResults side by side with the same verdict as
 * `run --compare`, without running again.
 */
import {DEFAULT_REGRESSION} from '../config/run/run-flags.js'
import {EXIT, ProblemList} from '../contracts/errors.js'
import {parseRatio} from '../contracts/parse/parse-units.js'
import {readResultFile} from '../adapters/io/read-result-file.js'
import {comparabilityWarnings, compareRuns, comparisonToMarkdown, type RunComparison} from '../report/compare-runs.js'
import type {RunResult} from '../contracts/results/run-result.js'
import type {AppResult} from './app-result.js'
import {checkOutputPaths, writeOutputFile} from './output-files.js'

export interface CompareInput {
  baseline: string
  current: string
  regression?: string | undefined
  markdown?: string | undefined
}

export interface CompareDocument {
  baseline: string
  current: string
  comparison: RunComparison
}

async function readRun(path: string, field: string, problems: ProblemList): Promise<RunResult | undefined> {
  const saved = await readResultFile(path)
  if ('error' in saved) problems.add(field, saved.error, path)
  else if (saved.kind !== 'run')
    problems.add(field, 'is a capacity result; compare RunResults saved by loadplan run --out', path)
  else return saved.result
  return undefined
}

export async function compareSavedRuns(input: CompareInput): Promise<AppResult<CompareDocument>> {
  const problems = new ProblemList()
  const baseline = await readRun(input.baseline, 'BASE', problems)
  const current = await readRun(input.current, 'NEW', problems)
  const regressionText = input.regression ?? DEFAULT_REGRESSION
  const allowedRatio = parseRatio(regressionText)
  if (allowedRatio === undefined || allowedRatio < 0)
    problems.add('--regression', 'expected a percentage such as 10%', regressionText)
  checkOutputPaths([['--markdown', input.markdown]], problems)
  problems.throwIfAny('Cannot compare:')
  const comparison = compareRuns(baseline as RunResult, current as RunResult, allowedRatio as number)
  const warnings = comparabilityWarnings(baseline as RunResult, current as RunResult)
  const failure = writeOutputFile(input.markdown, () => comparisonToMarkdown(comparison))
  if (failure) warnings.push(failure)
  if (comparison.regressed)
    warnings.push(
      `regression: ${comparison.rows
        .filter((r) => r.regressed)
        .map((r) => r.metric)
        .join(' and ')} worse than the baseline by more than ${((allowedRatio as number) * 100).toFixed(0)}%`,
    )
  return {
    document: {baseline: input.baseline, current: input.current, comparison},
    warnings,
    exitCode: failure ? EXIT.badInput : comparison.regressed ? EXIT.thresholdsFailed : EXIT.ok,
  }
}
