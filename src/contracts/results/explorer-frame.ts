/**
 * What the plan explorer shows after each key: the plan as recomputed, the choice behind it and
 * how it differs from the starting plan. Plain data between the explorer (src/app) and its view
 * (src/ui).
 */
import type {CapacityPlanDocument} from './plan-document.js'

/** The assumptions a key changes, one at a time. */
export interface ExplorerChoice {
  provider: string
  region: string
  families: string[]
  redundancy: string
  /** The accepted chance of overload a month, e.g. 0.05. */
  risk: number
  /** Share of measured capacity to plan for, e.g. 0.7. */
  targetUtilization: number
  pricing: string
  /** Active-active across these regions (provider and region above are then the one shown); absent: one region. */
  regions?: Array<{provider: string; region: string; share: number}>
}

export type ExplorerSetting = keyof ExplorerChoice

export type ExplorerKey =
  | 'month-next'
  | 'month-previous'
  | 'provider'
  | 'family-next'
  | 'family-previous'
  | 'redundancy'
  | 'risk'
  | 'utilization-up'
  | 'utilization-down'
  | 'pricing'
  | 'region'
  | 'architecture'
  | 'reset'

export interface ExplorerFrame {
  doc: CapacityPlanDocument
  warnings: string[]
  choice: ExplorerChoice
  /** The month shown in detail (0-based). */
  monthIndex: number
  /** The setting the last key changed: highlighted. */
  changed?: ExplorerSetting | 'month'
  /** The starting plan's total over the horizon, to show the difference against. */
  startTotalUsd: number
  /** The families the family keys step through, and where the choice is among them. */
  familyPosition: {index: number; count: number}
  /** Why the last key changed nothing, or what `w` wrote. */
  message?: string
  /** How long the last recomputation took. */
  recomputeMs: number
  /**
   * Active-active: every region's share, fleet in the month shown and horizon total, and their
   * sum; `doc` is then the region shown (`shown`), the written plan all of them.
   */
  regions?: {
    shown: number
    totalUsd: number
    list: Array<{name: string; share: number; sizedShare: number; fleet: string; totalUsd: number}>
  }
}
