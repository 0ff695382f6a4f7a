/**
 * The monitor loop: sample every interval on a schedule from one origin, roll the samples up per
 * period, write each finished period to the store in one transaction, prune past the retention.
 * Optionally counts a traffic metric from a log file's new lines.
 */
import {openSync, readSync, closeSync, statSync} from 'node:fs'
import type {MetricsStore} from '../store/metrics-store.js'
import {RollupBuffer, type RollupRow} from '../../contracts/stats/rollup.js'
import type {HostSample, HostSampler} from './linux-sampler.js'

export interface MonitorSettings {
  intervalMs: number
  /** Length of a stored period (1 minute by default). */
  rollupMs: number
  /** Stop after this long; undefined runs until stopped. */
  durationMs?: number
  retentionMs: number
  /** Count new lines of this file as requests/s (`traffic.requests_per_sec`). */
  trafficLogFile?: string
}

export interface MonitorHooks {
  onSample?(sample: HostSample, timeMs: number): void
  onPeriod?(rows: readonly RollupRow[]): void
}

export interface MonitorOutcome {
  periodsWritten: number
  samples: number
  /** Why the loop stopped early: the store could not take a period (a full disk). */
  failure?: unknown
}

export interface MonitorHandle {
  done: Promise<MonitorOutcome>
  stop(): void
}

/** Counts lines appended to a file since the last call (a log tail without reading the whole file). */
export function createLineCounter(path: string): () => number {
  let offset = (() => {
    try {
      return statSync(path).size
    } catch {
      return 0
    }
  })()
  const buffer = Buffer.alloc(64 * 1024)
  return () => {
    let size: number
    try {
      size = statSync(path).size
    } catch {
      return 0
    }
    if (size < offset) offset = 0 // rotated or truncated: start over
    let lines = 0
    const fd = openSync(path, 'r')
    try {
      while (offset < size) {
        const read = readSync(fd, buffer, 0, Math.min(buffer.length, size - offset), offset)
        if (read <= 0) break
        for (let i = 0; i < read; i++) if (buffer[i] === 10) lines++
        offset += read
      }
    } finally {
      closeSync(fd)
    }
    return lines
  }
}

export function runMonitor(
  sampler: HostSampler,
  store: MetricsStore,
  settings: MonitorSettings,
  hooks: MonitorHooks = {},
  now: () => number = Date.now,
): MonitorHandle {
  const buffer = new RollupBuffer()
  const countLines = settings.trafficLogFile ? createLineCounter(settings.trafficLogFile) : undefined
  const originMs = now()
  let periodStart = Math.floor(originMs / settings.rollupMs) * settings.rollupMs
  let lastSampleMs = originMs
  let tick = 0
  let samples = 0
  let periodsWritten = 0
  let timer: NodeJS.Timeout | undefined
  let stopped = false
  let resolveDone: (value: MonitorOutcome) => void = () => {}
  const done = new Promise<MonitorOutcome>((resolve) => {
    resolveDone = resolve
  })

  const flush = (start: number) => {
    const rows = buffer.flush(start)
    if (rows.length === 0) return
    store.write(rows)
    store.prune(start - settings.retentionMs)
    store.renewWriter(process.pid, now())
    periodsWritten++
    hooks.onPeriod?.(rows)
  }

  const onTick = () => {
    try {
      tickOnce()
    } catch (failure) {
      // Periods already written stay; the one that failed was rolled back. The caller reports it.
      stopped = true
      resolveDone({periodsWritten, samples, failure})
    }
  }

  const tickOnce = () => {
    const t = now()
    const sample = sampler.sample(t)
    if (sample) {
      if (countLines) sample['traffic.requests_per_sec'] = countLines() / Math.max(0.001, (t - lastSampleMs) / 1000)
      const start = Math.floor(t / settings.rollupMs) * settings.rollupMs
      if (start !== periodStart) {
        flush(periodStart)
        periodStart = start
      }
      buffer.add(sample)
      samples++
      hooks.onSample?.(sample, t)
    } else countLines?.()
    lastSampleMs = t
    if (settings.durationMs !== undefined && t - originMs >= settings.durationMs) return finish()
    tick++
    // Absolute schedule: a slow tick does not push every later one back.
    timer = setTimeout(onTick, Math.max(0, originMs + tick * settings.intervalMs - now()))
  }

  const finish = () => {
    if (stopped) return
    stopped = true
    if (timer) clearTimeout(timer)
    try {
      flush(periodStart) // the partial period, with however many samples it has
      resolveDone({periodsWritten, samples})
    } catch (failure) {
      resolveDone({periodsWritten, samples, failure})
    }
  }

  timer = setTimeout(onTick, 0)
  return {done, stop: finish}
}
