/**
 * The pieces every terminal view is drawn with: a table with units (columns dropped to fit), a
 * band chart with its value axis, a meter (a bar coloured by how full). Each draws figures it is
 * given; none computes them.
 */
import {Box, Text} from 'ink'
import pc from 'picocolors'
import type {BandChart} from '../contracts/format/band-chart.js'
import {fitTable, type TableColumn} from '../contracts/format/fit-table.js'
import {bar} from '../contracts/format/sparkline.js'

export interface UnitsTableProps {
  columns: readonly TableColumn[]
  rows: ReadonlyArray<readonly string[]>
  width: number
  /** A row drawn inverted (the one a key selected). */
  selected?: number
  /** Rows drawn bold after the others (totals). */
  footer?: ReadonlyArray<readonly string[]>
}

export function UnitsTable({columns, rows, width, selected, footer = []}: UnitsTableProps) {
  const fitted = fitTable(columns, [...rows, ...footer], width)
  return (
    <Box flexDirection="column">
      <Text color="gray">{fitted.header}</Text>
      {fitted.rows.map((line, i) => (
        <Text key={i} inverse={i === selected} bold={i >= rows.length}>
          {line}
        </Text>
      ))}
      {fitted.dropped.length > 0 ? (
        <Text color="gray">{`(${fitted.dropped.join(', ')}: wider terminal or --json)`}</Text>
      ) : null}
    </Box>
  )
}

const CELL_COLOR: Record<string, string | undefined> = {'·': 'gray', '●': 'yellowBright', '▓': 'cyan', '░': 'blue'}

/** One chart row as runs of same-coloured cells (few Text nodes per row). */
function ChartRow({cells}: {cells: readonly string[]}) {
  const runs: Array<{char: string; text: string}> = []
  for (const cell of cells) {
    const last = runs.at(-1)
    if (last && last.char === cell) last.text += cell
    else runs.push({char: cell, text: cell})
  }
  return (
    <Text>
      {runs.map((run, i) => (
        <Text key={i} color={CELL_COLOR[run.char]}>
          {run.text}
        </Text>
      ))}
    </Text>
  )
}

export interface BandChartViewProps {
  chart: BandChart
  /** Width of the value labels and axis left of the chart. */
  labelWidth: number
  format: (value: number) => string
  /** The legend's names for history, forecast, inner and outer band ('' leaves the outer band unnamed). */
  legend: [string, string, string, string]
}

/** A band chart (see format/band-chart.ts) with the top and bottom values on its axis and a legend. */
export function BandChartView({chart, labelWidth, format, legend}: BandChartViewProps) {
  const height = chart.rows.length
  return (
    <Box flexDirection="column">
      {chart.rows.map((cells, r) => (
        <Box key={r}>
          <Text color="gray">{`${r === 0 ? format(chart.top).padStart(labelWidth - 2) : r === height - 1 ? format(chart.bottom).padStart(labelWidth - 2) : ' '.repeat(labelWidth - 2)} │`}</Text>
          <ChartRow cells={cells} />
        </Box>
      ))}
      <Text color="gray">
        {' '.repeat(labelWidth)}
        <Text color="gray">{`· ${legend[0]}  `}</Text>
        <Text color="yellowBright">{`● ${legend[1]}  `}</Text>
        <Text color="cyan">{`▓ ${legend[2]}  `}</Text>
        {legend[3] ? <Text color="blue">{`░ ${legend[3]}`}</Text> : null}
      </Text>
    </Box>
  )
}

/**
 * A bar `width` cells long filled to `fraction`, coloured by how full it is (green, yellow from
 * 70 %, red from 90 %). A string, not a component: views that redraw every second keep one Text
 * per line.
 */
export function meter(fraction: number | undefined, width: number): string {
  const text = bar(fraction ?? 0, width)
  if (fraction === undefined) return text
  return (fraction >= 0.9 ? pc.red : fraction >= 0.7 ? pc.yellow : pc.green)(text)
}
