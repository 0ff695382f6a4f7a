/**
 * Runs a capacity search: asks the pure policy (`src/core/capacity/capacity-search.ts`) for the next
 * arrival rate, runs an open-model step at it, judges the step against the SLO, and repeats;
 * then, when asked, sweeps concurrency levels and fits the USL. Safe by construction: a maximum
 * rate, a maximum total duration, an error limit that ends a step early, and `stop()`.
 */
import {hideEnvValues} from '../../contracts/redact.js'
import type {OpenLoad, RunOptions} from './run-options.js'
import {formatDurationMs} from '../../contracts/format/units.js'
import {bracket, nextSearchStep, type SearchSettings, type StepVerdict} from '../capacity/capacity-search.js'
import {fitUsl} from '../capacity/usl.js'
import {stepStability} from '../capacity/step-stability.js'
import {
  CAPACITY_RESULT_SCHEMA,
  CAPACITY_RESULT_VERSION,
  type CapacityResult,
  type CapacityStep,
  type CapacityStopReason,
  type GeneratorLoad,
  type HostInventory,
  type UslSweepPoint,
} from '../../contracts/results/capacity-result.js'
import type {RunResult} from '../../contracts/results/run-result.js'
import type {Threshold} from '../../contracts/stats/thresholds.js'
import type {EngineSnapshot} from '../../contracts/results/engine-snapshot.js'
import {startRun, type RunHandle} from './run-load.js'
import {withGenerator} from './generator-load.js'

export interface CapacitySettings extends SearchSettings {
  stepDurationMs: number
  warmupMs: number
  maxDurationMs: number
  /** A step whose error ratio passes this (after 100 responses) is ended early as failed. */
  maxErrorRatio: number
  /** In-flight limit of each step; arrivals beyond it are dropped and fail the step. */
  maxInFlight: number
  /** A step fails when more than this share of its arrivals was dropped. */
  maxDroppedRatio: number
}

export interface CapacityRunInput {
  /** Requests, target and timeouts; the load is replaced step by step. */
  base: RunOptions
  slo: Threshold[]
  settings: CapacitySettings
  /** Concurrency levels for the USL sweep; empty for none. */
  concurrency: number[]
  host: HostInventory & {instanceType?: string}
  toolVersion: string
  /** Called after each step and sweep point, for progress. */
  onStep?(line: string): void
}

export interface CapacityLiveStatus {
  phase: string
  ratePerSec: number | undefined
  snapshot: EngineSnapshot | undefined
}

export interface CapacityHandle {
  done: Promise<CapacityResult>
  stop(): void
  status(): CapacityLiveStatus
}

/** How often a running step is checked against the error limit. */
const ERROR_CHECK_INTERVAL_MS = 250
/** A step whose completed rate is below this share of the offered rate is falling behind. */
const MIN_ACHIEVED_SHARE = 0.9
/** Responses needed before the error limit is judged, so one early failure does not end a step. */
const ERROR_CHECK_MIN_RESPONSES = 20

function nullable(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) ? value : null
}

/**
 * What an overloaded target served over a whole step: every response, warm-up included, over the
 * step's whole time (the queue it could not keep up with drains at its full rate after the
 * arrivals stop). The measured window alone under-reports: it starts on a backlog of warm-up
 * arrivals, which are not its own (317/s measured of a server doing 393/s).
 */
function servedRatePerSec(run: RunResult): number {
  return run.durationMs > 0 ? ((run.totals.completed + run.totals.warmup) * 1000) / run.durationMs : 0
}

/** A ramp step's warm-up and measurement, shorter than a full step's (see stepTiming). */
const RAMP_WARMUP_MS = 500
const MIN_RAMP_STEP_MS = 1000

/**
 * How long a step warms up and measures. A ramp step only has to show that a rate is well below
 * or above the limit, so it takes a fifth of a step (at least 1 s) after a short warm-up; the
 * bisection and the confirmation, which decide the answer, take full steps.
 */
