/**
 * The per-type performance table: public benchmark results per instance type, measured by Spare
 * Cores' inspector (SpareCores/sc-inspector-data, CC BY-SA 4.0) and joined to the catalog by
 * `provider:type`. Built by tools/perf/build-perf-table.ts from a pinned commit.
 */

export const PERF_TABLE_LICENSE = 'CC BY-SA 4.0'

/** What was measured on one type; a field is absent where the source has no result. */
export interface PerfRecord {
  /** stress-ng `cpu` stressor on one core, bogo-ops/s. */
  stressngSingleCore?: number
  /** stress-ng `cpu` on 1..n cores, as [cores, bogo-ops/s] at 1, 2, 4, … and n. */
  stressngCores?: Array<[number, number]>
  /** Best requests/s of the static web benchmark (binserve serving small files, wrk). */
  staticWebRps?: number
  /** Best requests/s of the source's redis benchmark (any operation, threads and pipelining). */
  redisRps?: number
  /** Memory read bandwidth past every cache, MB/s (bw_mem, largest block). */
  memoryReadMBps?: number
}

/** stress-ng bogo-ops/s on all of a type's cores (the last point of its curve). */
export function allCoresScore(record: PerfRecord): number | undefined {
  return record.stressngCores?.at(-1)?.[1]
}

export interface PerfTable {
  schemaVersion: 1
  source: {repository: string; commit: string; committedAt: string; license: string; url: string}
  /** stress-ng versions the single-core results were measured with, and how many types each. */
  stressngVersions: Record<string, number>
  /** Keyed `provider:type`, e.g. `aws:m6i.large`. */
  types: Record<string, PerfRecord>
}
