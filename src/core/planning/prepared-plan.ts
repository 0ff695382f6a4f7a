/** What a plan is computed from once its files are read and its demand forecast. */
import type {Catalog, CatalogInstance} from '../catalog/catalog-schema.js'
import {type DemandMonth} from '../../contracts/results/plan-document.js'
import type {Calibration} from '../../contracts/results/calibration.js'
import type {CapacityResult} from '../../contracts/results/capacity-result.js'
import type {PlanOptions} from './plan-settings.js'
import type {FleetSizer} from './slo-sizing.js'
import {type FamilyChoice} from './family-choice.js'

export interface Demand {
  months: DemandMonth[]
  /** Each month's peak on every sample path, in path order (a forecast of a history; not written to the plan). */
  peakPaths?: number[][]
  /** The first forecast week (hourly histories only), for the autoscaling what-if. */
  week?: {startMs: number; demand: number[]; planned: number[]}
  historyPeaks?: Array<{t: number; peak: number}>
  assumption: string
  warnings: string[]
}

/**
 * What a plan is computed from once its files are read and its demand forecast: the slow part,
 * done once. `computePlan` turns it and a choice of options into a plan in milliseconds (the
 * explorer recomputes on every key).
 */
export interface PreparedPlan {
  options: PlanOptions
  catalog: Catalog
  capacity: CapacityResult | undefined
  /** Sustainable requests/s of one instance where the capacity was measured. */
  perInstance: number
  calibration: Calibration | undefined
  /** The catalog type the capacity was measured on (of any provider), if known. */
  measuredRecord: CatalogInstance | undefined
  vcpu: number
  demand: Demand
  nowMs: number
  /** Fleet sizers by the SLO, kept across the plans computed from this one (see sloSizing). */
  sloSizers: Map<string, FleetSizer>
  /** familyChoices by provider/region, ranked once. */
  familyRankings: Map<string, FamilyChoice[]>
}
