/**
 * Carries the capacity measured on one instance type to another through measured, published
 * performance per type (the performance table), not through vCPU counts: a vCPU is a hyper-thread
 * on one type and a core on another, and the same two vCPUs serve 49k to 147k static-web requests/s
 * across types. Pure.
 *
 * Bases, in the order `auto` tries them:
 * - `static-web`: the ratio of the types' best static-web requests/s (an HTTP server's mix of
 *   network stack, parsing and small CPU work), for web services;
 * - `stress-ng`: the ratio of stress-ng `cpu` on all cores (compute that scales with cores), for
 *   CPU-bound services or where a type has no web figure;
 * - `vcpu`: the vCPU ratio (× a factor per doubling), only where the table has neither;
 * - `cores`, first whenever the service's own scaling was measured (`capacity --cpus`): per-core
 *   speed (stress-ng on one core) × the type's hardware speed-up (all cores over one) carried
 *   through the service's Amdahl serial fraction σ, so a serial service gains from faster cores
 *   only and a parallel one from more cores too.
 */
import {amdahlSpeedup} from '../capacity/core-scaling.js'
import {allCoresScore, type PerfRecord} from '../catalog/perf-table-schema.js'
import type {Calibration} from '../../contracts/results/calibration.js'

export const TRANSLATION_BASES = ['cores', 'static-web', 'stress-ng', 'vcpu'] as const
export type TranslationBasis = (typeof TRANSLATION_BASES)[number]
export type TranslationChoice = 'auto' | TranslationBasis

/** A type as translation sees it: its size and what the table measured on it. */
export interface TypePerformance {
  type?: string
  vcpu: number
  perf?: PerfRecord
  /** The static-web figure to use (see reliableStaticWeb); the table's own when absent. */
  webRps?: number
}

export interface Translation {
  perInstanceRps: number
  /** Capacity on the target over capacity on the measured host. */
  ratio: number
  basis: TranslationBasis
}

const allCores = (perf: PerfRecord | undefined) => (perf ? allCoresScore(perf) : undefined)

/** A type's static-web figure counts as the benchmark's own limit below this share of what a smaller type of its family predicts. */
const WEB_LIMIT_SHARE = 0.5

export interface FamilyMember {
  type: string
  family: string
  vcpu: number
  perf?: PerfRecord
}

/**
 * The static-web benchmark ran its client (wrk, at most 8 threads and 64 connections) on the
 * measured machine itself, so on large types it measures itself: c7g.12xlarge serves fewer
 * requests/s than c7g.8xlarge, c7g.metal fewer than c7g.4xlarge. Within each family, in order of
 * size, a figure below half of what the next smaller type predicts (its figure × the stress-ng
 * ratio of the two) is replaced by that prediction, and no figure is left below the next smaller
 * type's. Returns the figures to translate with, and the types whose figure was replaced.
 */
export function reliableStaticWeb(members: readonly FamilyMember[]): {rps: Map<string, number>; replaced: string[]} {
  const rps = new Map<string, number>()
  const replaced: string[] = []
  const families = new Map<string, FamilyMember[]>()
  for (const m of members) families.set(m.family, [...(families.get(m.family) ?? []), m])
  for (const family of families.values()) {
    let previous: {web: number; cores: number} | undefined
    for (const m of [...family].sort((a, b) => a.vcpu - b.vcpu)) {
      const web = m.perf?.staticWebRps
      const cores = allCores(m.perf)
      if (web === undefined) continue
      const predicted = previous && cores !== undefined ? (previous.web * cores) / previous.cores : undefined
      const value =
        predicted !== undefined && web < WEB_LIMIT_SHARE * predicted ? predicted : Math.max(web, previous?.web ?? 0)
      if (value !== web) replaced.push(m.type)
      rps.set(m.type, value)
      if (cores !== undefined) previous = {web: value, cores}
      else if (previous) previous = {web: Math.max(previous.web, value), cores: previous.cores}
    }
  }
  return {rps, replaced}
}

/** What the service does on a type with serial fraction σ, in stress-ng single-core units: one core's speed × the speed-up its cores give the service. */
function serviceSpeed(perf: PerfRecord | undefined, serialFraction: number): number | undefined {
  const single = perf?.stressngSingleCore
  const all = perf ? allCoresScore(perf) : undefined
  if (!single || !all) return undefined
  return single * amdahlSpeedup(all / single, serialFraction)
}

/** The basis `choice` gives for this pair, or undefined when the table cannot support it. */
function ratioBy(
  basis: TranslationBasis,
  from: TypePerformance,
  to: TypePerformance,
  factorPerDoubling: number,
  serialFraction: number | undefined,
): number | undefined {
  if (basis === 'cores') {
    if (serialFraction === undefined) return undefined
    const [a, b] = [serviceSpeed(from.perf, serialFraction), serviceSpeed(to.perf, serialFraction)]
    return a && b ? b / a : undefined
  }
  if (basis === 'static-web') {
    const [a, b] = [from.webRps ?? from.perf?.staticWebRps, to.webRps ?? to.perf?.staticWebRps]
    return a && b ? b / a : undefined
  }
  if (basis === 'stress-ng') {
    const [a, b] = [allCores(from.perf), allCores(to.perf)]
    return a && b ? b / a : undefined
  }
  const ratio = to.vcpu / from.vcpu
  return ratio * factorPerDoubling ** Math.log2(ratio)
}

/**
 * The capacity of one `to` instance, from `ratePerSec` measured on one `from` instance.
 * `auto` takes the first basis both types support; a named basis falls back the same way when the
 * table lacks a figure (the result says which basis was used).
 */
export function translateCapacity(
  ratePerSec: number,
  from: TypePerformance,
  to: TypePerformance,
  choice: TranslationChoice,
  factorPerDoubling = 1,
  serialFraction?: number,
): Translation {
  const measured: TranslationBasis[] = serialFraction === undefined ? [] : ['cores']
  const order: TranslationBasis[] =
    choice === 'auto'
      ? [...measured, 'static-web', 'stress-ng', 'vcpu']
      : choice === 'cores'
        ? ['cores', 'stress-ng', 'vcpu']
        : choice === 'static-web'
          ? ['static-web', 'stress-ng', 'vcpu']
          : choice === 'stress-ng'
            ? ['stress-ng', 'vcpu']
            : ['vcpu']
  for (const basis of order) {
    const ratio = ratioBy(basis, from, to, factorPerDoubling, serialFraction)
    if (ratio !== undefined && Number.isFinite(ratio) && ratio > 0)
      return {perInstanceRps: ratePerSec * ratio, ratio, basis}
  }
  return {perInstanceRps: ratePerSec, ratio: 1, basis: 'vcpu'}
}

/** A host calibrated with `loadplan calibrate`, as the table would record it. */
export function calibratedHost(calibration: Calibration): TypePerformance {
  return {
    vcpu: calibration.cores,
    perf: {
      stressngSingleCore: calibration.singleCore,
      stressngCores: [
        [1, calibration.singleCore],
        [calibration.cores, calibration.allCores],
      ],
    },
  }
}
