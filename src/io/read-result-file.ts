/**
 * Reads a saved RunResult or CapacityResult (for `report`, `run --compare` and `plan --capacity`).
 * The file is checked against the fields every renderer reads, so a hand-edited or truncated file
 * is bad input with its field named, never a crash half-way through a report.
 */
import {readFileSync} from 'node:fs'
import {z} from 'zod'
import {formatProblem, problemsFromZod} from '../errors.js'
import {CAPACITY_RESULT_SCHEMA, type CapacityResult} from '../results/capacity-result.js'
import {RUN_RESULT_SCHEMA, type RunResult} from '../results/run-result.js'
import type {SavedResult} from '../results/saved-result.js'

// JSON has no NaN: an unmeasured statistic is saved as null.
const measured = z.number().nullable()
const latency = z.looseObject({count: z.number(), minMs: measured, meanMs: measured, stdevMs: measured, maxMs: measured, percentilesMs: z.record(z.string(), measured)})
const threshold = z.looseObject({expression: z.string(), name: z.string(), operator: z.string(), limit: z.number(), value: measured, unit: z.string(), passed: z.boolean()})

const runResultShape = z.looseObject({
  tool: z.looseObject({version: z.string()}),
  startedAt: z.string(),
  durationMs: z.number(),
  stopReason: z.string(),
  options: z.looseObject({origin: z.string(), model: z.enum(['closed', 'open']), connections: z.number(), workers: z.number(), timeoutMs: z.number(), scenarios: z.array(z.looseObject({name: z.string(), method: z.string(), path: z.string()}))}),
  totals: z.looseObject(Object.fromEntries(['sent', 'completed', 'errors', 'httpErrors', 'transportErrors', 'dropped', 'aborted', 'warmup', 'bytesSent', 'bytesReceived'].map((k) => [k, z.number()]))).extend({errorRatio: measured, droppedRatio: measured, requestsPerSec: measured}),
  statusCodes: z.record(z.string(), z.number()),
  errors: z.record(z.string(), z.number()),
  latency: z.looseObject({corrected: latency, uncorrected: latency}),
  histograms: z.looseObject({corrected: z.string(), uncorrected: z.string()}),
  seconds: z.array(z.looseObject({second: z.number(), requests: z.number()})),
  thresholds: z.array(threshold),
  passed: z.boolean(),
})

const capacityStep = z.looseObject({index: z.number(), phase: z.string(), offeredRatePerSec: z.number(), achievedRatePerSec: z.number(), p50Ms: measured, p90Ms: measured, p99Ms: measured, maxMs: measured, errorRatio: measured, droppedRatio: measured, passed: z.boolean(), failures: z.array(z.string()), durationMs: z.number()})

const capacityResultShape = z.looseObject({
  tool: z.looseObject({version: z.string()}),
  target: z.string(),
  startedAt: z.string(),
  durationMs: z.number(),
  stopReason: z.string(),
  slo: z.array(z.string()),
  settings: z.looseObject(Object.fromEntries(['startRatePerSec', 'growthFactor', 'maxRatePerSec', 'precision', 'stepDurationMs', 'warmupMs', 'maxDurationMs', 'maxErrorRatio'].map((k) => [k, z.number()]))),
  sustainableRatePerSec: z.number().positive({error: 'a sustainable rate must be greater than 0'}).nullable(),
  breakingRatePerSec: z.number().nullable(),
  atSustainable: z.looseObject({p50Ms: measured, p90Ms: measured, p99Ms: measured, errorRatio: measured}).nullable(),
  steps: z.array(capacityStep),
  host: z.looseObject({vCpus: z.number().positive(), physicalCores: z.number(), memoryGiB: z.number(), cpuModel: z.string(), os: z.string(), instanceType: z.string().optional()}),
  passed: z.boolean(),
})

/** The saved result, or why it cannot be used (every problem with its field). */
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
  const kind = schema === RUN_RESULT_SCHEMA && version === 1 ? 'run' : schema === CAPACITY_RESULT_SCHEMA && version === 1 ? 'capacity' : undefined
  if (!kind) return {error: `not a loadplan result (schema ${JSON.stringify(schema)}, version ${JSON.stringify(version)}); expected "${RUN_RESULT_SCHEMA}" or "${CAPACITY_RESULT_SCHEMA}" version 1`}
  const checked = (kind === 'run' ? runResultShape : capacityResultShape).safeParse(data)
  if (!checked.success) return {error: `is not a complete ${kind === 'run' ? 'RunResult' : 'CapacityResult'}: ${problemsFromZod(checked.error.issues, data, '').map(formatProblem).join('; ')}`}
  return kind === 'run' ? {kind, result: data as RunResult} : {kind, result: data as CapacityResult}
}
