/** `loadplan report`: reads a saved RunResult or CapacityResult for re-rendering. */
import {EXIT, ProblemList} from '../errors.js'
import {parseOutputFormat, REPORT_FORMATS, type ReportFormat} from '../format/output-format.js'
import {readResultFile} from '../io/read-result-file.js'
import type {SavedResult} from '../results/saved-result.js'
import type {AppResult} from './app-result.js'

export interface ReportInput {
  path: string
  format?: string
  json?: boolean
}

export async function readSavedReport(input: ReportInput): Promise<AppResult<{saved: SavedResult; format: ReportFormat}>> {
  const problems = new ProblemList()
  const saved = await readResultFile(input.path)
  if ('error' in saved) problems.add('file', saved.error, input.path)
  const format = parseOutputFormat(input.format, REPORT_FORMATS, problems, input.json)
  problems.throwIfAny(`Cannot report ${input.path}:`)
  return {document: {saved: saved as SavedResult, format}, warnings: [], exitCode: EXIT.ok}
}
