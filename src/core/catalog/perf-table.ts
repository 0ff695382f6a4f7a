/** The performance table shipped with loadplan (built by tools/perf/build-perf-table.ts; CC BY-SA 4.0). */
import data from './data/perf-table.json' with {type: 'json'}
import type {PerfRecord, PerfTable} from './perf-table-schema.js'

export {allCoresScore} from './perf-table-schema.js'

export const shippedPerfTable = data as unknown as PerfTable

/** What the table measured on a type, if anything. */
export function findPerf(table: PerfTable, provider: string, type: string): PerfRecord | undefined {
  return table.types[`${provider}:${type}`]
}
