/** Reads a saved RunResult or CapacityResult (for --compare and `loadplan report`). */
import {readFileSync} from 'node:fs'
import {CAPACITY_RESULT_SCHEMA, type CapacityResult} from '../results/capacity-result.js'
import {RUN_RESULT_SCHEMA, type RunResult} from '../results/run-result.js'
import type {SavedResult} from '../results/saved-result.js'

/** The saved result, or why it cannot be used. */
export function readResultFile(path: string): SavedResult | {error: string} {
  let data: unknown
  try {
    data = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return {error: code ? `cannot read it (${code})` : `not JSON (${(error as Error).message}); give a file written by --json or --out`}
  }
  const schema = (data as {schema?: unknown} | null)?.schema
  const version = (data as {version?: unknown} | null)?.version
  if (schema === RUN_RESULT_SCHEMA && version === 1) return {kind: 'run', result: data as RunResult}
  if (schema === CAPACITY_RESULT_SCHEMA && version === 1) return {kind: 'capacity', result: data as CapacityResult}
  return {error: `not a loadplan result (schema ${JSON.stringify(schema)}, version ${JSON.stringify(version)}); expected "${RUN_RESULT_SCHEMA}" or "${CAPACITY_RESULT_SCHEMA}" version 1`}
}
