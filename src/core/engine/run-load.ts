/**
 * Starts a run on this thread or on N worker threads and hands back one handle: live snapshots
 * for progress, `stop()` for signals, and the merged RunResult when everything has finished.
 */
import {Worker} from 'node:worker_threads'
import type {RunOptions} from './run-options.js'
import type {RunResult, StopReason} from '../../contracts/results/run-result.js'
import {buildRunResult} from './build-run-result.js'
import {judgeGenerator, watchGenerator} from './generator-load.js'
import {LoadEngine, type EngineResult} from './load-engine.js'
import {SessionEngine} from './session-engine.js'
import {emptySnapshot, type EngineSnapshot} from '../../contracts/results/engine-snapshot.js'
import type {WorkerData, WorkerMessage} from './worker-main.js'

/** How often workers report their counters for progress. */
const WORKER_SNAPSHOT_INTERVAL_MS = 250

export interface RunHandle {
  /** Resolves with the merged result; never rejects for request failures. */
  done: Promise<RunResult>
  stop(reason: StopReason): void
  snapshot(): EngineSnapshot
}

export interface StartRunOptions {
  toolVersion: string
}

/** One thread's engine: HTTP requests, or WebSocket and gRPC sessions (issue 34). */
export function createEngine(
  options: RunOptions,
  workerIndex = 0,
  workerCount = 1,
): Pick<LoadEngine, 'run' | 'stop' | 'snapshot'> {
  return options.scenarios[0]?.session
    ? new SessionEngine(options, workerIndex, workerCount)
    : new LoadEngine(options, workerIndex, workerCount)
}

export function startRun(options: RunOptions, {toolVersion}: StartRunOptions): RunHandle {
  // The generator's own load over the measured time (after the warm-up): issue 33's saturation guard.
  const watch = watchGenerator(options.warmupMs ?? 0)
  const judged = (result: RunResult): RunResult => {
    const load = watch.stop(result.schedule?.pollMs)
    const keepsRate = options.load.model !== 'closed' || options.load.ratePerSec !== undefined
    return {...result, generator: judgeGenerator(load, options.workers, result.schedule?.lateP99Ms, keepsRate)}
  }
  // The live view shows the generator's load as it goes: the verdict at the end is judged() above.
  const live = (snapshot: EngineSnapshot): EngineSnapshot => {
    const load = watch.peek()
    const {cpuPct, eventLoopLagP99Ms, saturated} = judgeGenerator(load, options.workers, undefined, false)
    return {...snapshot, generator: {cpuPct, eventLoopLagP99Ms, saturated}}
  }
  // The event-loop histogram is not left enabled when a run fails.
  const unwatched = (error: unknown): never => {
    watch.stop()
    throw error
  }
  if (options.workers <= 1) {
    const engine = createEngine(options)
    const done = engine
      .run()
      .then((result) => judged(buildRunResult({options, results: [result], toolVersion})), unwatched)
    return {done, stop: (reason) => engine.stop(reason), snapshot: () => live(engine.snapshot())}
  }
  const handle = startWorkers(options, toolVersion)
  return {...handle, done: handle.done.then(judged, unwatched), snapshot: () => live(handle.snapshot())}
}

function sumSnapshots(snapshots: readonly EngineSnapshot[]): EngineSnapshot {
  const total = emptySnapshot()
  for (const snapshot of snapshots) {
    total.elapsedMs = Math.max(total.elapsedMs, snapshot.elapsedMs)
    for (const key of Object.keys(total.counters) as Array<keyof EngineSnapshot['counters']>)
      total.counters[key] += snapshot.counters[key]
    total.inFlight += snapshot.inFlight
    total.queued += snapshot.queued
    if (snapshot.targetRatePerSec !== undefined)
      total.targetRatePerSec = (total.targetRatePerSec ?? 0) + snapshot.targetRatePerSec
    total.plannedDurationMs = snapshot.plannedDurationMs ?? total.plannedDurationMs
    const sessions = snapshot.sessions
    if (sessions) {
      const into = (total.sessions ??= {
        ...sessions,
        started: 0,
        completed: 0,
        failed: 0,
        messagesSent: 0,
        messagesReceived: 0,
      })
      into.started += sessions.started
      into.completed += sessions.completed
      into.failed += sessions.failed
      into.messagesSent += sessions.messagesSent
      into.messagesReceived += sessions.messagesReceived
    }
    for (const [cls, n] of Object.entries(snapshot.statusClasses))
      total.statusClasses[cls] = (total.statusClasses[cls] ?? 0) + n
    const s = snapshot.lastSecond
    if (s) {
      // Workers' seconds are summed; their percentiles can only be bounded (the worst worker's).
      const t = total.lastSecond
      total.lastSecond = t
        ? {
            second: Math.max(t.second, s.second),
            requests: t.requests + s.requests,
            errors: t.errors + s.errors,
            p50Ms: Math.max(t.p50Ms, s.p50Ms),
            p90Ms: Math.max(t.p90Ms, s.p90Ms),
            p99Ms: Math.max(t.p99Ms, s.p99Ms),
            maxMs: Math.max(t.maxMs, s.maxMs),
          }
        : {...s}
    }
  }
  return total
}

function startWorkers(options: RunOptions, toolVersion: string): RunHandle {
  const count = options.workers
  const snapshots: EngineSnapshot[] = []
  const workers: Worker[] = []
  const finished: Array<Promise<EngineResult>> = []
  const startedMs = performance.now()
  for (let index = 0; index < count; index++) {
    const data: WorkerData = {options, index, count, snapshotIntervalMs: WORKER_SNAPSHOT_INTERVAL_MS}
    const worker = new Worker(new URL('./worker-main.js', import.meta.url), {workerData: data})
    workers.push(worker)
    finished.push(
      new Promise<EngineResult>((resolve, reject) => {
        worker.on('message', (message: WorkerMessage) => {
          if (message.type === 'snapshot') snapshots[index] = message.snapshot
          else resolve(message.result)
        })
        worker.once('error', reject)
        worker.once('exit', (code) =>
          reject(new Error(`load worker ${index} exited with code ${code} before reporting its result`)),
        )
      }),
    )
  }
  const done = Promise.all(finished).then((results) => {
    for (const worker of workers) void worker.terminate()
    return buildRunResult({options, results, toolVersion})
  })
  return {
    done,
    stop(reason) {
      for (const worker of workers) worker.postMessage({type: 'stop', reason})
    },
    snapshot() {
      const live = snapshots.filter(Boolean)
      if (live.length === 0) return {...emptySnapshot(), elapsedMs: performance.now() - startedMs}
      return sumSnapshots(live)
    },
  }
}
