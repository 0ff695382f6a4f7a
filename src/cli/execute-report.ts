/** `loadplan report`: re-renders a saved RunResult or CapacityResult in another format. */
import {ProblemList} from '../errors.js'
import {readResultFile} from '../io/read-result-file.js'
import {renderCapacitySummary} from '../report/capacity-summary.js'
import {capacityResultToJunit, runResultToJunit} from '../report/junit.js'
import {capacityResultToMarkdown, runResultToMarkdown} from '../report/markdown.js'
import {stringifyResult} from '../report/run-result.js'
import {renderSummary} from '../report/summary-table.js'
import {EXIT} from './exit-codes.js'
import {reportError} from './report-error.js'

export const REPORT_FORMATS = ['table', 'md', 'junit', 'json'] as const
export type ReportFormat = (typeof REPORT_FORMATS)[number]

export function executeReport(path: string, format: string): number {
  try {
    const problems = new ProblemList()
    const saved = readResultFile(path)
    if ('error' in saved) problems.add('file', saved.error, path)
    if (!(REPORT_FORMATS as readonly string[]).includes(format)) problems.add('--format', `expected one of ${REPORT_FORMATS.join(', ')}`, format)
    problems.throwIfAny(`Cannot report ${path}:`)
    if ('error' in saved) return EXIT.badInput
    const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR
    let text: string
    if (saved.kind === 'run') {
      const r = saved.result
      text = format === 'md' ? runResultToMarkdown(r) : format === 'junit' ? runResultToJunit(r) : format === 'json' ? stringifyResult(r) : renderSummary(r, {color})
    } else {
      const r = saved.result
      text = format === 'md' ? capacityResultToMarkdown(r) : format === 'junit' ? capacityResultToJunit(r) : format === 'json' ? stringifyResult(r) : renderCapacitySummary(r, {color})
    }
    process.stdout.write(text)
    return EXIT.ok
  } catch (error) {
    return reportError(error)
  }
}
