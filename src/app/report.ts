/** `loadplan report`: reads a saved RunResult or CapacityResult for re-rendering; `--html` writes its page. */
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
  }
  problems.throwIfAny(`Cannot report ${input.path}:`)
  const document = {saved: saved as SavedResult, format}
  if (input.html !== undefined) {
    const saved = document.saved
    let render: () => string
    if (saved.kind === 'run') {
      const {renderRunHtml} = await import('../report/run-html.js')
      render = () => renderRunHtml(saved.result)
    } else {
      const {renderCapacityHtml} = await import('../report/capacity-html.js')
      render = () => renderCapacityHtml(saved.result)
    }
    const failure = writeOutputFile(input.html, render)
    if (failure) return {document, warnings: [failure], exitCode: EXIT.badInput}
  }
  return {document, warnings: [], exitCode: EXIT.ok}
}
