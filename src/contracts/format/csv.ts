/**
 * CSV text for every CSV loadplan writes (RFC 4180 through csv-stringify): a field with a comma, a
 * quote or a line break is quoted, so a metric named `fs.used_pct{mount=/data,ro}` stays one field.
 */
import {stringify} from 'csv-stringify/sync'

export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  return stringify([header as string[], ...(rows as Array<Array<string | number>>)], {record_delimiter: 'unix'})
}
