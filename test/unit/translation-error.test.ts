import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {quantileSorted} from 'simple-statistics'
import {shippedCatalog} from '../../src/core/catalog/shipped-catalog.js'
import {shippedPerfTable} from '../../src/core/catalog/perf-table.js'
import {measureTranslationError, translationSigma} from '../../src/core/catalog/translation-error.js'
import type {Catalog, CatalogInstance} from '../../src/core/catalog/catalog-schema.js'
import type {PerfTable} from '../../src/core/catalog/perf-table-schema.js'
import {capacityFactors, translationSigmas} from '../../src/core/planning/capacity-uncertainty.js'

const ROOT = join(import.meta.dirname, '..', '..')

const instance = (type: string, family: string, vcpu: number): CatalogInstance => ({
  provider: 'aws',
  type,
  family,
  class: 'general',
  arch: 'arm64',
  vcpu,
  memoryGiB: vcpu * 4,
  currentGeneration: true,
  priceUsdPerHour: {'us-east-1': vcpu * 0.04},
  sources: ['test'],
  verified: true,
})

describe('translation error measured on the performance table', () => {
  it('is the file the plan reads (npm run perf:translation-error writes it)', () => {
    const file = JSON.parse(readFileSync(join(ROOT, 'src/core/catalog/data/translation-error.json'), 'utf8'))
    expect(measureTranslationError(shippedPerfTable, shippedCatalog)).toEqual(file)
  })

  it('predicts each type from every other through the ratio, by hand on three types', () => {
    // a and b of family f, c of family g. stress-ng predicts web: web_b ≈ web_a × s_b / s_a.
    // a: web 100, s 10; b: web 300, s 20 → a→b predicts 200 (log(2/3)), b→a 150 (log(3/2)).
    // c: web 100, s 40 → a→c 400 (log 4), c→a 25, b→c 600 (log 6), c→b 50 (log(1/6)).
    const catalog = {instances: [instance('f.a', 'f', 2), instance('f.b', 'f', 4), instance('g.c', 'g', 2)]} as Catalog
    const types: PerfTable['types'] = {
      'aws:f.a': {stressngCores: [[2, 10]], staticWebRps: 100, redisRps: 1000},
      'aws:f.b': {stressngCores: [[4, 20]], staticWebRps: 300, redisRps: 2000},
      'aws:g.c': {stressngCores: [[2, 40]], staticWebRps: 100, redisRps: 1000},
    }
    const table = measureTranslationError(
      {
        schemaVersion: 1,
        source: {repository: 'r', commit: 'c', committedAt: '', license: '', url: ''},
        stressngVersions: {},
        types,
      },
      catalog,
    )
    const summary = (errors: number[]) => {
      const sorted = errors.sort((a, b) => a - b)
      return [0.1, 0.5, 0.9].map((q) => Math.round(quantileSorted(sorted, q) * 1e4) / 1e4 + 0)
    }
    const family = table.errors['stress-ng'].family
    expect(family.pairs).toBe(2)
    expect([family.p10, family.p50, family.p90]).toEqual(summary([Math.log(2 / 3), Math.log(3 / 2)]))
    const other = table.errors['stress-ng'].other
    expect(other.pairs).toBe(4)
    expect([other.p10, other.p50, other.p90]).toEqual(
      summary([Math.log(4), Math.log(1 / 4), Math.log(6), Math.log(1 / 6)]),
    )
    // vCPU: a→b predicts 200 as well; static-web against redis: b/a web ×3 but redis ×2 → log(3/2).
    expect(table.errors.vcpu.family.pairs).toBe(2)
    expect(table.errors['static-web'].family.p90).toBeCloseTo(
      summary([Math.log(1.5), Math.log(1 / 1.5)])[2] as number,
      4,
    )
  })

  it('gives a within-family translation a much smaller error than one across families', () => {
    const table = measureTranslationError(shippedPerfTable, shippedCatalog)
    for (const basis of ['static-web', 'stress-ng', 'vcpu'] as const) {
      const family = translationSigma(table, basis, 'family')
      const other = translationSigma(table, basis, 'other')
      expect(family).toBeGreaterThan(0)
      expect(other).toBeGreaterThan(2 * family)
    }
  })
})

describe('capacity factors', () => {
  it('draw within the search bracket for the measured type, and log-normally around 1 for a translated one', () => {
    const sigmaOf = translationSigmas(
      {type: 'c7g.large', family: 'c7g'},
      [
        {type: 'c7g.large', family: 'c7g'},
        {type: 'm7i.large', family: 'm7i'},
      ],
      new Map([['m7i.large', {perInstanceRps: 1, ratio: 1, basis: 'static-web' as const}]]),
    )
    expect(sigmaOf('c7g.large')).toBe(0)
    const factors = capacityFactors({bracket: {sustainableRps: 400, breakingRps: 440}, sigmaOf, paths: 4000, seed: 9})
    const measured = factors('c7g.large')
    expect(Math.min(...measured)).toBeGreaterThanOrEqual(1)
    expect(Math.max(...measured)).toBeLessThanOrEqual(1.1)
    // Without a bracket, a translated type: median 1, P10/P90 at exp(∓1.2816 σ) within sampling error.
    const sigma = sigmaOf('m7i.large')
    const translated = capacityFactors({sigmaOf, paths: 4000, seed: 9})('m7i.large').sort((a, b) => a - b)
    expect(quantileSorted(translated, 0.5)).toBeCloseTo(1, 1)
    expect(Math.log(quantileSorted(translated, 0.9))).toBeCloseTo(1.2816 * sigma, 1)
    expect(Math.log(quantileSorted(translated, 0.1))).toBeCloseTo(-1.2816 * sigma, 1)
  })
})
