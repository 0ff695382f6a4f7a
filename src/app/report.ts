/** `loadplan report`: reads a saved RunResult or CapacityResult for re-rendering; `--html` writes a run's page. */
import {EXIT, ProblemList} from '../contracts/errors.js'
import {parseOutputFormat, REPORT_FORMATS, type ReportFormat} from '../contracts/format/output-format.js'
import {readResultFile} from '../adapters/io/read-result-file.js'
import type {SavedResult} from '../contracts/results/saved-result.js'
import type {AppResult} from './app-result.js'
import {checkOutputPaths, writeOutputFile} from './output-files.js'

export interface ReportInput {
  path: string
  format?: string
  json?: boolean
  /** Also write a run's self-contained HTML report here. */
  html?: string | undefined
}

export async function readSavedReport(
  input: ReportInput,
): Promise<AppResult<{saved: SavedResult; format: ReportFormat}>> {
  const problems = new ProblemList()
  const saved = await readResultFile(input.path)
  if ('error' in saved) problems.add('file', saved.error, input.path)
  const format = parseOutputFormat(input.format, REPORT_FORMATS, problems, input.json)
  if (input.html !== undefined) {
    checkOutputPaths([['--html', input.html]], problems)
    if (!('error' in saved) && saved.kind !== 'run')
      problems.add(
        '--html',
        'is for run results (loadplan run --out); a capacity result has its steps in the table, Markdown and JUnit',
        input.path,
      )
  }
  problems.throwIfAny(`Cannot report ${input.path}:`)
  const document = {saved: saved as SavedResult, format}
  if (input.html !== undefined && document.saved.kind === 'run') {
    const {renderRunHtml} = await import('../report/run-html.js')
    const run = document.saved.result
    const failure = writeOutputFile(input.html, () => renderRunHtml(run))
    if (failure) return {document, warnings: [failure], exitCode: EXIT.badInput}
  }
  return {document, warnings: [], exitCode: EXIT.ok}
}
