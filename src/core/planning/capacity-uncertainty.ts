/**
 * What one instance really carries, as a multiple of the plan's point figure, on each sample path
 * (issue 29): the capacity search brackets the measured type's capacity between the last rate that
 * passed and the first that failed, and a translation to another type is off by as much as the
 * performance table's own predictions are (translation-error.ts). Only the ranges use it: the
 * fleet is sized on the point figure, so every count can be checked by hand. Pure.
 */
import data from '../catalog/data/translation-error.json' with {type: 'json'}
import {translationSigma, type TranslationErrorTable} from '../catalog/translation-error.js'
import {createRandom, standardNormal as normal} from '../../contracts/stats/random.js'
import type {Translation} from './translate-capacity.js'

export const shippedTranslationError = data as TranslationErrorTable

export interface CapacityUncertaintyInput {
  /** The capacity search's bracket, requests/s: the true capacity lies between (none for a stated capacity). */
  bracket?: {sustainableRps: number; breakingRps: number}
  /** The standard deviation of log capacity of each type (0 where it was measured). */
  sigmaOf: (type: string) => number
  paths: number
  seed: number
}

/**
 * Per path, a type's capacity over its point figure: uniform within the bracket (above the rate
 * that passed, below the one that failed) times exp(σ·z), with one z per path for every type.
 */
export function capacityFactors(input: CapacityUncertaintyInput): (type: string) => number[] {
  const random = createRandom(input.seed)
  const span = input.bracket ? Math.max(0, input.bracket.breakingRps / input.bracket.sustainableRps - 1) : 0
  const draws = Array.from({length: input.paths}, () => ({bracket: 1 + random() * span, z: normal(random)}))
  const byType = new Map<string, number[]>()
  return (type) => {
    let factors = byType.get(type)
    if (!factors) {
      const sigma = input.sigmaOf(type)
      factors = draws.map((d) => d.bracket * Math.exp(sigma * d.z))
      byType.set(type, factors)
    }
    return factors
  }
}

/**
 * The standard deviation of each candidate's log capacity: none where it was measured, else the
 * table's error for the translation's basis, within the measured type's family or across families
 * (a calibrated host or a bare vCPU count counts as another family).
 */
export function translationSigmas(
  measured: {type?: string; family?: string},
  candidates: ReadonlyArray<{type: string; family: string}>,
  translations: ReadonlyMap<string, Translation>,
  table: TranslationErrorTable = shippedTranslationError,
): (type: string) => number {
  const sigmas = new Map(
    candidates.map((c) => {
      const basis = translations.get(c.type)?.basis ?? 'vcpu'
      if (c.type === measured.type) return [c.type, 0]
      const pair = c.family === measured.family ? 'family' : 'other'
      return [c.type, translationSigma(table, basis === 'cores' ? 'stress-ng' : basis, pair)]
    }),
  )
  return (type) => sigmas.get(type) ?? 0
}
