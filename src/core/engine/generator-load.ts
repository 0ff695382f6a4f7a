/**
 * The load generator's own load while a capacity step measures: its CPU and event-loop lag, and
 * the verdict that a step measured loadplan rather than the target when the generator was saturated.
 */
import {monitorEventLoopDelay} from 'node:perf_hooks'
import type {CapacityStep, GeneratorLoad} from '../../contracts/results/capacity-result.js'

/** A generator this busy measures itself: one core (per worker) nearly full, or its event loop late. */
export const SATURATED_CPU_PCT = 90
export const SATURATED_LAG_MS = 20

/**
 * Watches this process while a step measures: CPU time and event-loop delay from the end of the
 * warm-up, so that start-up (connections opened, code compiled) does not mark a calm step as
 * saturated (the first step read "CPU 74 %, lag 25 ms" from start-up alone). A step that ends
 * within its warm-up is watched whole.
 */
export function watchGenerator(afterMs: number): {stop(pollMs?: number): GeneratorLoad} {
  const lag = monitorEventLoopDelay({resolution: 10})
  let cpuStart = process.cpuUsage()
  let wallStart = performance.now()
  lag.enable()
  const begin = setTimeout(() => {
    lag.reset()
    cpuStart = process.cpuUsage()
    wallStart = performance.now()
  }, afterMs)
  return {
    /** `pollMs`: time the open model spent polling for due times (measured arrivals only), which is not load. */
    stop(pollMs = 0) {
      clearTimeout(begin)
      lag.disable()
      const cpu = process.cpuUsage(cpuStart)
      const wallMs = Math.max(1, performance.now() - wallStart)
      const busyMs = Math.max(0, (cpu.user + cpu.system) / 1000 - pollMs)
      return {cpuPct: (busyMs / wallMs) * 100, eventLoopLagP99Ms: lag.percentile(99) / 1e6}
    },
  }
}

/** Records the generator's load on a step and marks the step unreliable when the generator was saturated. */
export function withGenerator(step: CapacityStep, generator: GeneratorLoad, workers: number): CapacityStep {
  const cpuPerCore = generator.cpuPct / Math.max(1, workers)
  const saturated = cpuPerCore >= SATURATED_CPU_PCT || generator.eventLoopLagP99Ms >= SATURATED_LAG_MS
  const marked: CapacityStep = {
    ...step,
    generator: {
      cpuPct: Math.round(generator.cpuPct * 10) / 10,
      eventLoopLagP99Ms: Math.round(generator.eventLoopLagP99Ms * 100) / 100,
    },
  }
  if (saturated)
    marked.unreliable = `the load generator was saturated (CPU ${generator.cpuPct.toFixed(0)}% of ${workers > 1 ? `${workers} cores` : 'one core'}, event-loop lag p99 ${generator.eventLoopLagP99Ms.toFixed(1)} ms): latency includes loadplan's own delay; use --workers, or a bigger generator`
  return marked
}