export function stepTiming(
  settings: Pick<CapacitySettings, 'warmupMs' | 'stepDurationMs'>,
  phase: CapacityStep['phase'],
): {warmupMs: number; durationMs: number} {
  if (phase !== 'ramp') return {warmupMs: settings.warmupMs, durationMs: settings.stepDurationMs}
  return {
    warmupMs: Math.min(settings.warmupMs, RAMP_WARMUP_MS),
    durationMs: Math.min(settings.stepDurationMs, Math.max(MIN_RAMP_STEP_MS, settings.stepDurationMs / 5)),
  }
}

function openStep(
  base: RunOptions,
  slo: Threshold[],
  settings: CapacitySettings,
  ratePerSec: number,
  phase: CapacityStep['phase'],
): RunOptions {
  const {warmupMs, durationMs} = stepTiming(settings, phase)
  const load: OpenLoad = {
    model: 'open',
    startRatePerSec: ratePerSec,
    stages: [{durationMs: warmupMs + durationMs, targetRatePerSec: ratePerSec}],
    maxInFlight: settings.maxInFlight,
    connections: settings.maxInFlight,
    streams: 1,
  }
  if (base.http2) {
    // HTTP/2: the streams per connection the base run was given.
    load.streams = base.load.model === 'open' ? base.load.streams : base.load.pipelining
    load.connections = Math.ceil(settings.maxInFlight / load.streams)
  }
  return {...base, load, thresholds: slo, warmupMs}
}

function closedStep(base: RunOptions, settings: CapacitySettings, concurrency: number): RunOptions {
  return {
    ...base,
    load: {
      model: 'closed',
      connections: concurrency,
      pipelining: 1,
      durationMs: settings.warmupMs + settings.stepDurationMs,
    },
    thresholds: [],
    warmupMs: settings.warmupMs,
    workers: Math.min(base.workers, concurrency),
  }
}

export function toCapacityStep(
  index: number,
  phase: CapacityStep['phase'],
  offeredRatePerSec: number,
  run: RunResult,
  settings: CapacitySettings,
  abortedForErrors: boolean,
): CapacityStep {
  const failures = run.thresholds.filter((t) => !t.passed).map((t) => t.expression)
  if (run.totals.droppedRatio > settings.maxDroppedRatio)
    failures.push(
      `dropped ${(run.totals.droppedRatio * 100).toFixed(1)}% of arrivals (in-flight limit ${settings.maxInFlight})`,
    )
  const fellBehind = run.totals.requestsPerSec < offeredRatePerSec * MIN_ACHIEVED_SHARE
  if (fellBehind) failures.push(`throughput ${run.totals.requestsPerSec.toFixed(1)}/s fell behind the arrival rate`)
  const {warmupMs, durationMs} = stepTiming(settings, phase)
  const window = {fromMs: warmupMs, toMs: Math.min(warmupMs + durationMs, run.durationMs), offeredRatePerSec}
  const {latencyClimb, servedShortfall} = stepStability(run.seconds, window)
  if (latencyClimb) failures.push(latencyClimb)
  // A step far behind already said so above.
  if (servedShortfall && !fellBehind) failures.push(servedShortfall)
  if (abortedForErrors)
    failures.push(`error ratio passed ${(settings.maxErrorRatio * 100).toFixed(0)}%: step ended early`)
  const latency = run.latency.corrected
  return {
    index,
    phase,
    offeredRatePerSec,
    achievedRatePerSec: run.totals.requestsPerSec,
    p50Ms: nullable(latency.percentilesMs['50']),
    p90Ms: nullable(latency.percentilesMs['90']),
    p99Ms: nullable(latency.percentilesMs['99']),
    maxMs: nullable(latency.maxMs),
    errorRatio: nullable(run.totals.errorRatio),
    droppedRatio: run.totals.droppedRatio,
    passed: failures.length === 0,
    failures,
    durationMs: Math.max(0, run.durationMs - run.options.warmupMs),
    histogram: run.histograms.corrected,
    ...(run.targets
      ? {
          targets: run.targets.map((t) => ({
            origin: t.origin,
            share: t.share,
            completed: t.completed,
            errors: t.errors,
            p99Ms: nullable(t.latency.percentilesMs['99']),
          })),
        }
      : {}),
  }
}

