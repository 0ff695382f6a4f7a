/**
 * Saved results as zod schemas: every field the RunResult and CapacityResult types declare, with
 * its type, so that a renderer never meets a value its type rules out (loaded only when a result
 * file is read). Unknown extra fields are kept, for results from newer versions.
 */
import {z} from 'zod'

// JSON has no NaN: a RunResult's unmeasured statistic (NaN in memory) is saved as null and read
// back as NaN. A CapacityResult keeps null for unmeasured values in memory too.
const measured = z
  .number()
  .nullable()
  .transform((value) => value ?? Number.NaN)
const nullable = z.number().nullable()
const count = z.number().nonnegative()
const latency = z.looseObject({
  count,
  minMs: measured,
  meanMs: measured,
  stdevMs: measured,
  maxMs: measured,
  percentilesMs: z.record(z.string(), measured),
})
const threshold = z.looseObject({
  expression: z.string(),
  name: z.string(),
  operator: z.enum(['<', '<=', '>', '>=']),
  limit: z.number(),
  value: measured,
  unit: z.enum(['ms', 'ratio', 'per-second']),
  passed: z.boolean(),
  scenario: z.string().optional(),
})
const scenario = z.looseObject({
  name: z.string(),
  weight: z.number(),
  method: z.string(),
  path: z.string(),
  query: z.array(z.tuple([z.string(), z.string()])),
  headers: z.record(z.string(), z.string()),
  hasBody: z.boolean(),
})
const second = z.looseObject({
  second: z.number(),
  requests: count,
  errors: count,
  dropped: count,
  requestsPerSec: measured,
  p50Ms: nullable,
  p90Ms: nullable,
  p99Ms: nullable,
  maxMs: nullable,
  histogram: z.string().optional(),
})
const segment = z.looseObject({
  index: z.number().int().nonnegative(),
  count: z.number().int().positive(),
  planDigest: z.string(),
  startAt: z.string().optional(),
  startLagMs: z.number().optional(),
})
const merged = z.looseObject({
  count: z.number().int().positive(),
  segments: z.array(z.number().int()),
  missing: z.array(z.number().int()),
  planDigest: z.string(),
  startSpreadMs: z.number(),
  maxStartLagMs: z.number().optional(),
  clockSkewMs: z.number().optional(),
  clockSkewUncertaintyMs: z.number().optional(),
})
const clock = z.looseObject({targetOffsetMs: z.number(), uncertaintyMs: z.number(), samples: count})

export const runResultShape = z.looseObject({
  tool: z.looseObject({version: z.string()}),
  service: z.string().optional(),
  startedAt: z.string(),
  durationMs: count,
  stopReason: z.enum(['completed', 'duration', 'interrupted']),
  options: z.looseObject({
    origin: z.string(),
    model: z.enum(['closed', 'open']),
    connections: count,
    pipelining: count.optional(),
    workers: count,
    durationMs: count.optional(),
    amount: count.optional(),
    ratePerSec: count.optional(),
    startRatePerSec: count.optional(),
    stages: z.array(z.looseObject({durationMs: count.nullable(), targetRatePerSec: count})).optional(),
    maxInFlight: count.optional(),
    balance: z.string().optional(),
    timeoutMs: count,
    warmupMs: count,
    scenarios: z.array(scenario),
  }),
  totals: z
    .looseObject(
      Object.fromEntries(
        [
          'sent',
          'completed',
          'errors',
          'httpErrors',
          'transportErrors',
          'dropped',
          'aborted',
          'warmup',
          'bytesSent',
          'bytesReceived',
        ].map((k) => [k, count]),
      ),
    )
    // Counts added after version 1 shipped: optional, but numbers when present (merge adds them).
    .extend({
      errorRatio: measured,
      droppedRatio: measured,
      requestsPerSec: measured,
      connectionsOpened: count.optional(),
      http2Connections: count.optional(),
    }),
  statusCodes: z.record(z.string(), count),
  errors: z.record(z.string(), count),
  errorCodes: z.record(z.string(), count).optional(),
  latency: z.looseObject({corrected: latency, uncorrected: latency}),
  histograms: z.looseObject({corrected: z.string(), uncorrected: z.string(), lateness: z.string().optional()}),
  schedule: z.looseObject({lateP50Ms: count, lateP99Ms: count, lateMaxMs: count, pollMs: count}).optional(),
  targets: z
    .array(
      z.looseObject({
        origin: z.string(),
        weight: count,
        completed: count,
        errors: count,
        transportErrors: count,
        share: count,
        latency,
        histogram: z.string(),
      }),
    )
    .optional(),
  scenarios: z
    .array(
      z.looseObject({
        name: z.string(),
        weight: count,
        completed: count,
        errors: count,
        transportErrors: count,
        share: count,
        latency,
        histogram: z.string(),
        steps: z
          .array(
            z.looseObject({
              name: z.string(),
              completed: count,
              errors: count,
              transportErrors: count,
              latency,
              histogram: z.string(),
              checks: z.array(z.looseObject({name: z.string(), passed: count, failed: count})),
            }),
          )
          .optional(),
      }),
    )
    .optional(),
  seconds: z.array(second),
  clock: clock.optional(),
  segment: segment.optional(),
  merged: merged.optional(),
  thresholds: z.array(threshold),
  passed: z.boolean(),
})

