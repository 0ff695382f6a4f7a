/**
 * A price book over the catalog (issue 30): discounts off the on-demand list price and set prices,
 * the most specific rule winning, every problem reported at once. Worked by hand on a two-type
 * catalog.
 */
import {describe, expect, it} from 'vitest'
import {applyPriceBook} from '../../src/core/catalog/price-book.js'
import type {Catalog, CatalogInstance} from '../../src/core/catalog/catalog-schema.js'
import {priceOf} from '../../src/core/catalog/catalog-lookup.js'

const instance = (type: string, family: string, prices: Record<string, number>): CatalogInstance => ({
  provider: 'aws',
  type,
  family,
  class: 'general',
  arch: 'arm64',
  vcpu: 2,
  memoryGiB: 8,
  currentGeneration: true,
  priceUsdPerHour: prices,
  sources: ['test'],
  verified: true,
})

const catalog: Catalog = {
  schemaVersion: 1,
  currency: 'USD',
  hoursPerMonth: 730,
  generatedAt: '2026-12-01',
  pricesAsOf: '2026-12-01',
  priceBasis: 'test',
  defaultRegions: {aws: 'us-east-1', gcp: 'us-central1', azure: 'eastus'},
  sources: [],
  instances: [
    instance('m7g.large', 'm7g', {'us-east-1': 0.0816, 'eu-west-1': 0.0892}),
    instance('c7g.large', 'c7g', {'us-east-1': 0.0725}),
  ],
  storage: [],
  egress: [],
}
const find = (c: Catalog, type: string) => c.instances.find((i) => i.type === type) as CatalogInstance

describe('applyPriceBook', () => {
  it('15 % off m7g in us-east-1: 0.0816 × 0.85 = 0.06936; eu-west-1 and c7g keep their list prices', () => {
    const {catalog: booked, problems} = applyPriceBook(
      catalog,
      {prices: [{provider: 'aws', region: 'us-east-1', match: 'm7g', kind: 'on-demand', discount: '15%', note: 'EDP'}]},
      '--price-book',
      'book.yaml',
    )
    expect(problems).toEqual([])
    expect(priceOf(find(booked, 'm7g.large'), 'us-east-1', 'on-demand')).toBeCloseTo(0.06936, 12)
    expect(priceOf(find(booked, 'm7g.large'), 'eu-west-1', 'on-demand')).toBe(0.0892)
    expect(priceOf(find(booked, 'c7g.large'), 'us-east-1', 'on-demand')).toBe(0.0725)
    expect(find(booked, 'm7g.large').priceOrigins).toEqual({
      'on-demand us-east-1':
        'book.yaml rule 1: aws m7g in us-east-1, on-demand at 15 % off the on-demand list price (EDP)',
    })
    expect(booked.priceBook?.rules).toHaveLength(1)
  })

  it('the most specific rule wins: a type over a family over *, a named region over *', () => {
    const {catalog: booked, problems} = applyPriceBook(
      catalog,
      {
        prices: [
          {provider: 'aws', region: '*', match: '*', kind: 'on-demand', discount: 0.1},
          {provider: 'aws', region: '*', match: 'm7g', kind: 'on-demand', discount: 20},
          {provider: 'aws', region: 'us-east-1', match: 'm7g.large', kind: 'on-demand', priceUsdPerHour: 0.05},
          // A 1-year commitment the catalog has no price for: 30 % off on-demand list, 0.0725 × 0.7.
          {provider: 'aws', region: 'us-east-1', match: 'c7g', kind: '1yr', discount: '30 %'},
        ],
      },
      '--price-book',
      'b.yaml',
    )
    expect(problems).toEqual([])
    expect(priceOf(find(booked, 'm7g.large'), 'us-east-1', 'on-demand')).toBe(0.05)
    expect(priceOf(find(booked, 'm7g.large'), 'eu-west-1', 'on-demand')).toBeCloseTo(0.0892 * 0.8, 12)
    expect(priceOf(find(booked, 'c7g.large'), 'us-east-1', 'on-demand')).toBeCloseTo(0.0725 * 0.9, 12)
    expect(priceOf(find(booked, 'c7g.large'), 'us-east-1', '1yr')).toBeCloseTo(0.0725 * 0.7, 12)
  })

  it('lists every problem at once: bad values, both or neither price, unknown keys, rules that reach nothing, ties', () => {
    const {problems} = applyPriceBook(
      catalog,
      {
        prices: [
          {provider: 'awz', region: 'us-east-1', match: 'm7g', kind: 'ondemand', discount: '150%'},
          {provider: 'aws', region: 'us-east-1', match: 'm9z', kind: 'on-demand', discount: '10%'},
          {provider: 'aws', region: 'us-east-1', match: 'm7g', kind: 'spot', discount: '60%', priceUsdPerHour: 0.02},
          {provider: 'aws', region: 'us-east-1', match: 'c7g', kind: 'on-demand', discount: '5%', colour: 'blue'},
          {provider: 'aws', region: 'ap-south-1', match: 'm7g', kind: 'on-demand', discount: '5%'},
          {provider: 'aws', region: 'eu-west-1', match: 'm7g', kind: 'on-demand', discount: '5%'},
          {provider: 'aws', region: 'eu-west-1', match: 'm7g', kind: 'on-demand', discount: '6%'},
        ],
      },
      '--price-book',
      'b.yaml',
    )
    expect(problems.map((p) => p.field)).toEqual([
      '--price-book prices[0].provider',
      '--price-book prices[0].kind',
      '--price-book prices[0].discount',
      '--price-book prices[2]',
      '--price-book prices[3].colour',
      '--price-book prices[6]',
      '--price-book prices[1]',
      '--price-book prices[4]',
    ])
    expect(problems[5]?.message).toMatch(/same on-demand price of m7g.large in eu-west-1 as prices\[5\]/)
    expect(problems[6]?.message).toMatch(/reaches no aws type priced in us-east-1/)
  })

  it('an empty book or no prices list: one problem naming it', () => {
    expect(applyPriceBook(catalog, {prices: []}, 'plan.priceBook', 'b').problems.map((p) => p.field)).toEqual([
      'plan.priceBook prices',
    ])
    expect(applyPriceBook(catalog, null, 'plan.priceBook', 'b').problems).toHaveLength(1)
  })
})

describe('applyPriceBook in a region the catalog does not price', () => {
  it('a set price opens it (c7g.large in eu-west-1 at $0.0771); a discount there reaches nothing', () => {
    const {catalog: booked, problems} = applyPriceBook(
      catalog,
      {
        prices: [
          {provider: 'aws', region: 'eu-west-1', match: 'c7g.large', kind: 'on-demand', priceUsdPerHour: '0.0771'},
          {provider: 'aws', region: 'ap-south-1', match: 'c7g', kind: 'on-demand', discount: '10%'},
        ],
      },
      '--price-book',
      'b.csv',
    )
    expect(priceOf(find(booked, 'c7g.large'), 'eu-west-1', 'on-demand')).toBe(0.0771)
    expect(problems.map((p) => p.field)).toEqual(['--price-book prices[1]'])
  })
})
