/** One metric from a loadplan monitor database, as observations (the per-period means). */
import type {Observation} from '../../core/series/regularise.js'
import {MetricsStore} from '../store/metrics-store.js'

export function readRecordedMetric(db: string, metric: string): Observation[] {
  const store = new MetricsStore(db, {readonly: true})
  try {
    return store
      .read({metricPrefix: metric})
      .filter((r) => r.metric === metric)
      .map((r) => ({timeMs: r.periodStartMs, value: r.mean}))
  } finally {
    store.close()
  }
}
