/**
 * Everything one engine thread records: the corrected and uncorrected latency histograms, counters,
 * status and error tallies, the per-second samples, and the tallies of each target, scenario and
 * journey step. Plain numbers and histograms on the hot path; encoded into an EngineResult once.
 */
import {
  createLatencyHistogram,
  encodeHistogram,
  recordLatencyMs,
  type Histogram,
} from '../../contracts/stats/histogram.js'
import {ERROR_CLASSES, MAX_ERROR_CODES, type ErrorClass} from '../../contracts/results/run-result.js'
import {emptyCounters, type EngineCounters, type SecondStats} from '../../contracts/results/engine-snapshot.js'
import type {RunOptions} from './run-options.js'
import type {EngineExtra, EngineResult, ScenarioSample, SecondSample, TallySample} from './engine-result.js'
import type {RequestSlot} from './request-slot.js'

/** What the recorder reads of whatever ended: an HTTP request slot, or a session's (session-engine.ts). */
type TalliedSlot = Pick<RequestSlot, 'status' | 'target' | 'scenario' | 'journey'>

/** The length of a per-second sample. */
export const SECOND_MS = 1000

/** What one target of a balanced run (`--targets`), or one scenario, received: measured requests only. */
interface Tally {
  completed: number
  httpErrors: number
  transportErrors: number
  histogram: Histogram
}

interface StepTally extends Tally {
  checks: Array<{passed: number; failed: number}>
}

const tally = (): Tally => ({
  completed: 0,
  httpErrors: 0,
  transportErrors: 0,
  histogram: createLatencyHistogram({packed: true}),
})
const sample = (t: Tally): TallySample => ({
  completed: t.completed,
  httpErrors: t.httpErrors,
  transportErrors: t.transportErrors,
  histogram: encodeHistogram(t.histogram),
})

export class EngineRecorder {
  readonly counters: EngineCounters = emptyCounters()
  /** The last closed second, for the live view. */
  lastSecond: SecondStats | undefined
  private readonly corrected: Histogram = createLatencyHistogram()
  private readonly uncorrected: Histogram = createLatencyHistogram()
  private readonly interval: Histogram = createLatencyHistogram()
  /** Open model: how late measured arrivals went out after their due time (the generator's own delay). */
  private readonly lateness: Histogram = createLatencyHistogram()
  private pollMs = 0
  private readonly errorCounts = new Float64Array(ERROR_CLASSES.length)
  // Every three-digit status: a server may send 999, and it is counted like any other.
  private readonly statusCounts = new Float64Array(1000)
  private readonly errorCodeCounts = new Map<string, number>()
  private readonly seconds: SecondSample[] = []
  private secondBase = {requests: 0, errors: 0, dropped: 0}
  private secondIndex = 0
  /** A balanced run: each target's tally, in the order given. */
  private readonly targetTallies: Tally[]
  /** With several scenarios, or journeys: each one's tally. */
  private readonly scenarioTallies: Tally[]
  /** Journeys: each step's tally and checks, per scenario. */
  private readonly stepTallies: StepTally[][]

  constructor(
    private readonly scenarios: RunOptions['scenarios'],
    /** The targets of a balanced run; empty otherwise. */
    private readonly balancedOrigins: readonly string[],
  ) {
    this.targetTallies = balancedOrigins.map(tally)
    const hasJourneys = scenarios.some((scenario) => scenario.steps !== undefined)
    this.scenarioTallies = scenarios.length > 1 || hasJourneys ? scenarios.map(tally) : []
    this.stepTallies = scenarios.map((scenario) =>
      (scenario.steps ?? []).map((step) => ({...tally(), checks: step.checks.map(() => ({passed: 0, failed: 0}))})),
    )
  }

  /** The next second to close, counted from the origin. */
  get nextSecond(): number {
    return this.secondIndex
  }

  /** A measured arrival sent straight from the schedule `lateMs` after its due time; `pollMs` spent polling for it. */
  sentLate(lateMs: number, pollMs: number): void {
    recordLatencyMs(this.lateness, lateMs)
    this.pollMs += pollMs
  }

  /** A measured response: `target` says whether its target's tally counts it (a balanced run). */
  response(slot: TalliedSlot, correctedMs: number, uncorrectedMs: number, target: boolean): void {
    this.counters.completed++
    recordLatencyMs(this.corrected, correctedMs)
    recordLatencyMs(this.interval, correctedMs)
    recordLatencyMs(this.uncorrected, uncorrectedMs)
    const status = slot.status
    if (target) this.count(this.targetTallies[slot.target] as Tally, status, correctedMs)
    const scenario = this.scenarioTallies[slot.scenario]
    if (scenario) this.count(scenario, status, correctedMs)
    const journey = slot.journey
    if (journey) this.count(this.stepTallies[journey.scenario]?.[journey.step] as StepTally, status, correctedMs)
    if (status >= 400) this.counters.httpErrors++
    if (status > 0 && status < 1000) (this.statusCounts[status] as number)++
  }

  private count(t: Tally, status: number, correctedMs: number): void {
    t.completed++
    if (status >= 400) t.httpErrors++
    recordLatencyMs(t.histogram, correctedMs)
  }

