/**
 * Per-period rollups of 1-second samples: mean, max and p95 of each metric, the resolution the
 * monitor stores. Pure; the caller decides when a period ends.
 */
import {mean, quantileSorted} from 'simple-statistics'

export interface RollupRow {
  /** Start of the period, epoch ms. */
  periodStartMs: number
  metric: string
  mean: number
  max: number
  p95: number
  samples: number
}

export class RollupBuffer {
  private readonly values = new Map<string, number[]>()

  add(sample: Readonly<Record<string, number>>): void {
    for (const [metric, value] of Object.entries(sample)) {
      if (!Number.isFinite(value)) continue
      let list = this.values.get(metric)
      if (!list) {
        list = []
        this.values.set(metric, list)
      }
      list.push(value)
    }
  }

  get size(): number {
    return this.values.size
  }

  /** Rolls up everything added since the last flush into rows for `periodStartMs`, and empties the buffer. */
  flush(periodStartMs: number): RollupRow[] {
    const rows: RollupRow[] = []
    for (const [metric, list] of this.values) {
      const sorted = [...list].sort((a, b) => a - b)
      rows.push({
        periodStartMs,
        metric,
        mean: mean(list),
        max: sorted.at(-1) as number,
        p95: quantileSorted(sorted, 0.95),
        samples: list.length,
      })
    }
    this.values.clear()
    return rows
  }
}
