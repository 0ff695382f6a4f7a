/**
 * How far a capacity carried from one instance type to another can be off (issue 29), measured on
 * the performance table itself: for every ordered pair of measured types of one provider, predict
 * type b's figure from type a's through the translation's ratio and compare with what b measured.
 *
 * - `stress-ng` (and `cores`): b's static-web requests/s predicted from a's by their stress-ng
 *   ratio, which is what the table does for a type without a web figure;
 * - `vcpu`: the same prediction by the vCPU ratio;
 * - `static-web`: two server benchmarks disagreeing, redis' requests/s ratio against static-web's.
 *   A web ratio carried to the user's service is off by as much as another server workload is.
 *
 * Pairs are split by whether both types are of one family (same processor, other sizes) or not.
 * Types above 16 vCPUs are left out (the static-web client ran on the machine itself and measures
 * its own limit there), as are burstable types. The errors are natural logs of predicted over
 * measured; the data file (data/translation-error.json) is written by
 * tools/perf/write-translation-error.ts and checked against this function by its test. Pure.
 */
import {quantileSorted} from 'simple-statistics'
import type {Catalog} from './catalog-schema.js'
import {allCoresScore, type PerfTable} from './perf-table-schema.js'

export type PairClass = 'family' | 'other'
/** The translation bases the table measured (`cores` is carried by stress-ng, its error is stress-ng's). */
export type MeasuredBasis = 'static-web' | 'stress-ng' | 'vcpu'

export interface ErrorSummary {
  /** Ordered pairs compared. */
  pairs: number
  /** Quantiles of log(predicted / measured). */
  p10: number
  p50: number
  p90: number
}

export interface TranslationErrorTable {
  schemaVersion: 1
  /** The performance table's source the errors were measured on. */
  perfSource: {repository: string; commit: string}
  maxVcpu: number
  errors: Record<MeasuredBasis, Record<PairClass, ErrorSummary>>
}

/** Above this, the static-web figures measure the benchmark's own client. */
const MAX_VCPU = 16

interface Measured {
  provider: string
  family: string
  vcpu: number
  web: number
  cores: number
  redis?: number
}

function summary(errors: number[]): ErrorSummary {
  const sorted = errors.sort((a, b) => a - b)
  // + 0: the median of symmetric errors rounds to -0, which JSON writes as 0.
  const round = (v: number) => Math.round(v * 1e4) / 1e4 + 0
  return {
    pairs: sorted.length,
    p10: round(quantileSorted(sorted, 0.1)),
    p50: round(quantileSorted(sorted, 0.5)),
    p90: round(quantileSorted(sorted, 0.9)),
  }
}

export function measureTranslationError(table: PerfTable, catalog: Catalog): TranslationErrorTable {
  const types: Measured[] = []
  for (const i of catalog.instances) {
    const perf = table.types[`${i.provider}:${i.type}`]
    const cores = perf ? allCoresScore(perf) : undefined
    if (!perf?.staticWebRps || !cores || i.class === 'burstable' || i.vcpu > MAX_VCPU) continue
    types.push({
      provider: i.provider,
      family: i.family,
      vcpu: i.vcpu,
      web: perf.staticWebRps,
      cores,
      ...(perf.redisRps ? {redis: perf.redisRps} : {}),
    })
  }
  const predictions: Record<keyof TranslationErrorTable['errors'], (a: Measured, b: Measured) => number | undefined> = {
    'stress-ng': (a, b) => (a.web * b.cores) / a.cores / b.web,
    vcpu: (a, b) => (a.web * b.vcpu) / a.vcpu / b.web,
    'static-web': (a, b) => (a.redis && b.redis ? b.web / a.web / (b.redis / a.redis) : undefined),
  }
  const errors = {} as TranslationErrorTable['errors']
  for (const [basis, predict] of Object.entries(predictions) as Array<
    [keyof typeof predictions, typeof predictions.vcpu]
  >) {
    const byClass: Record<PairClass, number[]> = {family: [], other: []}
    for (const a of types)
      for (const b of types) {
        if (a === b || a.provider !== b.provider) continue
        const ratio = predict(a, b)
        if (ratio !== undefined) byClass[a.family === b.family ? 'family' : 'other'].push(Math.log(ratio))
      }
    errors[basis] = {family: summary(byClass.family), other: summary(byClass.other)}
  }
  return {
    schemaVersion: 1,
    perfSource: {repository: table.source.repository, commit: table.source.commit},
    maxVcpu: MAX_VCPU,
    errors,
  }
}

/** z of the 90th percentile: P10 to P90 spans 2 × 1.2816 standard deviations of a normal. */
const Z90 = 1.2815515655446004

/**
 * The standard deviation of log capacity for a translation by `basis` within or across families:
 * a normal with the measured P10–P90 spread of the errors (the errors are symmetric: a pair and
 * its reverse cancel). Zero for the measured type itself.
 */
export function translationSigma(table: TranslationErrorTable, basis: MeasuredBasis, pair: PairClass): number {
  const summary = table.errors[basis][pair]
  return (summary.p90 - summary.p10) / (2 * Z90)
}
