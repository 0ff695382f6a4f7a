/** A saved RunResult or CapacityResult in any of the report formats. Pure. */
import type {SavedResult} from '../contracts/results/saved-result.js'
import {stringifyResult} from '../contracts/results/run-result.js'
import {renderCapacitySummary} from './capacity-summary.js'
import {capacityResultToJunit, runResultToJunit} from './junit.js'
import {capacityResultToMarkdown, runResultToMarkdown} from './markdown.js'
import {renderSummary} from './summary-table.js'

export function renderSavedResult(
  saved: SavedResult,
  format: 'table' | 'markdown' | 'junit' | 'json',
  color: boolean,
): string {
  if (format === 'json') return stringifyResult(saved.result)
  if (saved.kind === 'run') {
    const r = saved.result
    return format === 'markdown'
      ? runResultToMarkdown(r)
      : format === 'junit'
        ? runResultToJunit(r)
        : renderSummary(r, {color})
  }
  const r = saved.result
  return format === 'markdown'
    ? capacityResultToMarkdown(r)
    : format === 'junit'
      ? capacityResultToJunit(r)
      : renderCapacitySummary(r, {color})
}
