/**
 * Per-target, per-scenario and per-step tallies of the threads of a run, and the open model's send
 * lateness, added and summarised for the result.
 */
import {type RunResult, type RunResultStep, type RunResultTarget} from '../../contracts/results/run-result.js'
import {
  createLatencyHistogram,
  decodeHistogram,
  encodeHistogram,
  summarizeHistogram,
  type Histogram,
} from '../../contracts/stats/histogram.js'
import type {EngineResult, TallySample} from './engine-result.js'

export interface MergedTally {
  completed: number
  httpErrors: number
  transportErrors: number
  histogram: Histogram
}

/** One tally per entry (target or scenario) added over the threads, histograms exactly. */
export function addTallies(count: number, samples: ReadonlyArray<readonly TallySample[] | undefined>): MergedTally[] {
  const merged = Array.from({length: count}, () => ({
    completed: 0,
    httpErrors: 0,
    transportErrors: 0,
    histogram: createLatencyHistogram({packed: true}),
  }))
  for (const list of samples) {
    list?.forEach((sample, i) => {
      const into = merged[i]
      if (!into) return
      into.completed += sample.completed
      into.httpErrors += sample.httpErrors
      into.transportErrors += sample.transportErrors
      into.histogram.add(decodeHistogram(sample.histogram))
    })
  }
  return merged
}

/** A tally as it is saved, with its share of all the entries' requests. */
export function describeTally(t: MergedTally, all: readonly MergedTally[]): Omit<RunResultTarget, 'origin' | 'weight'> {
  const attempts = all.reduce((sum, x) => sum + x.completed + x.transportErrors, 0)
  return {
    completed: t.completed,
    errors: t.httpErrors + t.transportErrors,
    transportErrors: t.transportErrors,
    share: attempts === 0 ? 0 : (t.completed + t.transportErrors) / attempts,
    latency: summarizeHistogram(t.histogram),
    histogram: encodeHistogram(t.histogram),
  }
}

/** Journeys: each scenario's steps, added over the threads, histograms and check counts exactly. */
export function addSteps(
  scenarios: ReadonlyArray<{name: string}>,
  results: readonly EngineResult[],
): Array<RunResultStep[] | undefined> {
  return scenarios.map((_, i) => {
    const samples = results.map((r) => r.scenarios?.[i]?.steps)
    const first = samples.find((list) => list !== undefined)
    if (!first) return undefined
    const tallies = addTallies(first.length, samples)
    return first.map((step, j) => {
      const t = tallies[j] as MergedTally
      const checks = step.checks.map((check, k) => ({name: check.name, passed: 0, failed: 0, index: k}))
      for (const list of samples) {
        list?.[j]?.checks.forEach((c, k) => {
          const into = checks[k]
          if (!into) return
          into.passed += c.passed
          into.failed += c.failed
        })
      }
      return {
        name: step.name,
        completed: t.completed,
        errors: t.httpErrors + t.transportErrors,
        transportErrors: t.transportErrors,
        latency: summarizeHistogram(t.histogram),
        histogram: encodeHistogram(t.histogram),
        checks: checks.map(({name, passed, failed}) => ({name, passed, failed})),
      }
    })
  })
}

export function checkCounts(steps: ReadonlyArray<RunResultStep[] | undefined>): {passed: number; failed: number} {
  let passed = 0
  let failed = 0
  for (const list of steps)
    for (const step of list ?? [])
      for (const check of step.checks) {
        passed += check.passed
        failed += check.failed
      }
  return {passed, failed}
}

/** The open model's own delay over every thread: how late measured arrivals went out. */
export function scheduleLateness(
  results: readonly EngineResult[],
): {summary: NonNullable<RunResult['schedule']>; histogram: string} | undefined {
  const lateness = createLatencyHistogram()
  let pollMs = 0
  for (const result of results) {
    if (!result.schedule) continue
    lateness.add(decodeHistogram(result.schedule.lateness))
    pollMs += result.schedule.pollMs
  }
  if (lateness.totalCount === 0) return undefined
  const {percentilesMs, maxMs} = summarizeHistogram(lateness)
  return {
    summary: {
      lateP50Ms: percentilesMs['50'] as number,
      lateP99Ms: percentilesMs['99'] as number,
      lateMaxMs: maxMs,
      pollMs: Math.round(pollMs),
    },
    histogram: encodeHistogram(lateness),
  }
}
