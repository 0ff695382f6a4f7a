/** `loadplan catalog` in-process. */
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {runInProcess} from '../helpers/in-process.js'

describe('loadplan catalog', () => {
  it('lists types matching the filters, cheapest first, with monthly prices at 730 h', async () => {
    const {code, stdout} = await runInProcess([
      'catalog',
      'list',
      '--provider',
      'aws',
      '--family',
      'm7g',
      '--min-vcpu',
      '4',
    ])
    expect(code).toBe(0)
    const types = [...stdout.matchAll(/│ (m7g\.\S+)/g)].map((m) => m[1])
    expect(types.slice(0, 3)).toEqual(['m7g.xlarge', 'm7g.2xlarge', 'm7g.4xlarge'])
    expect(types).not.toContain('m7g.large')
    expect(stdout).toMatch(/m7g\.xlarge .*\$0\.1632 │\s+\$119\.14/)
  })

  it('dates the prices it lists by their own source, and names the types a region does not price', async () => {
    const list = (...args: string[]) => runInProcess(['catalog', 'list', '--provider', 'aws', ...args])
    expect((await list('--family', 'm7g')).stdout).toMatch(/prices as of 2026-07-20 \(karpenter-aws-prices\)\n$/)
    const eu = await list('--family', 'm7g', '--region', 'eu-west-1')
    expect(eu.stdout).toMatch(/m7g\.large .*eu-west-1 │ \$0\.0910 │/)
    expect(eu.stdout).toMatch(/prices as of 2024-02-21 \(sparecores-aws-prices\)\n$/)
    const p5 = await list('--family', 'p5', '--region', 'eu-west-1')
    expect(p5.code).toBe(0)
    expect(p5.stdout).toContain('2 types match, none with a price in eu-west-1: p5.4xlarge, p5.48xlarge')
  })

  it('lists as JSON with the region and monthly cost', async () => {
    const {code, stdout} = await runInProcess([
      'catalog',
      'list',
      '--provider',
      'gcp',
      '--class',
      'memory',
      '--region',
      'europe-west1',
      '--limit',
      '3',
      '--json',
    ])
    expect(code).toBe(0)
    const rows = JSON.parse(stdout) as Array<{
      class: string
      region: string
      monthlyUsd: number
      priceUsdPerHour: Record<string, number>
    }>
    expect(rows).toHaveLength(3)
    for (const row of rows) {
      expect(row).toMatchObject({class: 'memory', region: 'europe-west1'})
      expect(row.monthlyUsd).toBeCloseTo((row.priceUsdPerHour['europe-west1'] as number) * 730, 6)
    }
  })

  it('shows one type with its sources', async () => {
    const {code, stdout} = await runInProcess(['catalog', 'show', 'm7g.xlarge'])
    expect(code).toBe(0)
    expect(stdout).toContain('4 vCPU, 16 GiB memory, arm64, 1.876 Gbps baseline network')
    expect(stdout).toMatch(/us-east-1\s+\$0\.1632\/h {2}\$119\.14\/month \(730 h\)/)
    expect(stdout).toMatch(
      /aws\/karpenter-provider-aws pkg\/providers\/pricing\/zz_generated\.pricing_aws\.go @ [0-9a-f]{8} \(\d{4}-\d\d-\d\d\)/,
    )
  })

  it('shows commitment and spot prices beside on-demand where the catalog has them', async () => {
    const {stdout} = await runInProcess(['catalog', 'show', 'e2-standard-2'])
    // Cyclenerd pricing.yml, us-central1: hour 0.06701142, month_1y 30.81841 (÷ 730 = 0.042217), hour_spot 0.040212.
    expect(stdout).toMatch(
      /^ {4}us-central1 +\$0\.0670\/h {2}\$48\.92\/month \(730 h\) {2}1yr \$0\.0422\/h \(37% less\) {2}3yr \$0\.0302\/h \(55% less\) {2}spot \$0\.0402\/h \(40% less\)$/m,
    )
    expect(stdout).toContain(
      '1yr, 3yr, spot: 1-year commitment, no upfront; 3-year commitment, no upfront; spot, can be reclaimed',
    )
    const stats = await runInProcess(['catalog', 'stats'])
    expect(stats.stdout).toMatch(/^ {2}gcp +us-central1 +\d{3} +\d{3} +\d{3} +\d{3}$/m)
    expect(stats.stdout).toMatch(/^ {2}aws +us-east-1 +\d{4} +– +– +–$/m)
  })

  it("marks a type priced in another region than the provider's default, and says why in show (issue 14)", async () => {
    // Every snapshot of the source has another product's meter for D64as_v5 in eastus ($5.696/h).
    const list = await runInProcess(['catalog', 'list', '--provider', 'azure', '--family', 'Dasv5'])
    expect(list.stdout).toMatch(/Standard_D64as_v5 .*│ eastus2† │ \$2\.7520 │/)
    expect(list.stdout).toMatch(/Standard_D2as_v5 .*│ eastus {3}│ \$0\.0860 │/)
    expect(list.stdout).toContain('† no price in eastus (see catalog show TYPE')
    const json = JSON.parse(
      (await runInProcess(['catalog', 'list', '--provider', 'azure', '--family', 'Dasv5', '--json'])).stdout,
    ) as Array<{type: string; region: string; notPricedIn?: string}>
    expect(json.find((r) => r.type === 'Standard_D64as_v5')).toMatchObject({region: 'eastus2', notPricedIn: 'eastus'})
    expect(json.find((r) => r.type === 'Standard_D2as_v5')?.notPricedIn).toBeUndefined()
    const show = await runInProcess(['catalog', 'show', 'Standard_D64as_v5'])
    // Regions with the same reason share a line (westus3 has the same wrong meter).
    expect(show.stdout).toMatch(/no price in eastus, westus3: every value the source carried \(\$5\.696\/h\)/)
    // With --region nothing is marked: every row is that region's.
    expect(
      (await runInProcess(['catalog', 'list', '--provider', 'azure', '--family', 'Dasv5', '--region', 'westus2']))
        .stdout,
    ).not.toContain('†')
  })

  it('prints counts per provider', async () => {
    const {code, stdout} = await runInProcess(['catalog', 'stats'])
    expect(code).toBe(0)
    for (const provider of ['aws', 'gcp', 'azure'])
      expect(stdout).toMatch(new RegExp(`^${provider}\\s+\\d{3,} types \\(\\d+ current generation\\)`, 'm'))
  })

  it('takes a user catalog over the shipped one and warns when prices are old', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadplan-catalog-'))
    const file = join(dir, 'mine.json')
    writeFileSync(
      file,
      JSON.stringify({
        schemaVersion: 1,
        pricesAsOf: '2024-01-01',
        sources: [{id: 'contract', description: 'our negotiated prices', generatedAt: '2024-01-01'}],
        instances: [
          {
            provider: 'aws',
            type: 'm7g.xlarge',
            family: 'm7g',
            class: 'general',
            arch: 'arm64',
            vcpu: 4,
            memoryGiB: 16,
            currentGeneration: true,
            priceUsdPerHour: {'us-east-1': 0.1},
            sources: ['contract'],
            verified: true,
          },
        ],
      }),
    )
    const {code, stdout, stderr} = await runInProcess(['catalog', 'show', 'm7g.xlarge', '--catalog', file])
    expect(code).toBe(0)
    expect(stdout).toMatch(/us-east-1\s+\$0\.1000\/h/)
    expect(stderr).toMatch(/warning: catalog prices are \d+ days old \(as of 2024-01-01\)/)
  })

  it("labels GCP's shared-core types: the billed fraction of a core, of the guest's vCPUs", async () => {
    const list = await runInProcess([
      'catalog',
      'list',
      '--provider',
      'gcp',
      '--family',
      'e2',
      '--region',
      'us-central1',
    ])
    expect(list.code).toBe(0)
    expect(list.stdout).toMatch(/e2-micro .*│ +0\.25 of 2\* │/)
    expect(list.stdout).toMatch(/e2-standard-2 .*│ +2 │/)
    expect(list.stdout).toContain('* shared core: the fraction of a core billed and sustained')
    const show = await runInProcess(['catalog', 'show', 'e2-small'])
    expect(show.stdout).toContain('shared core: 2 vCPUs in the guest, 0.5 of a core billed and sustained')
  })

  it('reports bad input with exit 2', async () => {
    const unknown = await runInProcess(['catalog', 'show', 'm7g.huge'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('type: not in the catalog; similar: m7g.')
    const bad = await runInProcess(['catalog', 'list', '--provider', 'oracle', '--class', 'fast', '--min-vcpu', 'x'])
    expect(bad.code).toBe(2)
    for (const field of ['--provider', '--class', '--min-vcpu']) expect(bad.stderr).toContain(field)
    const dir = mkdtempSync(join(tmpdir(), 'loadplan-catalog-'))
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({schemaVersion: 1, instances: [{provider: 'aws', type: 'x'}]}))
    const invalid = await runInProcess(['catalog', 'stats', '--catalog', join(dir, 'bad.json')])
    expect(invalid.code).toBe(2)
    expect(invalid.stderr).toContain('instances[0].vcpu')
  })
})
