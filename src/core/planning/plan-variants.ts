/**
 * The plan the options ask for: one region's, or across their regions (multi-region.ts), with the
 * serverless alternative beside it when asked (serverless.ts).
 */
import type {CapacityResult} from '../../contracts/results/capacity-result.js'
import {decodeHistogram} from '../../contracts/stats/histogram.js'
import {computePlan, type ComputedPlan} from './compute-plan.js'
import {computeActivePassivePlan, computeRegionalPlan} from './multi-region.js'
import type {PlanOptions} from './plan-settings.js'
import type {PreparedPlan} from './prepared-plan.js'
import {instanceModelOf, serverlessSection} from './serverless.js'

/**
 * The service's mean time per request from a capacity search: the mean latency of its lightest
 * passing step (the least queueing), undefined without one.
 */
export function serviceTimeOf(capacity: CapacityResult | undefined): {ms: number; source: string} | undefined {
  const step = capacity?.steps
    .filter((s) => s.passed && s.histogram !== undefined)
    .reduce<(typeof capacity.steps)[number] | undefined>(
      (a, b) => (a && a.offeredRatePerSec <= b.offeredRatePerSec ? a : b),
      undefined,
    )
  if (!step?.histogram) return undefined
  const histogram = decodeHistogram(step.histogram)
  if (histogram.totalCount === 0) return undefined
  return {
    ms: histogram.mean / 1000,
    source: `the mean latency of the capacity search's lightest passing step (${step.offeredRatePerSec}/s offered, ${histogram.totalCount} requests)`,
  }
}

export function computePlanDocument(prepared: PreparedPlan, options: PlanOptions): ComputedPlan {
  const computed = options.regions
    ? computeRegionalPlan(prepared, options, options.regions, options.replication)
    : options.failover
      ? computeActivePassivePlan(prepared, options, options.failover, options.replication)
      : computePlan(prepared, options)
  const wanted = options.serverless
  if (!wanted) return computed
  if (options.regions || options.failover) {
    computed.warnings.push('warning: the serverless comparison is of one region; with regions it is left out')
    return computed
  }
  const serviceTime =
    wanted.serviceTimeMs !== undefined
      ? {ms: wanted.serviceTimeMs, source: 'as given (--service-time)'}
      : serviceTimeOf(prepared.capacity)
  // Checked when the options are read; a capacity result without step histograms is caught here.
  if (!serviceTime) {
    computed.warnings.push(
      'warning: --serverless needs the mean service time: give --service-time (the capacity result has no step histograms)',
    )
    return computed
  }
  const {doc} = computed
  doc.serverless = serverlessSection(
    {
      months: doc.plan.months.map((m) => ({
        month: m.month,
        startMs: m.startMs,
        meanRps: m.meanRps,
        peakRps: m.sizedPeakRps,
      })),
      serviceTimeMs: serviceTime.ms,
      serviceTimeSource: serviceTime.source,
      memoryMB: wanted.memoryMB,
    },
    instanceModelOf(doc, prepared.catalog, options.targetUtilization, options.redundancy),
  )
  for (const platform of doc.serverless.platforms) {
    const over = platform.months.filter((m) => m.overLimit)
    if (over.length > 0)
      computed.warnings.push(
        `warning: ${platform.name} needs ${Math.ceil(Math.max(...over.map((m) => m.peakConcurrency)))} requests in flight at the peak, over its default ${platform.concurrencyLimit} (${platform.limitNote})`,
      )
  }
  return computed
}
