/**
 * `loadplan merge`: reads the shards' saved results, checks that they are distinct shards of one
 * plan, adds them exactly and judges the thresholds on the sum; writes the result files like run.
 */
import {EXIT, ProblemList, type ExitCode} from '../contracts/errors.js'
import {mergeRunResults} from '../core/engine/merge-run-results.js'
import {readResultFile} from '../adapters/io/read-result-file.js'
import {runResultToJunit} from '../report/junit.js'
import {runResultToMarkdown} from '../report/markdown.js'
import {stringifyResult, type RunResult} from '../contracts/results/run-result.js'
import type {AppResult} from './app-result.js'
import {checkReportPaths, writeReportFiles, type ReportPaths} from './output-files.js'
import type {RunDocument} from './run.js'

export interface MergeInput extends ReportPaths {
  files: string[]
  thresholds?: string[] | undefined
  toolVersion: string
}

export async function mergeResults(input: MergeInput): Promise<AppResult<RunDocument>> {
  const problems = new ProblemList()
  checkReportPaths(input, problems)
  if (input.files.length === 0)
    problems.add(
      'files',
      'give the result file of every shard, e.g. loadplan merge shard-0.json shard-1.json shard-2.json',
    )
  const results: Array<{name: string; result: RunResult}> = []
  for (const file of input.files) {
    const saved = await readResultFile(file)
    if ('error' in saved) problems.add(file, saved.error)
    else if (saved.kind !== 'run')
      problems.add(file, 'is a capacity result; merge the RunResults that loadplan run --segment i/n --out wrote')
    else results.push({name: file, result: saved.result})
  }
  const result = mergeRunResults({results, thresholds: input.thresholds, toolVersion: input.toolVersion, problems})
  const warnings: string[] = []
  const {merged} = result
  if (merged && merged.missing.length > 0)
    warnings.push(
      `warning: shard${merged.missing.length === 1 ? '' : 's'} ${merged.missing.join(', ')} of ${merged.count} missing: the merged figures leave out ${merged.missing.length === 1 ? 'its' : 'their'} share of the plan`,
    )
  let exitCode: ExitCode =
    result.stopReason === 'interrupted' ? EXIT.interrupted : result.passed ? EXIT.ok : EXIT.thresholdsFailed
  const failures = writeReportFiles(input, () => ({
    json: stringifyResult(result),
    junit: runResultToJunit(result),
    markdown: runResultToMarkdown(result),
  }))
  if (failures.length > 0) exitCode = EXIT.badInput
  return {
    document: {result, allowedRatio: 0, keepJson: failures.length > 0 && input.out !== undefined},
    warnings: [...warnings, ...failures],
    exitCode,
  }
}