export function describeStep(step: CapacityStep): string {
  const ms = (value: number | null) => (value === null ? '–' : formatDurationMs(value))
  const verdict = step.passed ? 'meets SLO' : `breaks SLO: ${step.failures.join('; ')}`
  return `step ${step.index + 1} (${step.phase}) ${step.offeredRatePerSec}/s → ${step.achievedRatePerSec.toFixed(1)}/s, p99 ${ms(step.p99Ms)}, errors ${((step.errorRatio ?? 0) * 100).toFixed(2)}%: ${verdict}${step.unreliable ? ` (unreliable: ${step.unreliable})` : ''}`
}

export function startCapacitySearch(input: CapacityRunInput): CapacityHandle {
  const {base, slo, settings} = input
  let stopped = false
  let current: RunHandle | undefined
  const live: CapacityLiveStatus = {phase: 'starting', ratePerSec: undefined, snapshot: undefined}
  const startedAtMs = Date.now()
  const startedClockMs = performance.now()
  const elapsedMs = () => performance.now() - startedClockMs

  async function runStep(
    options: RunOptions,
  ): Promise<{run: RunResult; abortedForErrors: boolean; generator: GeneratorLoad}> {
    const handle = startRun(options, {toolVersion: input.toolVersion})
    current = handle
    let abortedForErrors = false
    const watchdog = setInterval(() => {
      const snapshot = handle.snapshot()
      live.snapshot = snapshot
      const {completed, httpErrors, transportErrors} = snapshot.counters
      const attempts = completed + transportErrors
      if (attempts >= ERROR_CHECK_MIN_RESPONSES && (httpErrors + transportErrors) / attempts > settings.maxErrorRatio) {
        abortedForErrors = true
        handle.stop('duration')
      }
    }, ERROR_CHECK_INTERVAL_MS)
    try {
      const run = await handle.done
      // startRun watched the generator over the step's measured time (run-load.ts).
      const {cpuPct, eventLoopLagP99Ms} = run.generator as NonNullable<RunResult['generator']>
      return {run, abortedForErrors, generator: {cpuPct, eventLoopLagP99Ms}}
    } finally {
      clearInterval(watchdog)
      current = undefined
    }
  }

  async function search(): Promise<CapacityResult> {
    const steps: CapacityStep[] = []
    const verdicts: StepVerdict[] = []
    let stopReason: CapacityStopReason
    let sustainable: number | undefined
    let breaking: number | undefined
    const stepLengthMs = settings.warmupMs + settings.stepDurationMs
    const received = {bytes: 0, responses: 0}
    const count = (run: RunResult) => {
      received.bytes += run.totals.bytesReceived
      received.responses += run.totals.completed + run.totals.warmup
    }
    for (;;) {
      const decision = nextSearchStep(settings, verdicts)
      if (decision.action === 'done') {
        stopReason = decision.reason
        sustainable = decision.sustainableRatePerSec
        breaking = decision.breakingRatePerSec
        break
      }
      if (stopped || elapsedMs() + stepLengthMs > settings.maxDurationMs) {
        stopReason = stopped ? 'interrupted' : 'max-duration'
        ;({good: sustainable, bad: breaking} = bracket(verdicts))
        break
      }
      live.phase = decision.phase
      live.ratePerSec = decision.ratePerSec
      const {run, abortedForErrors, generator} = await runStep(
        openStep(base, slo, settings, decision.ratePerSec, decision.phase),
      )
      count(run)
      if (stopped && run.stopReason === 'interrupted') continue // an interrupted step proves nothing
      const step = withGenerator(
        toCapacityStep(steps.length, decision.phase, decision.ratePerSec, run, settings, abortedForErrors),
        generator,
        base.workers,
        run.schedule?.lateP99Ms,
      )
      steps.push(step)
      const saturated = run.totals.requestsPerSec < decision.ratePerSec * MIN_ACHIEVED_SHARE
      verdicts.push({
        phase: decision.phase,
        ratePerSec: decision.ratePerSec,
        passed: step.passed,
        ...(saturated ? {saturatedAtRatePerSec: servedRatePerSec(run)} : {}),
      })
      input.onStep?.(describeStep(step))
    }

    let usl: CapacityResult['usl']
    if (input.concurrency.length > 0 && !stopped) {
      const sweep: UslSweepPoint[] = []
      for (const concurrency of input.concurrency) {
        if (stopped || elapsedMs() + stepLengthMs > settings.maxDurationMs) break
        live.phase = `usl c=${concurrency}`
        live.ratePerSec = undefined
        const {run} = await runStep(closedStep(base, settings, concurrency))
        if (run.stopReason === 'interrupted') break
        const point = {
          concurrency,
          throughput: run.totals.requestsPerSec,
          p99Ms: nullable(run.latency.corrected.percentilesMs['99']),
        }
        sweep.push(point)
        input.onStep?.(
          `usl concurrency ${concurrency}: ${point.throughput.toFixed(1)}/s, p99 ${point.p99Ms === null ? '–' : formatDurationMs(point.p99Ms)}`,
        )
      }
      try {
        const {points: _points, ...fit} = fitUsl(sweep)
        usl = {sweep, fit}
      } catch (error) {
        usl = {sweep, fit: null, fitError: (error as Error).message}
      }
    }

    const lastAtSustainable = [...steps].reverse().find((s) => s.offeredRatePerSec === sustainable && s.passed)
    const result: CapacityResult = {
      schema: CAPACITY_RESULT_SCHEMA,
      version: CAPACITY_RESULT_VERSION,
      tool: {name: 'loadplan', version: input.toolVersion},
      target: hideEnvValues(base.origin, base.envSecrets),
      startedAt: new Date(startedAtMs).toISOString(),
      durationMs: elapsedMs(),
      stopReason: stopped ? 'interrupted' : stopReason,
      slo: slo.map((t) => t.expression),
      settings: {
        startRatePerSec: settings.startRatePerSec,
        growthFactor: settings.growthFactor,
        maxRatePerSec: settings.maxRatePerSec,
        precision: settings.precision,
        stepDurationMs: settings.stepDurationMs,
        warmupMs: settings.warmupMs,
        maxDurationMs: settings.maxDurationMs,
        maxErrorRatio: settings.maxErrorRatio,
      },
      sustainableRatePerSec: sustainable ?? null,
      breakingRatePerSec: breaking ?? null,
      atSustainable: lastAtSustainable
        ? {
            p50Ms: lastAtSustainable.p50Ms,
            p90Ms: lastAtSustainable.p90Ms,
            p99Ms: lastAtSustainable.p99Ms,
            errorRatio: lastAtSustainable.errorRatio,
          }
        : null,
      steps,
      host: input.host,
      passed: sustainable !== undefined,
    }
    if (base.service !== undefined) result.service = base.service
    if (usl) result.usl = usl
    if (received.responses > 0) result.bytesPerResponse = Math.round(received.bytes / received.responses)
    return result
  }

  return {
    done: search(),
    /** Ends the search: the running step stops gracefully; called again, its in-flight requests are cut off. */
    stop() {
      stopped = true
      current?.stop('interrupted')
    },
    status: () => ({...live, snapshot: current?.snapshot() ?? live.snapshot}),
  }
}