  /** A measured request that failed in transport, under its class and code. */
  transportError(slot: TalliedSlot, error: Error, errorClass: ErrorClass, target: boolean): void {
    this.counters.transportErrors++
    if (target) (this.targetTallies[slot.target] as Tally).transportErrors++
    const scenario = this.scenarioTallies[slot.scenario]
    if (scenario) scenario.transportErrors++
    const journey = slot.journey
    if (journey) (this.stepTallies[journey.scenario]?.[journey.step] as StepTally).transportErrors++
    ;(this.errorCounts[ERROR_CLASSES.indexOf(errorClass)] as number)++
    this.countErrorCode(error)
  }

  /** A journey step's check results, in the step's order. */
  checks(scenario: number, step: number, passed: readonly boolean[]): void {
    const counts = (this.stepTallies[scenario]?.[step] as StepTally).checks
    passed.forEach((ok, i) => {
      const count = counts[i] as {passed: number; failed: number}
      if (ok) count.passed++
      else count.failed++
    })
  }

  /** Counts a failure under its code (the reason a report can name), bounded in distinct codes. */
  private countErrorCode(error: Error): void {
    const raw = (error as {code?: unknown}).code
    let code = typeof raw === 'string' && raw !== '' ? raw : error.name || 'unknown'
    if (!this.errorCodeCounts.has(code) && this.errorCodeCounts.size >= MAX_ERROR_CODES - 1) code = 'other'
    this.errorCodeCounts.set(code, (this.errorCodeCounts.get(code) ?? 0) + 1)
  }

  /** Closes the current one-second interval into a sample (`elapsedMs` since the origin) and starts the next. */
  closeSecond(elapsedMs: number): void {
    const {completed, transportErrors, httpErrors, dropped} = this.counters
    const errors = transportErrors + httpErrors
    this.seconds.push({
      second: this.secondIndex,
      durationMs: Math.min(SECOND_MS, Math.max(0, elapsedMs - this.secondIndex * SECOND_MS)),
      requests: completed - this.secondBase.requests,
      errors: errors - this.secondBase.errors,
      dropped: dropped - this.secondBase.dropped,
      histogram: encodeHistogram(this.interval),
    })
    const count = this.interval.totalCount
    this.lastSecond = {
      second: this.secondIndex,
      requests: completed - this.secondBase.requests,
      errors: errors - this.secondBase.errors,
      p50Ms: count === 0 ? Number.NaN : this.interval.getValueAtPercentile(50) / 1000,
      p90Ms: count === 0 ? Number.NaN : this.interval.getValueAtPercentile(90) / 1000,
      p99Ms: count === 0 ? Number.NaN : this.interval.getValueAtPercentile(99) / 1000,
      maxMs: count === 0 ? Number.NaN : this.interval.maxValue / 1000,
    }
    this.interval.reset()
    this.secondBase = {requests: completed, errors, dropped}
    this.secondIndex++
  }

  /** Responses by status class (`2xx`: n), for the live view. */
  statusClasses(): Record<string, number> {
    const classes: Record<string, number> = {}
    for (let status = 100; status < 1000; status++) {
      const n = this.statusCounts[status] as number
      if (n > 0) classes[`${Math.floor(status / 100)}xx`] = (classes[`${Math.floor(status / 100)}xx`] ?? 0) + n
    }
    return classes
  }

  /** What was recorded, encoded; the lifecycle's figures (times, stop reason, counters) come from the engine. */
  result(
    run: Pick<EngineResult, 'startedAtEpochMs' | 'elapsedMs' | 'measuredMs' | 'stopReason' | 'counters'>,
    extra: EngineExtra,
  ): EngineResult {
    const errors = {} as Record<ErrorClass, number>
    ERROR_CLASSES.forEach((name, i) => {
      errors[name] = this.errorCounts[i] as number
    })
    const statusCodes: Record<string, number> = {}
    this.statusCounts.forEach((count, status) => {
      if (count > 0) statusCodes[String(status)] = count
    })
    const result: EngineResult = {
      ...run,
      errors,
      statusCodes,
      errorCodes: Object.fromEntries(this.errorCodeCounts),
      corrected: encodeHistogram(this.corrected),
      uncorrected: encodeHistogram(this.uncorrected),
      seconds: this.seconds,
      ...extra,
    }
    if (this.lateness.totalCount > 0) result.schedule = {lateness: encodeHistogram(this.lateness), pollMs: this.pollMs}
    if (this.targetTallies.length > 0)
      result.targets = this.targetTallies.map((t, i) => ({origin: this.balancedOrigins[i] as string, ...sample(t)}))
    if (this.scenarioTallies.length > 0) {
      result.scenarios = this.scenarioTallies.map((t, i) => {
        const scenario = this.scenarios[i]
        const out: ScenarioSample = {name: scenario?.name as string, ...sample(t)}
        if (scenario?.steps)
          out.steps = scenario.steps.map((step, j) => {
            const stepTally = this.stepTallies[i]?.[j] as StepTally
            return {
              name: step.name,
              ...sample(stepTally),
              checks: step.checks.map((check, k) => ({
                name: check.name,
                ...(stepTally.checks[k] as {passed: number; failed: number}),
              })),
            }
          })
        return out
      })
    }
    return result
  }
}