const capacityStep = z.looseObject({
  index: z.number(),
  phase: z.enum(['ramp', 'bisect', 'confirm']),
  offeredRatePerSec: count,
  achievedRatePerSec: count,
  p50Ms: nullable,
  p90Ms: nullable,
  p99Ms: nullable,
  maxMs: nullable,
  errorRatio: nullable,
  droppedRatio: nullable,
  passed: z.boolean(),
  failures: z.array(z.string()),
  durationMs: count,
  generator: z.looseObject({cpuPct: count, eventLoopLagP99Ms: count}).optional(),
  unreliable: z.string().optional(),
  histogram: z.string().optional(),
  targets: z
    .array(z.looseObject({origin: z.string(), share: count, completed: count, errors: count, p99Ms: nullable}))
    .optional(),
})
const uslFit = z.looseObject(
  Object.fromEntries(
    [
      'sigma',
      'kappa',
      'lambda',
      'rSquared',
      'rmse',
      'peakConcurrency',
      'peakThroughput',
      'optimalConcurrency',
      'optimalThroughput',
      'limitThroughput',
    ].map((k) => [k, z.number()]),
  ),
)

export const capacityResultShape = z.looseObject({
  tool: z.looseObject({version: z.string()}),
  service: z.string().optional(),
  target: z.string(),
  startedAt: z.string(),
  durationMs: count,
  stopReason: z.enum(['converged', 'max-rate', 'nothing-sustainable', 'max-duration', 'interrupted']),
  slo: z.array(z.string()),
  settings: z.looseObject(
    Object.fromEntries(
      [
        'startRatePerSec',
        'growthFactor',
        'maxRatePerSec',
        'precision',
        'stepDurationMs',
        'warmupMs',
        'maxDurationMs',
        'maxErrorRatio',
      ].map((k) => [k, count]),
    ),
  ),
  sustainableRatePerSec: z.number().positive({error: 'a sustainable rate must be greater than 0'}).nullable(),
  breakingRatePerSec: z.number().positive().nullable(),
  atSustainable: z.looseObject({p50Ms: nullable, p90Ms: nullable, p99Ms: nullable, errorRatio: nullable}).nullable(),
  steps: z.array(capacityStep),
  coreScaling: z
    .looseObject({
      points: z.array(z.looseObject({cpus: count, sustainableRatePerSec: count})),
      serialFraction: count,
      oneCpuRatePerSec: count,
    })
    .optional(),
  usl: z
    .looseObject({
      sweep: z.array(z.looseObject({concurrency: count, throughput: count, p99Ms: nullable})),
      fit: uslFit.nullable(),
      fitError: z.string().optional(),
    })
    .optional(),
  host: z.looseObject({
    vCpus: z.number().positive(),
    physicalCores: count,
    memoryGiB: count,
    cpuModel: z.string(),
    os: z.string(),
    instanceType: z.string().optional(),
  }),
  serviceHost: z
    .looseObject({
      calibration: z.looseObject({
        method: z.literal('div16'),
        cores: z.number().int().positive(),
        singleCore: z.number().positive(),
        allCores: z.number().positive(),
        cpuModel: z.string(),
        stressngVersion: z.string(),
      }),
    })
    .optional(),
  bytesPerResponse: count.optional(),
  passed: z.boolean(),
})
