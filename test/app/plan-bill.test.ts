/**
 * The rest of the bill (issue 32, item 5): each line checked against arithmetic done by hand
 * from the catalog's list prices, in every output.
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import type {BillLine, CapacityPlanDocument, PlanMonth} from '../../src/contracts/results/plan-document.js'
import {runInProcess} from '../helpers/in-process.js'

const dir = mkdtempSync(join(tmpdir(), 'loadplan-bill-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

/** 200/s peak, mean 100/s, flat: every month has the same mean load. */
const MEASURED = ['--per-instance', '100/s', '--instance-type', 'c7g.large', '--mean-to-peak', '50%']
const FLAT = [...MEASURED, '--peak', '200/s']
const FLAT_GROWTH = ['--growth', '0%/mo', '--months', '2']

async function plan(args: string[]): Promise<{doc: CapacityPlanDocument; stderr: string}> {
  const {code, stdout, stderr} = await runInProcess(['plan', ...args, '--format', 'json'])
  expect(code, stderr).toBe(0)
  return {doc: JSON.parse(stdout) as CapacityPlanDocument, stderr}
}

const line = (m: PlanMonth | undefined, item: BillLine['item']) => m?.bill?.find((l) => l.item === item)

describe('plan: the rest of the bill (issue 32)', () => {
  it('prices a load balancer, NAT, cross-zone traffic and backups on AWS by hand arithmetic', async () => {
    const args = [
      ...FLAT,
      ...FLAT_GROWTH,
      '--provider',
      'aws',
      '--region',
      'us-east-1',
      '--redundancy',
      'zones:3',
      '--load-balancer',
      '--bytes-per-request',
      '64KiB',
      '--nat',
      '4KiB',
      '--cross-zone',
      '4KiB',
      '--storage-gb',
      '500',
      '--backups',
      '30d@2%',
    ]
    const {doc} = await plan(args)
    const m1 = doc.plan.months[0]
    // A month is 730 h = 2,628,000 s; billed GB are 2^30 bytes.
    // ALB: 100/s × 3,600 s × 65,536 B = 21.97265625 GB an hour (> 100/s ÷ 10 per connection ÷ 25 = 0.4 LCU),
    // so 21.97265625 × 730 = 16,040.04 LCU-h × $0.008 = $128.3203125, + 730 h × $0.0225 = $16.425.
    expect(line(m1, 'load balancer')?.usd).toBeCloseTo(144.7453125, 6)
    expect(line(m1, 'load balancer')?.quantity).toBe('730 h + 16,040 LCU-h')
    // NAT: 100/s × 2,628,000 s × 4,096 B = 1,002.50244140625 GB × $0.045, + 3 gateways (one a zone) × 730 h × $0.045.
    expect(line(m1, 'NAT gateway')?.usd).toBeCloseTo(1002.50244140625 * 0.045 + 98.55, 6)
    // Cross-zone: the same 1,002.50 GB to the data tier, 2 calls in 3 to another zone, $0.02 a GB crossing (0.01 each way).
    expect(line(m1, 'cross-zone traffic')?.usd).toBeCloseTo(13.36669921875, 6)
    // Backups: 500 GB × (1 + 2 % × 29 later days) = 790 GB of snapshots × $0.05.
    expect(line(m1, 'backups')).toEqual({item: 'backups', quantity: '790 GB of snapshots', usd: 39.5})
    // Every line is in other, other in the total, and the horizon's total sums the months.
    const other = (m1?.bill ?? []).reduce((s, l) => s + l.usd, 0)
    expect(m1?.otherUsd).toBeCloseTo(other, 9)
    expect(m1?.totalUsd).toBeCloseTo((m1?.computeUsd ?? 0) + (m1?.storageUsd ?? 0) + (m1?.egressUsd ?? 0) + other, 6)
    expect(doc.plan.totals.otherUsd).toBeCloseTo(2 * other, 6)
    expect(doc.plan.totals.totalUsdRange.p50).toBeGreaterThanOrEqual(doc.plan.totals.otherUsd as number)
    expect(doc.assumptions.find((a) => a.startsWith('the rest of the bill:'))).toContain('one gateway per zone (3)')
    expect(
      doc.assumptions.some((a) => a.includes('aws nat-gateway prices 2024-07-01 (infracost-aws-nat_gateway_test)')),
    ).toBe(true)

    // The same figures in the other outputs.
    const csv = await runInProcess(['plan', ...args, '--format', 'csv'])
    const [header, row] = csv.stdout.trim().split('\n')
    const at = header?.split(',').indexOf('other_usd') as number
    expect(at).toBeGreaterThan(0)
    expect(Number(row?.split(',')[at])).toBeCloseTo(other, 2)
    const md = await runInProcess(['plan', ...args, '--format', 'markdown'])
    expect(md.stdout).toContain('| the rest of the bill |')
    expect(md.stdout).toContain('| backups | $39.50 (790 GB of snapshots) | $39.50 (790 GB of snapshots) | $79.00 |')
    const text = await runInProcess(['plan', ...args])
    expect(text.stdout).toContain('other $')
    expect(text.stdout).toContain('  load balancer: $144.75 (730 h + 16,040 LCU-h)')
    const html = join(dir, 'plan.html')
    const out = await runInProcess(['plan', ...args, '--html', html])
    expect(out.code, out.stderr).toBe(0)
    const page = readFileSync(html, 'utf8')
    expect(page).toContain('<h2>The rest of the bill</h2>')
    expect(page).toContain('<th>other</th>')
  })

  it('counts the load balancer by new connections when they outweigh the bytes', async () => {
    const file = join(dir, 'lb.yaml')
    writeFileSync(file, 'plan:\n  bill:\n    loadBalancer: {requestsPerConnection: 1}\n')
    const {doc} = await plan([file, ...FLAT, ...FLAT_GROWTH, '--provider', 'aws'])
    // 100 new connections/s ÷ 25 = 4 LCU every hour: 2,920 LCU-h × $0.008 + 730 h × $0.0225.
    expect(line(doc.plan.months[0], 'load balancer')).toEqual({
      item: 'load balancer',
      quantity: '730 h + 2,920 LCU-h',
      usd: 2920 * 0.008 + 730 * 0.0225,
    })
    expect(doc.assumptions.find((a) => a.startsWith('the rest of the bill:'))).toContain(
      'GB processed per hour (not counted: no --bytes-per-request)',
    )
  })

  it('prices Cloud NAT per instance up to its cap of 32', async () => {
    const small = await plan([...FLAT, ...FLAT_GROWTH, '--provider', 'gcp', '--region', 'us-central1', '--nat', '0B'])
    const m = small.doc.plan.months[0] as PlanMonth
    expect(line(m, 'NAT gateway')?.usd).toBeCloseTo(m.instances * 0.0014 * 730, 9)
    // e2 stops at 32 vCPUs: 200,000/s needs far more than 32 instances of any of them.
    const large = await plan([
      ...MEASURED,
      '--peak',
      '200000/s',
      ...FLAT_GROWTH,
      '--provider',
      'gcp',
      '--region',
      'us-central1',
      '--family',
      'e2',
      '--hold-type',
      '--nat',
      '0B',
    ])
    const big = large.doc.plan.months[0] as PlanMonth
    if (big.instances > 32) {
      // 32 × $0.0014 × 730 = $32.704: the source's own hourly cap ($0.0448) × 730.
      expect(line(big, 'NAT gateway')?.usd).toBeCloseTo(32.704, 9)
      expect(line(big, 'NAT gateway')?.quantity).toBe('32 instances × 730 h + 0 GB')
    } else expect.unreachable(`the large plan bought ${big.instances} instances; it needs more than 32 to test the cap`)
  })

  it('keeps a database standby per shard in another zone, with its copy of the data and its replication', async () => {
    const file = join(dir, 'db.yaml')
    writeFileSync(
      file,
      [
        'plan:',
        '  tiers:',
        '    database: {queriesPerRequest: 1, readShare: 50%, writeQpsPerPrimary: 60, readQpsPerReplica: 1000, storageGB: 300, instanceType: r7g.large}',
        '  replication: {bytesPerWrite: 1KiB, writeRatio: 50%}',
        '  bill: {databaseStandby: true}',
        '',
      ].join('\n'),
    )
    const {doc} = await plan([file, ...FLAT, ...FLAT_GROWTH, '--provider', 'aws', '--redundancy', 'zones:2'])
    const m1 = doc.plan.months[0]
    // 200/s sized × 1 query × 50 % writes = 100 writes/s over 60 per primary: 2 shards, so 2 standbys.
    expect(m1?.tiers?.database?.shards).toBe(2)
    // 2 × r7g.large ($0.1071/h) × 730 h + 300 GB × gp3 $0.08.
    expect(line(m1, 'database standby')).toEqual({
      item: 'database standby',
      quantity: '2 × r7g.large + 300 GB',
      usd: 2 * 0.1071 * 730 + 300 * 0.08,
    })
    // Every write's 1 KiB to the standby: 100/s mean × 50 % × 2,628,000 s × 1,024 B = 125.31 GB × $0.02.
    expect(line(m1, 'cross-zone traffic')?.usd).toBeCloseTo(((50 * 2_628_000 * 1024) / 2 ** 30) * 0.02, 9)
  })

  it('keeps the data lines in a passive region and leaves its traffic lines to failover', async () => {
    const {doc} = await plan([
      ...FLAT,
      ...FLAT_GROWTH,
      '--provider',
      'gcp',
      '--region',
      'us-central1',
      '--passive',
      'gcp:us-east1',
      '--standby',
      'pilot-light',
      '--storage-gb',
      '500',
      '--backups',
      '30d@2%',
      '--load-balancer',
    ])
    const takeover = doc.regions?.regions[1]?.plan.plan.months[0] as PlanMonth
    // 790 GB of snapshots × $0.05 (us-east1): the passive region keeps its backups.
    expect(line(takeover, 'backups')?.usd).toBeCloseTo(39.5, 9)
    // Pilot light: the data (its volume) and its backups, no load balancer before failover.
    expect(doc.regions?.standby?.months[0]?.usd).toBeCloseTo(takeover.storageUsd + 39.5, 9)
    expect(doc.regions?.rule).toContain('the traffic lines (load balancer, NAT, cross-zone) from failover')
  })

  it('names what the catalog cannot price and every bad value at once', async () => {
    const {doc, stderr} = await plan([
      ...FLAT,
      ...FLAT_GROWTH,
      '--provider',
      'azure',
      '--region',
      'eastus',
      '--nat',
      '1kB',
    ])
    expect(stderr).toContain('the catalog has no nat-gateway price for azure eastus; the NAT gateway is left out')
    expect(doc.plan.months[0]?.bill).toEqual([])
    // One zone: nothing crosses, and the plan says why the line is zero.
    const oneZone = await plan([...FLAT, ...FLAT_GROWTH, '--provider', 'aws', '--cross-zone', '2kB'])
    expect(oneZone.stderr).toContain('the fleet is in one zone (no --redundancy zones:N): none cross')
    expect(line(oneZone.doc.plan.months[0], 'cross-zone traffic')?.usd).toBe(0)
    const bad = await runInProcess([
      'plan',
      ...FLAT,
      ...FLAT_GROWTH,
      '--nat',
      'lots',
      '--cross-zone',
      '2kB',
      '--db-standby',
      '--backups',
      '1.5d@200%',
    ])
    expect(bad.code).toBe(2)
    for (const message of [
      '--nat: expected bytes per request up to 1GiB',
      '--db-standby: keeps a standby of the database tier',
      '--backups: expected whole days of retention',
      '--backups: expected the share of the data that changes a day',
      '--backups: backs up the data',
    ])
      expect(bad.stderr).toContain(message)
  })
})
