/** The fields every renderer reads from a saved result, as zod schemas (loaded only when a result file is read). */
import {z} from 'zod'

// JSON has no NaN: an unmeasured statistic is saved as null.
const measured = z.number().nullable()
const latency = z.looseObject({count: z.number(), minMs: measured, meanMs: measured, stdevMs: measured, maxMs: measured, percentilesMs: z.record(z.string(), measured)})
const threshold = z.looseObject({expression: z.string(), name: z.string(), operator: z.string(), limit: z.number(), value: measured, unit: z.string(), passed: z.boolean()})

export const runResultShape = z.looseObject({
  tool: z.looseObject({version: z.string()}),
  startedAt: z.string(),
  durationMs: z.number(),
  stopReason: z.string(),
  options: z.looseObject({origin: z.string(), model: z.enum(['closed', 'open']), connections: z.number(), workers: z.number(), timeoutMs: z.number(), scenarios: z.array(z.looseObject({name: z.string(), method: z.string(), path: z.string()}))}),
  totals: z.looseObject(Object.fromEntries(['sent', 'completed', 'errors', 'httpErrors', 'transportErrors', 'dropped', 'aborted', 'warmup', 'bytesSent', 'bytesReceived'].map((k) => [k, z.number()]))).extend({errorRatio: measured, droppedRatio: measured, requestsPerSec: measured}),
  statusCodes: z.record(z.string(), z.number()),
  errors: z.record(z.string(), z.number()),
  errorCodes: z.record(z.string(), z.number()).optional(),
  latency: z.looseObject({corrected: latency, uncorrected: latency}),
  histograms: z.looseObject({corrected: z.string(), uncorrected: z.string()}),
  seconds: z.array(z.looseObject({second: z.number(), requests: z.number()})),
  thresholds: z.array(threshold),
  passed: z.boolean(),
})

const capacityStep = z.looseObject({index: z.number(), phase: z.string(), offeredRatePerSec: z.number(), achievedRatePerSec: z.number(), p50Ms: measured, p90Ms: measured, p99Ms: measured, maxMs: measured, errorRatio: measured, droppedRatio: measured, passed: z.boolean(), failures: z.array(z.string()), durationMs: z.number()})

export const capacityResultShape = z.looseObject({
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
