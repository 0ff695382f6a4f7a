/**
 * The load generator's own load while a run or a capacity step measures: its CPU and event-loop
 * lag, and the verdict that it measured loadplan rather than the target when the generator was
 * saturated.
 */
import {monitorEventLoopDelay} from 'node:perf_hooks'
import type {CapacityStep, GeneratorLoad} from '../../contracts/results/capacity-result.js'
import type {RunGenerator} from '../../contracts/results/run-result.js'

/** A generator this busy measures itself: one core (per worker) nearly full, or its event loop late. */
export const SATURATED_CPU_PCT = 90
export const SATURATED_LAG_MS = 20

/**
 * Watches this process while a step measures: CPU time and event-loop delay from the end of the
 * warm-up, so that start-up (connections opened, code compiled) does not mark a calm step as
 * saturated (the first step read "CPU 74 %, lag 25 ms" from start-up alone). A step that ends
 * within its warm-up is watched whole.
 */
export function watchGenerator(afterMs: number): {stop(pollMs?: number): GeneratorLoad; peek(): GeneratorLoad} {
  const lag = monitorEventLoopDelay({resolution: 10})
  let cpuStart = process.cpuUsage()
  let wallStart = performance.now()
  lag.enable()
  const begin = setTimeout(() => {
    lag.reset()
    cpuStart = process.cpuUsage()
    wallStart = performance.now()
  }, afterMs)
  const read = (pollMs: number): GeneratorLoad => {
    const cpu = process.cpuUsage(cpuStart)
    const wallMs = Math.max(1, performance.now() - wallStart)
    const busyMs = Math.max(0, (cpu.user + cpu.system) / 1000 - pollMs)
    return {cpuPct: (busyMs / wallMs) * 100, eventLoopLagP99Ms: lag.percentile(99) / 1e6}
  }
  return {
    /** `pollMs`: time the open model spent polling for due times (measured arrivals only), which is not load. */
    stop(pollMs = 0) {
      clearTimeout(begin)
      lag.disable()
      return read(pollMs)
    },
    /** The figures so far, for the live view (the open model's polling not yet taken off). */
    peek: () => read(0),
  }
}

/**
 * Arrivals sent this late (p99, after their due time) mean loadplan did not get the CPU it needed
 * (other work on the machine, or its own load): with stress-ng on both cores the p99 reached 35 ms
 * while the event loop's own lag stayed low, and a step 5 % over a server's capacity then passed.
 */
export const LATE_SEND_P99_MS = 20

/**
 * How the generator fared: its CPU and event-loop lag rounded, and whether it was saturated, with
 * why: its loop late (its own delay is in every latency), or, when it has a rate to keep (an open
 * model, a capacity step), a core nearly full or its arrivals sent late, so the target got less
 * load than asked for. A closed model at full speed keeps its core busy by design: that alone is
 * no verdict on the target's latency.
 */
export function judgeGenerator(
  load: GeneratorLoad,
  workers: number,
  lateP99Ms: number | undefined,
  keepsRate: boolean,
): RunGenerator {
  const cpuPerCore = load.cpuPct / Math.max(1, workers)
  const judged: RunGenerator = {
    cpuPct: Math.round(load.cpuPct * 10) / 10,
    eventLoopLagP99Ms: Math.round(load.eventLoopLagP99Ms * 100) / 100,
    saturated: false,
  }
  if (lateP99Ms !== undefined) judged.lateP99Ms = Math.round(lateP99Ms * 100) / 100
  if ((keepsRate && cpuPerCore >= SATURATED_CPU_PCT) || load.eventLoopLagP99Ms >= SATURATED_LAG_MS) {
    judged.saturated = true
    if (keepsRate && cpuPerCore >= SATURATED_CPU_PCT) judged.underDelivered = true
    judged.reason = `the load generator was saturated (CPU ${load.cpuPct.toFixed(0)}% of ${workers > 1 ? `${workers} cores` : 'one core'}, event-loop lag p99 ${load.eventLoopLagP99Ms.toFixed(1)} ms): latency includes loadplan's own delay; use --workers, or a bigger generator`
  }
  if (lateP99Ms !== undefined && lateP99Ms >= LATE_SEND_P99_MS) {
    judged.underDelivered = true
    if (judged.saturated) return judged
    judged.saturated = true
    judged.reason = `loadplan sent arrivals late (p99 ${lateP99Ms.toFixed(1)} ms after their due time): it did not get the CPU it needed, so the run measured the machine it runs on as much as the target; run it where nothing else competes for the CPU`
  }
  return judged
}

/**
 * Records the generator's load on a step and marks the step unreliable when the generator was
 * saturated or sent its arrivals late (`lateP99Ms`, open model).
 */
export function withGenerator(
  step: CapacityStep,
  generator: GeneratorLoad,
  workers: number,
  lateP99Ms?: number,
): CapacityStep {
  const judged = judgeGenerator(generator, workers, lateP99Ms, true)
  const marked: CapacityStep = {
    ...step,
    generator: {cpuPct: judged.cpuPct, eventLoopLagP99Ms: judged.eventLoopLagP99Ms},
  }
  if (judged.reason) marked.unreliable = judged.reason.replace('so the run measured', 'so the step measured')
  return marked
}
