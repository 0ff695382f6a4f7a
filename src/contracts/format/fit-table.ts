/**
 * A table with units for the terminal views: each column's unit is said once in its header
 * ("compute $", "p95 %"), cells are bare figures; when the terminal is narrower than the table,
 * the least important columns go first. Pure: the Ink table and any text output lay out alike.
 */
import {stripVTControlCharacters} from 'node:util'

export interface TableColumn {
  header: string
  /** Said once, after the header: '$', '%', '/s', 'GiB'. */
  unit?: string
  align?: 'left' | 'right'
  /** Columns with the lowest priority are dropped first to fit; default 0. */
  priority?: number
}

export interface FittedTable {
  /** The header line, then one line per row, each at most `width` characters. */
  header: string
  rows: string[]
  /** Headers of the columns left out for width. */
  dropped: string[]
}

const GAP = 2

/** Length on screen: colour codes take no cells. */
const shownLength = (text: string) => stripVTControlCharacters(text).length
const padStart = (text: string, w: number) => ' '.repeat(Math.max(0, w - shownLength(text))) + text
const padEnd = (text: string, w: number) => text + ' '.repeat(Math.max(0, w - shownLength(text)))

/** The header as shown: the name and its unit. */
const title = (column: TableColumn) => (column.unit ? `${column.header} ${column.unit}` : column.header)

/**
 * Lays `rows` (one cell per column) out in `width` characters.
 * @example fitTable([{header: 'type'}, {header: 'price', unit: '$', align: 'right'}], [['m7g.large', '0.08']], 40).header // => 'type       price $'
 */
export function fitTable(
  columns: readonly TableColumn[],
  rows: ReadonlyArray<readonly string[]>,
  width: number,
): FittedTable {
  const widths = columns.map((column, c) =>
    Math.max(title(column).length, ...rows.map((row) => shownLength(row[c] ?? ''))),
  )
  const shown = columns.map((_, c) => c)
  const total = () => shown.reduce((sum, c) => sum + (widths[c] as number), 0) + GAP * Math.max(0, shown.length - 1)
  const dropped: string[] = []
  while (total() > width && shown.length > 1) {
    // The least important column; among equals, the rightmost.
    let drop = 0
    for (let i = 1; i < shown.length; i++)
      if ((columns[shown[i] as number]?.priority ?? 0) <= (columns[shown[drop] as number]?.priority ?? 0)) drop = i
    dropped.push(title(columns[shown[drop] as number] as TableColumn))
    shown.splice(drop, 1)
  }
  const line = (cells: readonly string[]) =>
    shown
      .map((c, i) => {
        const cell = cells[c] ?? ''
        const w = widths[c] as number
        // The last left-aligned column is not padded: no trailing blanks.
        return columns[c]?.align === 'right' ? padStart(cell, w) : i === shown.length - 1 ? cell : padEnd(cell, w)
      })
      .join(' '.repeat(GAP))
  return {header: line(columns.map(title)), rows: rows.map(line), dropped}
}
