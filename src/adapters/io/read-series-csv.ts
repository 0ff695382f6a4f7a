/**
 * Reads a `timestamp,value` CSV: delimiter (comma, semicolon, tab) and header detected;
 * timestamps ISO 8601 (without a zone: UTC) or epoch seconds or milliseconds. Rows that cannot
 * be read are counted, not fatal; the regulariser decides what is enough.
 */
import {parse, type Options} from 'csv-parse/sync'
import {InputError} from '../../contracts/errors.js'
import type {Observation} from '../../core/series/regularise.js'
import {readInputFile} from './read-input-file.js'

export interface CsvSeries {
  observations: Observation[]
  unreadableRows: number
  /** Timestamps without a zone were read as UTC. */
  assumedUtc: boolean
}

export function parseTimestamp(text: string): number {
  const trimmed = text.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const n = Number(trimmed)
    return n > 1e11 ? n : n * 1000 // epoch ms beyond ~1973 in ms, else seconds
  }
  const hasZone = /(Z|[+-]\d\d:?\d\d)$/i.test(trimmed)
  return Date.parse(hasZone || !/\d\d:\d\d/.test(trimmed) ? trimmed.replace(' ', 'T') : `${trimmed.replace(' ', 'T')}Z`)
}

export function parseSeriesCsv(text: string, path = 'the CSV'): CsvSeries {
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0)
  const delimiter = [',', ';', '\t'].reduce(
    (best, d) => (firstLine.split(d).length > firstLine.split(best).length ? d : best),
    ',',
  )
  const rows = parseCsvRows(text, path, {
    delimiter,
    skip_empty_lines: true,
    trim: true,
    bom: true,
    relax_column_count: true,
  })
  const header = rows[0] !== undefined && Number.isNaN(parseTimestamp(rows[0][0] ?? '')) ? rows.shift() : undefined
  void header
  const observations: Observation[] = []
  let unreadableRows = 0
  let assumedUtc = false
  for (const row of rows) {
    const timeMs = parseTimestamp(row[0] ?? '')
    const raw = (row[1] ?? '').trim()
    const value = raw === '' || /^nan$/i.test(raw) ? Number.NaN : Number(raw)
    if (Number.isNaN(timeMs)) {
      unreadableRows++
      continue
    }
    if (!/(Z|[+-]\d\d:?\d\d)$/i.test((row[0] ?? '').trim()) && /\d\d:\d\d/.test(row[0] ?? '')) assumedUtc = true
    observations.push({timeMs, value})
  }
  return {observations, unreadableRows, assumedUtc}
}

/**
 * Parses CSV text with csv-parse; a file it cannot read (an unterminated quote, binary bytes) is
 * bad input naming the file, not a crash.
 */
export function parseCsvRows(text: string, path: string, options: Options): string[][] {
  try {
    return parse(text, options) as string[][]
  } catch (error) {
    // csv-parse quotes the offending value: keep the reason, not raw bytes of a binary file.
    const reason = ((error as Error).message.split('\n')[0] ?? '')
      .replace(/, value is .*$/, '')
      .replace(/[^\x20-\x7e]/g, '?')
      .slice(0, 160)
    throw new InputError(`Cannot read ${path}:`, [{field: path, message: `not a readable CSV file: ${reason}`}])
  }
}

export function readSeriesCsv(path: string): CsvSeries {
  return parseSeriesCsv(readInputFile(path, 'no such file'), path)
}
