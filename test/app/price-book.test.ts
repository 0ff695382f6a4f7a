/**
 * `--price-book` and `plan.priceBook` (issue 30): a 15 % discount on m7g in us-east-1 changes the
 * plan's compute cost by exactly 15 % and the assumptions name the book; a malformed book lists
 * every problem with exit 2; `catalog show` gives the effective price and where it came from.
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import type {CapacityPlanDocument} from '../../src/contracts/results/plan-document.js'
import {runInProcess} from '../helpers/in-process.js'

const dir = mkdtempSync(join(tmpdir(), 'loadplan-price-book-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

const BOOK = `prices:
  - provider: aws
    region: us-east-1
    match: m7g
    kind: on-demand
    discount: 15%
    note: EDP 2026
`
const PLAN = ['plan', '--peak', '1200/s', '--growth', '3%/mo', '--per-instance', '300/s']
const PLAN_M7G = [...PLAN, '--instance-type', 'm7g.large', '--family', 'm7g', '--json']

async function planJson(args: string[]): Promise<CapacityPlanDocument> {
  const {code, stdout, stderr} = await runInProcess(args)
  expect(code, stderr).toBe(0)
  return JSON.parse(stdout) as CapacityPlanDocument
}

describe('plan --price-book', () => {
  it('15 % off m7g in us-east-1: the same fleet, compute exactly 15 % less, the book named in the assumptions', async () => {
    const book = join(dir, 'book.yaml')
    writeFileSync(book, BOOK)
    const list = await planJson(PLAN_M7G)
    const booked = await planJson([...PLAN_M7G, '--price-book', book])
    expect(booked.plan.months.map((m) => `${m.instances}×${m.type}`)).toEqual(
      list.plan.months.map((m) => `${m.instances}×${m.type}`),
    )
    expect(list.plan.months[0]?.type).toMatch(/^m7g\./)
    expect(booked.plan.totals.computeUsd / list.plan.totals.computeUsd).toBeCloseTo(0.85, 12)
    const line = booked.assumptions.find((a) => a.startsWith('price book book.yaml'))
    expect(line).toContain('rule 1: aws m7g in us-east-1, on-demand at 15 % off the on-demand list price (EDP 2026)')
    expect(line).toContain(`this plan's on-demand prices in us-east-1: ${list.plan.months[0]?.type} by rule 1`)
  })

  it('reads plan.priceBook relative to the service file, and a CSV book as a YAML one', async () => {
    const sub = join(dir, 'svc')
    rmSync(sub, {recursive: true, force: true})
    const {mkdirSync} = await import('node:fs')
    mkdirSync(sub)
    writeFileSync(
      join(sub, 'prices.csv'),
      'provider,region,match,kind,discount,priceUsdPerHour,note\naws,us-east-1,m7g,on-demand,15%,,EDP 2026\n',
    )
    writeFileSync(join(sub, 'service.yaml'), 'service: shop\nplan:\n  priceBook: prices.csv\n')
    const list = await planJson(PLAN_M7G)
    // The file first: a repeatable flag (--family) takes the words after it.
    const booked = await planJson(['plan', join(sub, 'service.yaml'), ...PLAN_M7G.slice(1)])
    expect(booked.plan.totals.computeUsd / list.plan.totals.computeUsd).toBeCloseTo(0.85, 12)
    expect(booked.assumptions.some((a) => a.startsWith('price book prices.csv'))).toBe(true)
  })

  it('a malformed book: every problem at once, exit 2, no stack trace', async () => {
    const book = join(dir, 'bad.yaml')
    writeFileSync(
      book,
      `prices:
  - {provider: awz, region: us-east-1, match: m7g, kind: ondemand, discount: 150%}
  - {provider: aws, region: us-east-1, match: m9z, kind: on-demand, discount: 10%}
  - {provider: aws, region: us-east-1, match: m7g, kind: spot}
`,
    )
    const {code, stderr} = await runInProcess([...PLAN_M7G, '--price-book', book])
    expect(code).toBe(2)
    for (const field of ['prices[0].provider', 'prices[0].kind', 'prices[0].discount', 'prices[2]', 'prices[1]'])
      expect(stderr).toContain(`--price-book ${field}:`)
    expect(stderr).not.toMatch(/\n\s+at /)
    const missing = await runInProcess([...PLAN_M7G, '--price-book', join(dir, 'nope.yaml')])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/--price-book: cannot be read \(ENOENT\)/)
  })
})

describe('a region the catalog does not price', () => {
  it('names the regions it prices; a price book prices it', async () => {
    // mx-central-1 (Mexico) opened in 2025, after the regional prices' snapshot.
    const bare = await runInProcess([...PLAN, '--instance-type', 'c7g.large', '--region', 'mx-central-1'])
    expect(bare.code).toBe(2)
    expect(bare.stderr).toMatch(
      /--region: the catalog has no aws prices in mx-central-1; it prices af-south-1, .*, eu-west-1, .*, us-west-2 \(a price book can price mx-central-1: --price-book\)/,
    )
    const book = join(dir, 'mx.csv')
    writeFileSync(book, 'provider,region,match,kind,priceUsdPerHour\naws,mx-central-1,c7g.large,on-demand,0.0771\n')
    const priced = await planJson([
      ...PLAN,
      '--instance-type',
      'c7g.large',
      '--region',
      'mx-central-1',
      '--price-book',
      book,
      '--json',
    ])
    // 1,200/s at 300/s each: 4 + 1 spare = 5 × $0.0771 × 730 h in month 1.
    expect(priced.plan.months[0]?.instances).toBe(5)
    expect(priced.plan.months[0]?.computeUsd).toBeCloseTo(5 * 0.0771 * 730, 9)
  })
})

describe('a region priced by the older regional table', () => {
  it('eu-west-1: its own price, and a warning that names the source and its date', async () => {
    const {code, stdout, stderr} = await runInProcess([
      ...PLAN,
      '--instance-type',
      'c7g.large',
      '--region',
      'eu-west-1',
      '--json',
    ])
    expect(code, stderr).toBe(0)
    const doc = JSON.parse(stdout) as CapacityPlanDocument
    // 1,200/s at 300/s each: 4 + 1 spare = 5 × $0.0775 (c7g.large in eu-west-1, sc-data's table) × 730 h.
    expect(doc.plan.months[0]?.instances).toBe(5)
    expect(doc.plan.months[0]?.computeUsd).toBeCloseTo(5 * 0.0775 * 730, 9)
    expect(stderr).toMatch(/warning: aws instance prices are from 2024-02-21 \(sparecores-aws-prices\)/)
    expect(doc.assumptions.join('\n')).toContain('aws instance prices 2024-02-21 (sparecores-aws-prices)')
  })

  it('beside a region with storage prices, says the region without them leaves storage out', async () => {
    const example = join(import.meta.dirname, '..', '..', 'plans', 'example.yaml')
    const twoRegions = [
      ...['plan', example, ...PLAN.slice(1)],
      ...['--instance-type', 'c7g.large', '--regions', 'aws:us-east-1,aws:eu-west-1'],
    ]
    const {code, stdout, stderr} = await runInProcess(twoRegions)
    expect(code, stderr).toBe(0)
    const regions = /^regions: [^]*?\. active-active/m.exec(stdout)?.[0].replace(/\s+/g, ' ')
    expect(regions).toContain(
      'aws eu-west-1 serves 50 % of the traffic, sized for 100 % (no storage price there: left out)',
    )
    expect(regions).not.toMatch(/us-east-1 serves [^;]*left out/)
    // The HTML report says the same.
    const html = join(dir, 'two-regions.html')
    await runInProcess([...twoRegions, '--html', html])
    expect(readFileSync(html, 'utf8')).toContain(
      'aws eu-west-1: 50.0 % of the traffic, sized for 100.0 % (no storage price there: left out)',
    )
  })
})

describe('catalog show --price-book', () => {
  it('shows the effective price and the rule it came from; D2s_v5 finds Standard_D2s_v5', async () => {
    const book = join(dir, 'show.yaml')
    writeFileSync(book, BOOK)
    const {code, stdout} = await runInProcess(['catalog', 'show', 'm7g.large', '--price-book', book, '--json'])
    expect(code).toBe(0)
    const shown = JSON.parse(stdout) as {priceUsdPerHour: Record<string, number>; priceOrigins: Record<string, string>}
    expect(shown.priceUsdPerHour['us-east-1']).toBeCloseTo(0.0816 * 0.85, 12)
    expect(shown.priceOrigins['on-demand us-east-1']).toMatch(/^show.yaml rule 1: /)
    // Every catalog price dated in JSON too (issue 30 item 4), by its source.
    const dated = JSON.parse((await runInProcess(['catalog', 'show', 'm7g.large', '--json'])).stdout) as {
      priceDates: Array<{what: string; source: string; date: string}>
    }
    expect(dated.priceDates).toEqual([
      {what: 'aws instance prices', source: 'karpenter-aws-prices', date: '2026-07-20'},
      {what: 'aws instance prices', source: 'sparecores-aws-prices', date: '2024-02-21'},
    ])
    const azure = await runInProcess(['catalog', 'show', 'D2s_v5'])
    expect(azure.code).toBe(0)
    expect(azure.stdout).toMatch(/^Standard_D2s_v5 /)
  })
})

describe('plan --pricing mix', () => {
  const EXAMPLE = [
    'plan',
    'plans/example.yaml',
    '--capacity',
    'plans/data/synthetic-capacity.json',
    '--history',
    'plans/data/sample-traffic.csv',
  ]

  it('the README example on GCP: committed + on-demand + spot add to the total, and no level is cheaper (brute force)', async () => {
    const doc = await planJson([...EXAMPLE, '--provider', 'gcp', '--pricing', 'mix', '--json'])
    const mix = doc.plan.purchaseMix
    if (!mix) throw new Error('expected a purchase mix')
    expect(mix.committedUsd + mix.onDemandUsd + mix.spotUsd).toBeCloseTo(mix.totalUsd, 6)
    // Every level from 0 to the most the year's quietest month needs, priced here from the catalog.
    const {shippedCatalog} = await import('../../src/core/catalog/shipped-catalog.js')
    const record = shippedCatalog.instances.find((i) => i.provider === 'gcp' && i.type === mix.type)
    const od = record?.priceUsdPerHour[doc.region] as number
    const committed = record?.otherPricesUsdPerHour?.['1yr']?.[doc.region] as number
    const spot = record?.otherPricesUsdPerHour?.spot?.[doc.region]
    const cap = Math.min(...doc.plan.months.map((m) => (m.type === mix.type ? Math.floor(m.range.instances.p10) : 0)))
    expect(mix.capInstances).toBe(cap)
    const cost = (c: number) =>
      doc.plan.months.reduce((sum, m) => {
        const base = m.instances - 1 // n+1
        const onDemand = Math.max(0, base - c)
        const spares = m.instances - Math.max(c, base)
        return sum + 730 * (c * committed + onDemand * od + spares * (spot ?? od))
      }, 0)
    const all = Array.from({length: cap + 1}, (_, c) => cost(c))
    expect(mix.totalUsd).toBeCloseTo(Math.min(...all), 6)
    expect(cost(mix.committedInstances)).toBeCloseTo(mix.totalUsd, 6)
    // The plan's compute is the mix's plus the tiers on demand.
    expect(doc.plan.totals.onDemandComputeUsd! - doc.plan.totals.computeUsd).toBeCloseTo(mix.savingUsd, 6)
  })

  it('AWS has no 1-year prices: exit 2 naming the price book; with a book of 1-year rates it mixes', async () => {
    const refused = await runInProcess([...PLAN_M7G, '--pricing', 'mix'])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain(
      '--pricing: the catalog has no 1yr prices for aws us-east-1, which a mix commits at',
    )
    const book = join(dir, 'savings-plan.yaml')
    writeFileSync(book, 'prices:\n  - {provider: aws, region: "*", match: m7g, kind: 1yr, discount: 28%}\n')
    const mixed = await planJson([...PLAN_M7G, '--pricing', 'mix', '--price-book', book])
    expect(mixed.plan.purchaseMix?.commitKind).toBe('1yr')
    expect(mixed.plan.purchaseMix?.committedInstances).toBeGreaterThan(0)
  })
})
