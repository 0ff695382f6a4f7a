/**
 * Reads the CSV data file whose rows feed `{{data.column}}` placeholders. The first line is the
 * header; the delimiter (comma, semicolon or tab) is detected.
 */
import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import type {parse as Parse} from 'csv-parse/sync'
import type {DataRows} from '../../core/engine/run-options.js'

// Required when a data file is read, not when every `run` starts (the resolver calling this is
// synchronous, so it cannot await an import).
const require = createRequire(import.meta.url)

export function readDataFile(path: string): DataRows | {error: string} {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    return {
      error: `cannot read the data file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); check the path`,
    }
  }
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0)
  const delimiter = [',', ';', '\t'].reduce(
    (best, d) => (firstLine.split(d).length > firstLine.split(best).length ? d : best),
    ',',
  )
  try {
    const {parse} = require('csv-parse/sync') as {parse: typeof Parse}
    const rows = parse(text, {columns: true, delimiter, skip_empty_lines: true, trim: true, bom: true}) as Array<
      Record<string, string>
    >
    const columns = rows.length > 0 ? Object.keys(rows[0] as object) : firstLine.split(delimiter).map((c) => c.trim())
    if (rows.length === 0) return {error: 'the data file has a header but no rows'}
    return {columns, rows}
  } catch (error) {
    return {error: `not a valid CSV file: ${(error as Error).message}`}
  }
}
