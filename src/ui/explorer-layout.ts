/**
 * How the plan explorer fits a terminal's height: a view taller than the screen scrolls its top
 * (the title, settings and total) out of sight, and Ink then redraws what the user cannot see.
 * Fixed parts first (settings, the month table, the keys and the message), then the chart at
 * its smallest, the scale table, the assumptions, and what is left grows the chart. Pure.
 */

export interface ExplorerLayoutInput {
  rows: number
  /** Lines above the chart: title, settings, total, and the pricing and warnings lines when shown. */
  headerLines: number
  months: number
  selectedMonth: number
  /** Scale-up-or-out options (the view shows at most four). */
  options: number
  assumptions: number
  /** Lines the message under the tables takes (a written plan's command line wraps); at least 1. */
  messageLines: number
}

export interface ExplorerLayout {
  chartHeight: number
  /** The month rows shown: a window that keeps the selected month in it. */
  monthStart: number
  monthCount: number
  showOptions: boolean
  /** Assumption lines shown (the rest are in `w`'s JSON). */
  assumptionLines: number
}

const MIN_CHART = 3
const MAX_CHART = 8
const MAX_OPTIONS = 4
/** The table's header and footer, the selected month's line, and the blank line above. */
const MONTH_TABLE_EXTRA = 4
/** Blank line, label and legend around the chart rows. */
const CHART_EXTRA = 3
/** Blank line, label and header around the option rows. */
const OPTIONS_EXTRA = 3
/** Blank line and label above the assumption lines. */
const ASSUMPTIONS_EXTRA = 2
/** The keys line, and one spare so the last line never scrolls the screen. */
const FOOTER = 2
/** A line the tables may add to name the columns they dropped. */
const DROPPED_NOTE = 1

export function explorerLayout(input: ExplorerLayoutInput): ExplorerLayout {
  let left =
    input.rows - input.headerLines - FOOTER - Math.max(1, input.messageLines) - MONTH_TABLE_EXTRA - DROPPED_NOTE
  const monthCount = Math.max(1, Math.min(input.months, left - CHART_EXTRA - MIN_CHART))
  left -= monthCount
  const monthStart = Math.min(
    Math.max(0, input.selectedMonth - Math.floor(monthCount / 2)),
    Math.max(0, input.months - monthCount),
  )
  let chartHeight = MIN_CHART
  left -= CHART_EXTRA + MIN_CHART
  const optionLines = OPTIONS_EXTRA + Math.min(MAX_OPTIONS, input.options) + DROPPED_NOTE
  const showOptions = input.options > 0 && left >= optionLines + ASSUMPTIONS_EXTRA + 1
  if (showOptions) left -= optionLines
  const assumptionLines = Math.max(0, Math.min(input.assumptions, left - ASSUMPTIONS_EXTRA))
  if (assumptionLines > 0) left -= ASSUMPTIONS_EXTRA + assumptionLines
  chartHeight += Math.max(0, Math.min(MAX_CHART - MIN_CHART, left))
  return {chartHeight, monthStart, monthCount, showOptions, assumptionLines}
}
