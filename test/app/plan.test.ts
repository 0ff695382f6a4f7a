/** `loadplan plan` in-process (the demo runs spawned: test/cli/smoke.test.ts). */
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import type {CapacityPlanDocument} from '../../src/contracts/results/plan-document.js'
import type {PlanBacktestDocument} from '../../src/contracts/results/plan-backtest-document.js'
import {stringifyResult} from '../../src/contracts/results/run-result.js'
import {runInProcess} from '../helpers/in-process.js'
import {capacityResultFixture, encoded} from '../helpers/fixtures.js'

const tmp = () => mkdtempSync(join(tmpdir(), 'loadplan-plan-'))

describe('loadplan plan', () => {
  it('plans a stated growth on a stated throughput (the hand-worked month of the unit tests)', async () => {
    const {code, stdout} = await runInProcess([
      'plan',
      '--per-instance',
      '450/s',
      '--instance-type',
      'c7g.large',
      '--family',
      'c7g',
      '--peak',
      '1000/s',
      '--growth',
      '8%/mo',
      '--target-utilization',
      '70%',
      '--storage-gb',
      '100',
      '--storage-growth',
      '5%/mo',
      '--bytes-per-request',
      '20kB',
      '--format',
      'json',
    ])
    expect(code).toBe(0)
    const doc = JSON.parse(stdout) as CapacityPlanDocument
    expect(doc).toMatchObject({schema: 'loadplan/capacity-plan', version: 2, provider: 'aws', region: 'us-east-1'})
    expect(doc.plan.months).toHaveLength(12)
    // Month 1 as worked out in test/unit/capacity-plan.test.ts, with every c7g size to choose from.
    // c7g.medium is translated by the static-web ratio 54,304 / 129,279 req/s (not by half the
    // vCPUs) and by the share of vCPUs left after the 0.1 reserved per node, (1 − 0.1)/1 on it
    // against (2 − 0.1)/2 on c7g.large: 450 × 0.42005 × 0.9474 = 179.08 req/s, 125.4 at 70 % →
    // ⌈1000/125.4⌉ + 1 = 9 × $0.0363 × 730 = $238.49 in month 1 (month 1 is now: 1,000 req/s), less
    // than 5 × c7g.large at $264.625, but more over the year ($4,451.83 against $4,128.15), so the
    // plan holds c7g.large. Storage $8.00 and egress $2,122.588 (GB of 2^30 bytes) as in the unit test.
    const m1 = doc.plan.months[0]
    expect(doc.plan.options.find((o) => o.type === 'c7g.medium')?.perInstanceRps).toBeCloseTo(
      ((450 * 54_304) / 129_279) * (0.9 / 1 / (1.9 / 2)),
      9,
    )
    expect(m1).toMatchObject({type: 'c7g.large', instances: 5})
    expect(m1?.computeUsd).toBeCloseTo(264.625, 9)
    expect(m1?.storageUsd).toBeCloseTo(8, 9)
    expect(m1?.egressUsd).toBeCloseTo(2122.588367, 5)
    expect(m1?.totalUsd).toBeCloseTo((m1?.computeUsd as number) + 8 + 2122.588367, 5)
    expect(doc.plan.options.find((o) => o.type === 'c7g.medium')?.firstMonthInstances).toBe(9)
    expect(doc.plan.options.find((o) => o.type === 'c7g.large')?.firstMonthInstances).toBe(5)
  })

  it('carries capacity through the performance table and keeps one type where vCPU scaling switched back and forth (issue 18)', async () => {
    // The case: with vCPU scaling the plan moved between c7g.medium and c7g.large five times.
    const args = [
      'plan',
      '--per-instance',
      '450/s',
      '--instance-type',
      'c7g.large',
      '--peak',
      '1200/s',
      '--growth',
      '8%/mo',
      '--redundancy',
      'zones:3',
      '--format',
      'json',
    ]
    const doc = JSON.parse((await runInProcess(args)).stdout) as CapacityPlanDocument
    const types = doc.plan.months.map((m) => m.type)
    const switches = types.filter((t, i) => i > 0 && t !== types[i - 1]).length
    expect(switches).toBeLessThanOrEqual(1)
    expect(doc.assumptions.join('\n')).toMatch(
      /other types translated by the ratio of their static-web benchmark requests\/s: c7g\.medium ×0\.42/,
    )
    // Bigger is never slower (c7g.12xlarge's own benchmark figure is limited by the benchmark: replaced).
    const rps = (type: string) => doc.plan.options.find((o) => o.type === type)?.perInstanceRps as number
    expect(rps('c7g.12xlarge')).toBeGreaterThan(rps('c7g.8xlarge'))
    expect(rps('c7g.16xlarge')).toBeGreaterThan(rps('c7g.12xlarge'))

    // Without the measured type, vCPUs are all there is, and the plan says so.
    const blind = await runInProcess([
      'plan',
      '--per-instance',
      '450/s',
      '--vcpus',
      '2',
      '--family',
      'c7g',
      '--peak',
      '1200/s',
      '--growth',
      '8%/mo',
    ])
    expect(blind.stderr).toMatch(/warning: the type the capacity was measured on is unknown; .* scales by vCPUs/)
    // The USL over client connections no longer scales vCPUs.
    const usl = await runInProcess([...args, '--scaling', 'usl'])
    expect(usl.code).toBe(2)
    expect(usl.stderr).toContain('--scaling: the USL fitted over client connections describes one instance')
  })

  it('treats a capacity search that never broke as a lower bound, and defines util the same under n+k and zones', async () => {
    const dir = tmp()
    const capped = join(dir, 'capped.json')
    writeFileSync(
      capped,
      stringifyResult({...capacityResultFixture(1600), stopReason: 'max-rate', breakingRatePerSec: null}),
    )
    const {code, stdout, stderr} = await runInProcess([
      'plan',
      '--capacity',
      capped,
      '--instance-type',
      'c7g.large',
      '--peak',
      '1200/s',
      '--growth',
      '8%/mo',
      '--redundancy',
      'zones:3',
      '--format',
      'json',
    ])
    expect(code, stderr).toBe(0)
    expect(stderr).toContain(
      'warning: the capacity search reached its maximum rate (10000/s) without breaking the SLO: 1600/s is a lower bound',
    )
    const doc = JSON.parse(stdout) as CapacityPlanDocument
    expect(doc.assumptions.join('\n')).toContain('capacity: at least 1600 req/s per instance')
    // zones:3 with n instances: util is the sized-for demand over the two zones left after one is lost.
    const m1 = doc.plan.months[0] as CapacityPlanDocument['plan']['months'][number]
    const perInstance = doc.plan.options.find((o) => o.type === m1.type)?.perInstanceRps as number
    expect(m1.utilizationAtPeak).toBeCloseTo(m1.sizedForRps / (perInstance * ((m1.instances * 2) / 3)), 9)
  })

  it('leaves out types without the memory an instance needs, and burstable types; reserves system CPU and memory per node', async () => {
    const args = [
      'plan',
      '--per-instance',
      '450/s',
      '--instance-type',
      'c7g.large',
      '--peak',
      '1200/s',
      '--growth',
      '8%/mo',
      '--format',
      'json',
    ]
    const doc = JSON.parse(
      (await runInProcess([...args, '--memory-per-instance', '3GiB'])).stdout,
    ) as CapacityPlanDocument
    // 3 GiB + 0.5 GiB reserved: c7g.medium (2 GiB) is out, c7g.large (4 GiB) in.
    expect(doc.plan.options.map((o) => o.type)).not.toContain('c7g.medium')
    expect(doc.plan.options.map((o) => o.type)).toContain('c7g.large')
    expect(doc.assumptions.join('\n')).toContain('left out for memory: c7g.medium (2 GiB)')
    // c7g.xlarge: 450 × 226,164 / 129,279 (static web) × ((4 − 0.2)/4) / ((2 − 0.2)/2) with 0.2 vCPU reserved.
    const reserved = JSON.parse((await runInProcess([...args, '--reserved-cpu', '0.2'])).stdout) as CapacityPlanDocument
    expect(reserved.plan.options.find((o) => o.type === 'c7g.xlarge')?.perInstanceRps).toBeCloseTo(
      ((450 * 226_164) / 129_279) * (3.8 / 4 / (1.8 / 2)),
      9,
    )
    // A burstable family alone is refused with the reason.
    const burstable = await runInProcess([
      'plan',
      '--per-instance',
      '450/s',
      '--instance-type',
      'c7g.large',
      '--family',
      't4g',
      '--peak',
      '1200/s',
      '--growth',
      '8%/mo',
    ])
    expect(burstable.code).toBe(2)
    expect(burstable.stderr).toContain('t4g is burstable: plans leave burstable types out')
    // The plan: section takes the same settings, strictly.
    const dir = tmp()
    const file = join(dir, 'svc.yaml')
    writeFileSync(
      file,
      'service: svc\ntarget: http://127.0.0.1:1\nplan:\n  memoryPerInstance: 3GiB\n  reserved: {cpu: 0.2, memroy: 1GiB}\n',
    )
    const typo = await runInProcess([
      'plan',
      file,
      '--per-instance',
      '450/s',
      '--instance-type',
      'c7g.large',
      '--peak',
      '1200/s',
      '--growth',
      '8%/mo',
    ])
    expect(typo.code).toBe(2)
    expect(typo.stderr).toMatch(/plan\.reserved\.memroy: unknown key; known keys here are cpu, memory/)
  })

  it('takes every sizing setting from the plan: section too', async () => {
    const file = join(tmp(), 'svc.yaml')
    writeFileSync(
      file,
      'service: svc\ntarget: http://127.0.0.1:1\nplan:\n  targetUtilization: 60%\n  risk: 2%\n  scaling: stress-ng\n  holdType: true\n  growthKind: linear\n  meanToPeak: 40%\n',
    )
    const {code, stdout, stderr} = await runInProcess([
      'plan',
      file,
      '--per-instance',
      '450/s',
      '--instance-type',
      'c7g.large',
      '--peak',
      '1200/s',
      '--growth',
      '8%/mo',
      '--format',
      'json',
    ])
    expect(code, stderr).toBe(0)
    const doc = JSON.parse(stdout) as CapacityPlanDocument
    const text = doc.assumptions.join('\n')
    expect(text).toContain('fleet: carries the stated peak')
    expect(text).toContain('at 60 % of the measured capacity')
    expect(doc.plan.risk).toBe(0.02)
    expect(text).toContain('one type held all horizon')
    expect(text).toContain('by the ratio of their stress-ng cpu scores on all cores')
    expect(text).toContain('growing 8.0% a month (linear)')
    expect(text).toContain('mean load 40% of the peak')
    expect(new Set(doc.plan.months.map((m) => m.type)).size).toBe(1)
  })

  it('plans from a capacity result and a traffic history, as a table and as CSV', async () => {
    const dir = tmp()
    writeFileSync(join(dir, 'cap.json'), stringifyResult(capacityResultFixture(388)))
    const history = join(dir, 'traffic.csv')
    const start = Date.UTC(2026, 8, 1)
    const rows = Array.from(
      {length: 24 * 28},
      (_, h) =>
        `${new Date(start + h * 3_600_000).toISOString()},${(500 + 300 * Math.sin((2 * Math.PI * h) / 24) + h * 0.2).toFixed(1)}`,
    )
    writeFileSync(history, `timestamp,value\n${rows.join('\n')}\n`)
    const table = await runInProcess([
      'plan',
      '--capacity',
      join(dir, 'cap.json'),
      '--history',
      history,
      '--family',
      'c7g,m7g',
      '--redundancy',
      'zones:3',
    ])
    expect(table.code, table.stderr).toBe(0)
    expect(table.stdout).toMatch(/^loadplan plan {2}aws us-east-1, 12 months/m)
    expect(table.stdout).toMatch(/^total +[\d,]+/m)
    expect(table.stdout).toContain('scale up or out')
    expect(table.stdout).toContain(
      '388 req/s per instance measured on c7g.large (loadplan capacity, SLO p99<100ms, errors<1%)',
    )
    const csv = await runInProcess([
      'plan',
      '--capacity',
      join(dir, 'cap.json'),
      '--history',
      history,
      '--family',
      'c7g',
      '--format',
      'csv',
      '--months',
      '3',
    ])
    expect(csv.code).toBe(0)
    const lines = csv.stdout.trim().split('\n')
    expect(lines[0]).toBe(
      'month,start,peak_rps,peak_hi80_rps,peak_hi95_rps,mean_rps,peak_p10_rps,peak_p50_rps,peak_p90_rps,peak_p95_rps,sized_rps,app_sized_rps,type,instances,instances_p10,instances_p50,instances_p90,overload_probability,utilization_at_peak,compute_usd,storage_gb,storage_usd,egress_gb,egress_usd,other_usd,total_usd,total_usd_p10,total_usd_p50,total_usd_p90',
    )
    expect(lines).toHaveLength(4)
    // The fleet column: whole instances, at least the n+1 minimum of 2.
    for (const line of lines.slice(1)) {
      const instances = Number(line.split(',')[(lines[0] as string).split(',').indexOf('instances')])
      expect(Number.isInteger(instances) && instances >= 2, line).toBe(true)
    }
  })

  it('takes its settings and tiers from the example service file', async () => {
    const file = join(import.meta.dirname, '..', '..', 'plans', 'example.yaml')
    const {code, stdout, stderr} = await runInProcess([
      'plan',
      file,
      '--per-instance',
      '400/s',
      '--instance-type',
      'c7g.large',
      '--peak',
      '10000/s',
      '--growth',
      '5%/mo',
      '--months',
      '3',
      '--target-utilization',
      '70%',
      '--format',
      'json',
    ])
    expect(code, stderr).toBe(0)
    const doc = JSON.parse(stdout) as CapacityPlanDocument
    expect(doc.service).toBe('checkout-api')
    const m1 = doc.plan.months[0]
    // By hand, month 1 (now): 10,000 req/s; the cache answers 60 % → 4,000 reach the app; × 3
    // queries: 10,800 reads, 1,200 writes → 1 shard (1,500 writes/s each; 800 GB < 2,000),
    // ⌈10,800 / 6,000⌉ = 2 replicas → 3 database instances, each holding the 800 GB.
    expect(m1?.tiers?.database).toMatchObject({shards: 1, replicasPerShard: 2, instances: 3, storedGB: 2400})
    expect(m1?.tiers?.cache?.nodes).toBe(2)
    // Storage: the service's 120 GB and the database's 3 × 800 GB, all at gp3's $0.08/GB-month
    // (issue 29: the database's was not priced): 2,520 GB, $201.60.
    expect(m1?.storageGB).toBe(120 + 2400)
    expect(m1?.storageUsd).toBeCloseTo(2520 * 0.08, 9)
    expect(doc.assumptions.join(' ')).toContain('cache: 2 × r7g.large in front answers 60% of requests')
  })

  it('reports every bad setting with exit 2', async () => {
    const {code, stderr} = await runInProcess([
      'plan',
      '--growth',
      'fast',
      '--redundancy',
      'lots',
      '--target-utilization',
      '150%',
      '--months',
      '0',
    ])
    expect(code).toBe(2)
    for (const field of ['--growth', '--redundancy', '--target-utilization', '--months', '--peak', '--per-instance'])
      expect(stderr).toContain(field)
    expect(stderr).not.toMatch(/\n\s+at /)
  })
})

describe('loadplan plan --size-by slo', () => {
  it('buys, month by month, the smallest fleet whose simulated p99 meets the SLO, plus the redundancy, and shows the utilisation rule beside it', async () => {
    const {scaleServiceTime, sizeFleet, serviceFromCapacity} = await import('../../src/core/capacity/fleet-sizing.js')
    const dir = tmp()
    const capacity = capacityResultFixture()
    // Service times of 4 ms + exponential 12 ms (p99 ≈ 59 ms): under the 100 ms objective on c7g.large, not on a type half as fast.
    const latencies = Array.from({length: 5000}, (_, i) => 4 - 12 * Math.log(1 - (i + 0.5) / 5000))
    capacity.steps = capacity.steps.map((step) => ({...step, histogram: encoded(latencies)}))
    writeFileSync(join(dir, 'cap.json'), stringifyResult(capacity))
    const common = [
      'plan',
      '--capacity',
      join(dir, 'cap.json'),
      '--peak',
      '1000/s',
      '--growth',
      '8%/mo',
      '--months',
      '6',
      '--family',
      'c7g',
      '--hold-type',
      '--target-utilization',
      '70%',
      '--format',
      'json',
    ]
    const bySlo = await runInProcess([...common, '--size-by', 'slo', '--balance', 'least-conn'])
    expect(bySlo.stderr).toBe('')
    expect(bySlo.code).toBe(0)
    const doc = JSON.parse(bySlo.stdout) as CapacityPlanDocument
    const byUtilization = JSON.parse((await runInProcess(common)).stdout) as CapacityPlanDocument
    expect(doc.assumptions.join('\n')).toMatch(
      /smallest fleet whose simulated p99<100ms holds behind least-conn.*left out as too slow for it at any fleet size.*c7g\.medium/,
    )
    expect(doc.plan.options.map((o) => o.type)).not.toContain('c7g.medium')
    const measured = serviceFromCapacity(capacity)
    if ('error' in measured) throw new Error(measured.error)
    for (const [i, month] of doc.plan.months.entries()) {
      // The same simulation, run here directly: the plan's fleet is its answer + 1 (n+1).
      const speed = (doc.plan.options.find((o) => o.type === month.type)?.perInstanceRps as number) / 388
      const model = {
        concurrency: measured.concurrency,
        arrivalCv2: 1,
        serviceTime: scaleServiceTime(measured.serviceTime, speed),
        policy: 'least-conn' as const,
        requests: 50_000,
        warmupRequests: 5_000,
        arrivalRatePerSec: month.sizedForRps,
      }
      const smallest = sizeFleet(
        model,
        {percentile: 99, limitMs: 100},
        {loss: {kind: 'none'}, maxInstances: 200, seed: 1},
      ).smallest
      expect(month.instances).toBe((smallest as number) + 1)
      expect(byUtilization.plan.months[i]?.type).toBe(month.type)
      expect(month.instancesByUtilization).toBe(byUtilization.plan.months[i]?.instances)
    }
    // Least-connections over several slots per instance runs hotter than 70 % within the SLO: fewer instances by the end.
    expect(doc.plan.months.at(-1)?.instances).toBeLessThan(doc.plan.months.at(-1)?.instancesByUtilization as number)
  })

  it('reads sizeBy and balance from the plan: section, flags winning', async () => {
    const dir = tmp()
    const capacity = capacityResultFixture()
    capacity.steps = capacity.steps.map((step) => ({
      ...step,
      histogram: encoded(Array.from({length: 2000}, (_, i) => 4 - 12 * Math.log(1 - (i + 0.5) / 2000))),
    }))
    writeFileSync(join(dir, 'cap.json'), stringifyResult(capacity))
    writeFileSync(
      join(dir, 'svc.yaml'),
      'service: svc\ntarget: http://127.0.0.1:8080\nplan:\n  sizeBy: slo\n  balance: p2c\n  cloud: {provider: aws, families: [c7g]}\n',
    )
    const fromFile = await runInProcess([
      'plan',
      join(dir, 'svc.yaml'),
      '--capacity',
      join(dir, 'cap.json'),
      '--peak',
      '1000/s',
      '--growth',
      '5%/mo',
      '--months',
      '3',
      '--format',
      'json',
    ])
    expect(fromFile.code).toBe(0)
    expect((JSON.parse(fromFile.stdout) as CapacityPlanDocument).assumptions.join('\n')).toMatch(
      /simulated p99<100ms holds behind p2c/,
    )
    const overridden = await runInProcess([
      'plan',
      join(dir, 'svc.yaml'),
      '--capacity',
      join(dir, 'cap.json'),
      '--peak',
      '1000/s',
      '--growth',
      '5%/mo',
      '--months',
      '3',
      '--balance',
      'least-conn',
      '--format',
      'json',
    ])
    expect((JSON.parse(overridden.stdout) as CapacityPlanDocument).assumptions.join('\n')).toMatch(/behind least-conn/)
  })

  it('needs a capacity result with step histograms, and refuses --balance without --size-by slo', async () => {
    const noCapacity = await runInProcess([
      'plan',
      '--per-instance',
      '450/s',
      '--instance-type',
      'c7g.large',
      '--peak',
      '1000/s',
      '--growth',
      '8%/mo',
      '--size-by',
      'slo',
    ])
    expect(noCapacity.code).toBe(2)
    expect(noCapacity.stderr).toMatch(/--size-by.*slo needs the measured service: give --capacity/)
    const balance = await runInProcess([
      'plan',
      '--per-instance',
      '450/s',
      '--instance-type',
      'c7g.large',
      '--peak',
      '1000/s',
      '--growth',
      '8%/mo',
      '--balance',
      'p2c',
    ])
    expect(balance.code).toBe(2)
    expect(balance.stderr).toMatch(/--balance.*only applies with --size-by slo/)
  })
})

describe('docs/commands/plan.md side by side', () => {
  it('plans the example service by the SLO and at the 5 % risk with the figures docs/commands/plan.md prints', async () => {
    const common = [
      'plan',
      'plans/example.yaml',
      '--capacity',
      'plans/data/synthetic-capacity.json',
      '--history',
      'plans/data/sample-traffic.csv',
      '--format',
      'json',
    ]
    const byUtilization = JSON.parse((await runInProcess(common)).stdout) as CapacityPlanDocument
    const bySlo = JSON.parse(
      (await runInProcess([...common, '--size-by', 'slo', '--balance', 'least-conn'])).stdout,
    ) as CapacityPlanDocument
    // The month's P95 peak (3,251/s in month 1, 5,271/s in month 12; 1,300 and 2,109/s past the
    // cache) on 388 req/s per c7g.large less the node's reserved 0.1 vCPU (368.6/s):
    // ⌈1,300 / 368.6⌉ + 1 = 5 in month 1, ⌈2,109 / 368.6⌉ + 1 = 7 in month 12. The SLO simulation
    // asks for one more in months 4, 5, 8 and 9.
    const byCeiling = [5, 5, 6, 5, 6, 6, 6, 6, 6, 7, 7, 7]
    expect(byUtilization.plan.months.map((m) => m.instances)).toEqual(byCeiling)
    expect(bySlo.plan.months.map((m) => m.instances)).toEqual([5, 5, 6, 6, 7, 6, 6, 7, 7, 7, 7, 7])
    expect(bySlo.plan.months.map((m) => m.instancesByUtilization)).toEqual(byCeiling)
    expect(byUtilization.plan.totals.computeUsd).toBeCloseTo(13_192.56, 2)
    // At most 5 % of the paths above the fleet with its spare used up, month by month.
    for (const m of [...byUtilization.plan.months, ...bySlo.plan.months])
      expect(m.overloadProbability).toBeLessThanOrEqual(0.05)
  })
})

describe('plan with a measured scaling over CPUs (capacity --cpus)', () => {
  it('translates by per-core speed and cores through the serial fraction, and says so', async () => {
    const {findPerf, shippedPerfTable} = await import('../../src/core/catalog/perf-table.js')
    const {allCoresScore} = await import('../../src/core/catalog/perf-table-schema.js')
    const dir = tmp()
    const capacity = {
      ...capacityResultFixture(),
      coreScaling: {
        points: [
          {cpus: 1, sustainableRatePerSec: 250},
          {cpus: 2, sustainableRatePerSec: 400},
        ],
        serialFraction: 0.25,
        oneCpuRatePerSec: 250,
      },
    }
    writeFileSync(join(dir, 'cap.json'), stringifyResult(capacity))
    const {code, stdout, stderr} = await runInProcess([
      'plan',
      '--capacity',
      join(dir, 'cap.json'),
      '--family',
      'c7g',
      '--peak',
      '1000/s',
      '--growth',
      '5%/mo',
      '--months',
      '3',
      '--format',
      'json',
    ])
    expect(code, stderr).toBe(0)
    const doc = JSON.parse(stdout) as CapacityPlanDocument
    expect(doc.assumptions.join('\n')).toMatch(
      /the service's serial fraction σ = 0\.25 \(Amdahl, from 250\/s on 1 CPU, 400\/s on 2 CPUs\); other types translated by per-core speed and cores, through the service's measured serial fraction: .*c7g\.xlarge/,
    )
    // By hand from the table: speed = one core × speed-up, speed-up = e / (1 + σ(e − 1)), e = all cores / one core;
    // then × the share of vCPUs left after 0.1 reserved, (4 − 0.1)/4 over (2 − 0.1)/2.
    const speed = (type: string) => {
      const perf = findPerf(shippedPerfTable, 'aws', type)
      const single = perf?.stressngSingleCore as number
      const e = (allCoresScore(perf ?? {}) as number) / single
      return single * (e / (1 + 0.25 * (e - 1)))
    }
    const expected = 388 * (speed('c7g.xlarge') / speed('c7g.large')) * (3.9 / 4 / (1.9 / 2))
    expect(doc.plan.options.find((o) => o.type === 'c7g.xlarge')?.perInstanceRps).toBeCloseTo(expected, 6)
  })

  it('prices a commitment for the whole fleet and spot for the spares above the floor, with the saving (issue 14)', async () => {
    // 3 GiB per instance leaves out c4a-highcpu-1 (2 GiB): every kind plans on c4a-highcpu-2.
    const args = [
      'plan',
      '--per-instance',
      '450/s',
      '--instance-type',
      'c7g.large',
      '--provider',
      'gcp',
      '--family',
      'c4a',
      '--memory-per-instance',
      '3GiB',
      '--peak',
      '1200/s',
      '--growth',
      '0%/mo',
      '--target-utilization',
      '70%',
      '--months',
      '1',
      '--json',
    ]
    const month = async (pricing: string) => {
      const outcome = await runInProcess([...args, '--pricing', pricing])
      expect(outcome.code, outcome.stderr).toBe(0)
      return {doc: JSON.parse(outcome.stdout) as CapacityPlanDocument, stderr: outcome.stderr}
    }
    // Cyclenerd pricing.yml, c4a-highcpu-2 us-central1: hour 0.07576, month_1y 36.4854, hour_spot 0.032748.
    const onDemand = (await month('on-demand')).doc
    expect(onDemand.plan.months[0]).toMatchObject({type: 'c4a-highcpu-2', instances: 5})
    expect(onDemand.plan.pricing).toBeUndefined()
    expect(onDemand.plan.months[0]?.computeUsd).toBeCloseTo(5 * 0.07576 * 730, 6)
    const committed = (await month('1yr')).doc
    expect(committed.plan.pricing).toBe('1yr')
    expect(committed.plan.months[0]?.computeUsd).toBeCloseTo(5 * 36.4854, 4)
    expect(committed.plan.totals.onDemandComputeUsd).toBeCloseTo(5 * 0.07576 * 730, 6)
    expect(committed.assumptions.find((a) => a.startsWith('prices:'))).toMatch(
      /1-year commitment .* for the whole fleet \(compute \$182\.43 against \$276\.52 on demand/,
    )
    // n+1: the 4 instances that carry the load on demand, the spare on spot.
    const spot = await month('spot')
    expect(spot.doc.plan.months[0]).toMatchObject({instances: 5, spotInstances: 1})
    expect(spot.doc.plan.months[0]?.computeUsd).toBeCloseTo(4 * 0.07576 * 730 + 0.032748 * 730, 6)
    expect(spot.stderr).toMatch(/spot instances can be reclaimed at short notice/)
    const table = await runInProcess([...args.slice(0, -1), '--pricing', '1yr'])
    expect(table.stdout).toMatch(
      /^pricing: 1-year commitment: compute \$182\.43 against \$276\.52 on demand, saving \$94\.10 \(34\.0 %\)$/m,
    )
  })

  it('says which prices a region has when the kind asked for is missing', async () => {
    const outcome = await runInProcess([
      'plan',
      '--per-instance',
      '450/s',
      '--instance-type',
      'c7g.large',
      '--peak',
      '1200/s',
      '--growth',
      '8%/mo',
      '--pricing',
      '3yr',
    ])
    expect(outcome.code).toBe(2)
    expect(outcome.stderr).toContain(
      '--pricing: the catalog has no 3yr prices for aws us-east-1 (it has on-demand; a price book can add them: --price-book)',
    )
    expect(outcome.stderr).not.toContain('--family')
  })

  it('plans Azure on the type whose own meter the catalog kept (issue 14: 4 × D2as_v5, not 3 × D4as_v5)', async () => {
    const outcome = await runInProcess([
      'plan',
      '--per-instance',
      '180/s',
      '--instance-type',
      'Standard_D2as_v5',
      '--provider',
      'azure',
      '--peak',
      '360/s',
      '--growth',
      '0%/mo',
      '--target-utilization',
      '70%',
      '--months',
      '1',
      '--json',
    ])
    const doc = JSON.parse(outcome.stdout) as CapacityPlanDocument
    // ⌈360 / (180 × 70 %)⌉ + 1 = 4 × $0.086 × 730 = $251.12; D4as_v5 would be 3 × $0.172 × 730 = $376.68.
    expect(doc.plan.months[0]).toMatchObject({type: 'Standard_D2as_v5', instances: 4})
    expect(doc.plan.months[0]?.computeUsd).toBeCloseTo(251.12, 6)
    expect(doc.plan.options.find((o) => o.type === 'Standard_D4as_v5')?.horizonComputeUsd).toBeCloseTo(376.68, 6)
    // The price's own date is named, and it is old enough to warn.
    expect(outcome.stderr).toMatch(
      /warning: azure instance prices are from 2025-06-03 \(karpenter-azure-prices-30a2a7dc\)/,
    )
  })

  it('plans on another cloud than the measured type: a family like it, tier types replaced by their equivalent', async () => {
    const outcome = await runInProcess([
      'plan',
      'plans/example.yaml',
      '--history',
      'plans/data/sample-traffic.csv',
      '--capacity',
      'plans/data/synthetic-capacity.json',
      '--provider',
      'gcp',
      '--json',
    ])
    expect(outcome.code, outcome.stderr).toBe(0)
    const doc = JSON.parse(outcome.stdout) as CapacityPlanDocument
    // The file's region (us-east-1) and families (c7g, m7g) are AWS's: GCP's default region, a family chosen.
    expect(doc).toMatchObject({provider: 'gcp', region: 'us-central1'})
    expect(doc.assumptions.find((a) => a.startsWith('fleet:'))).toMatch(
      /the gcp family like c7g \((compute, )?arm64\)|the gcp family like c7g \(compute\)/,
    )
    expect(doc.assumptions.find((a) => a.startsWith('capacity:'))).toContain('measured on c7g.large (aws)')
    expect(doc.assumptions.find((a) => a.startsWith('database:'))).toMatch(/r7g\.large → \S+, r7g\.2xlarge → \S+/)
  })
})

describe('plan --backtest', () => {
  /** Five whole months of hourly traffic: a daily cycle from 100 to 300/s, growing 3 % a month. */
  function history(): string {
    const file = join(tmp(), 'traffic.csv')
    const from = Date.UTC(2026, 0, 1)
    const hours = (31 + 28 + 31 + 30 + 31) * 24
    const rows = Array.from({length: hours}, (_, i) => {
      const level = 200 + 100 * Math.sin((2 * Math.PI * (i % 24)) / 24)
      return `${new Date(from + i * 3_600_000).toISOString()},${(level * 1.03 ** (i / 730)).toFixed(2)}`
    })
    writeFileSync(file, `timestamp,value\n${rows.join('\n')}\n`)
    return file
  }
  const base = (file: string) => ['plan', '--history', file, '--per-instance', '100/s', '--instance-type', 'c7g.large']

  it('plans from the history before the cut and scores the months after it', async () => {
    const {code, stdout, stderr} = await runInProcess([...base(history()), '--backtest', '2mo', '--json'])
    expect(code, stderr).toBe(0)
    const doc = JSON.parse(stdout) as PlanBacktestDocument
    expect(doc.schema).toBe('loadplan/plan-backtest')
    expect(doc.cutAt).toBe('2026-04-01T00:00:00.000Z')
    expect(doc.months.map((m) => new Date(m.startMs).toISOString().slice(0, 7))).toEqual(['2026-04', '2026-05'])
    // The plan knew three months: its own months are the two scored.
    expect(doc.plan.plan.months).toHaveLength(2)
    // April's actual peak: 300 × 1.03^(hour / 730) at its last 18:00 ≈ 300 × 1.03^(2870/730).
    expect(doc.months[0]?.actualPeakRps).toBeCloseTo(300 * 1.03 ** ((90 * 24 + 29 * 24 + 6) / 730), 0)
    // A regular history: the plan's fleet carries both months.
    expect(doc.summary.overloadedMonths).toBe(0)
    expect(doc.summary.underProvisionedInstanceMonths).toBe(0)
    const table = await runInProcess([...base(history()), '--backtest', '2mo'])
    expect(table.stdout).toMatch(/planned from the history before 2026-04-01, scored on 2 months/)
    expect(table.stdout).toMatch(/peak inside the plan's P10–P90: \d+ % of months/)
  })

  it('says what is missing: a stated growth, too little history, a bad length', async () => {
    const growth = await runInProcess([
      'plan',
      '--per-instance',
      '100/s',
      '--instance-type',
      'c7g.large',
      '--peak',
      '300/s',
      '--growth',
      '3%/mo',
      '--backtest',
      '2mo',
    ])
    expect(growth.code).toBe(2)
    expect(growth.stderr).toMatch(/--backtest: scores a forecast against the history it cut off/)
    const short = await runInProcess([...base(history()), '--backtest', '5mo'])
    expect(short.code).toBe(2)
    expect(short.stderr).toMatch(/cutting 5 whole months off leaves 0 days of history before 2026-01-01/)
    const bad = await runInProcess([...base(history()), '--backtest', 'soon'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--backtest: expected whole months from 1 to 12, e.g. 3mo \(got "soon"\)/)
  })
})

describe('loadplan plan --regions (issue 32)', () => {
  const base = ['plan', '--per-instance', '100/s', '--instance-type', 'n2-standard-2', '--family', 'n2']
  const flat = ['--peak', '900/s', '--growth', '0%/mo', '--months', '2', '--target-utilization', '100%']

  it('three active-active regions sharing 900/s: each sized for 450/s at its own prices, and the total', async () => {
    const {code, stdout, stderr} = await runInProcess([
      ...base,
      ...flat,
      '--redundancy',
      'none',
      '--regions',
      'gcp:us-east1,gcp:europe-west1,gcp:us-central1',
      '--replication',
      '2kB@10%',
      '--format',
      'json',
    ])
    expect(code, stderr).toBe(0)
    const doc = JSON.parse(stdout) as CapacityPlanDocument
    const section = doc.regions as NonNullable<CapacityPlanDocument['regions']>
    expect(section.regions.map((r) => `${r.provider} ${r.region}`)).toEqual([
      'gcp us-east1',
      'gcp europe-west1',
      'gcp us-central1',
    ])
    for (const r of section.regions) {
      expect(r.share).toBeCloseTo(1 / 3, 12)
      expect(r.sizedShare).toBeCloseTo(0.5, 12)
      expect(r.plan.region).toBe(r.region)
      for (const m of r.plan.plan.months) {
        // Its 300/s plus half of a lost region's 300/s; the mean (egress, replication) is its own 150/s.
        expect(m.sizedPeakRps).toBeCloseTo(450, 9)
        expect(m.meanRps).toBeCloseTo(150, 9)
        const perInstance = r.plan.plan.options.find((o) => o.type === m.type)?.perInstanceRps as number
        expect(m.instances).toBe(Math.ceil(450 / perInstance - 1e-9))
      }
    }
    // Europe is dearer than the US at the same type: the regions are priced apart.
    const [east, europe] = section.regions
    expect(europe?.plan.plan.totals.totalUsd).toBeGreaterThan(east?.plan.plan.totals.totalUsd as number)
    for (const [k, m] of section.months.entries()) {
      const regionsUsd = section.regions.reduce((s, r) => s + (r.plan.plan.months[k]?.totalUsd ?? 0), 0)
      expect(m.regionsUsd).toBeCloseTo(regionsUsd, 9)
      expect(m.totalUsd).toBeCloseTo(regionsUsd + m.replicationUsd, 9)
    }
    // GCP's inter-region prices are not in the catalog: counted, not priced, and said so.
    expect(section.replication?.months[0]?.gb).toBeCloseTo((3 * 2 * 150 * 0.1 * 2000 * 730 * 3600) / 2 ** 30, 6)
    expect(stderr).toContain('no transfer price for gcp us-east1 → gcp europe-west1')
    expect(doc.assumptions[0]).toContain('sized for 50 %')
  })

  it('prints the total and each region as a table, Markdown and CSV', async () => {
    const args = [...base, ...flat, '--regions', 'gcp:us-east1=60%,gcp:europe-west1=40%']
    const html = join(tmp(), 'plan.html')
    const table = await runInProcess([...args, '--format', 'table', '--html', html])
    expect(table.code).toBe(0)
    // The HTML leads with the regions: their cost stacked per month (2 months × 2 regions) and the table.
    const page = readFileSync(html, 'utf8')
    expect(page).toContain('<h2>Regions, active-active</h2>')
    expect(page.match(/class="bar region\d"/g)).toHaveLength(4)
    expect(table.stdout).toContain('active-active across 2 regions')
    expect(table.stdout).toContain('region 2 of 2: gcp europe-west1, sized for 100 % of the peak')
    const markdown = await runInProcess([...args, '--format', 'markdown'])
    expect(markdown.stdout).toMatch(/\| month \| gcp us-east1 \| gcp europe-west1 \| total \|/)
    const csv = await runInProcess([...args, '--format', 'csv'])
    const lines = csv.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^provider,region,share,sized_share,month,start,/)
    expect(lines.filter((l) => l.startsWith('gcp,us-east1,0.6000,1.0000,'))).toHaveLength(2)
    expect(lines.filter((l) => l.startsWith('gcp,europe-west1,0.4000,1.0000,'))).toHaveLength(2)
  })

  it('reads plan.regions and plan.replication from the service file, with a price per GB given', async () => {
    const file = join(tmp(), 'service.yaml')
    writeFileSync(
      file,
      'service: shop\nplan:\n  regions:\n    - {provider: gcp, region: us-east1, share: 60}\n    - {provider: gcp, region: europe-west1, share: 40%}\n  replication: {bytesPerWrite: 2kB, writeRatio: 10%, usdPerGB: 0.02}\n',
    )
    const {code, stdout, stderr} = await runInProcess([...base, ...flat, file, '--format', 'json'])
    expect(code, stderr).toBe(0)
    const section = (JSON.parse(stdout) as CapacityPlanDocument).regions as NonNullable<CapacityPlanDocument['regions']>
    expect(section.regions.map((r) => r.share)).toEqual([expect.closeTo(0.6, 12), expect.closeTo(0.4, 12)])
    const month1 = section.replication?.months[0] as {gb: number; usd: number}
    // Each region's writes go to the one other: 450/s × 0.1 × 2,000 B × 2,628,000 s in all.
    expect(month1.gb).toBeCloseTo((450 * 0.1 * 2000 * 730 * 3600) / 2 ** 30, 6)
    expect(month1.usd).toBeCloseTo(month1.gb * 0.02, 9)
    expect(stderr).not.toContain('no transfer price')
  })

  it('refuses bad regions, every problem at once', async () => {
    const {code, stderr} = await runInProcess([
      ...base,
      ...flat,
      '--region',
      'us-east1',
      '--regions',
      'gcp:us-east1=70%,gcp:us-east1=20%,oracle:x=5%',
    ])
    expect(code).toBe(2)
    expect(stderr).toContain('names a region twice')
    expect(stderr).toContain('expected a provider of aws, gcp, azure')
    expect(stderr).toContain('each region of --regions (plan.regions) names its provider and region')
    const sum = await runInProcess([...base, ...flat, '--regions', 'gcp:us-east1=70%,gcp:europe-west1=20%'])
    expect(sum.stderr).toContain('the shares sum to 90.0 %')
    const unpriced = await runInProcess([...base, ...flat, '--regions', 'aws:us-east-1,aws:mx-central-1'])
    expect(unpriced.code).toBe(2)
    expect(unpriced.stderr).toContain('no aws prices in mx-central-1')
    const alone = await runInProcess([...base, ...flat, '--replication', '2kB@10%'])
    expect(alone.stderr).toContain('replication is between regions or to a database standby: give --regions')
  })
})

describe('loadplan plan --serverless (issue 32)', () => {
  it("prices the plan's requests on three platforms with the capacity search's service time", async () => {
    // The lightest passing step (200/s) answered in 20 ms and 30 ms, half each: a mean of 25 ms;
    // the heavier steps, slower from queueing, are not the service time.
    const capacity = capacityResultFixture()
    capacity.steps = capacity.steps.map((step) => ({
      ...step,
      histogram: encoded(step.offeredRatePerSec === 200 ? [...Array(500).fill(20), ...Array(500).fill(30)] : [90, 95]),
    }))
    const file = join(tmp(), 'cap.json')
    writeFileSync(file, JSON.stringify(capacity))
    const {code, stdout, stderr} = await runInProcess([
      'plan',
      '--capacity',
      file,
      '--peak',
      '600/s',
      '--growth',
      '0%/mo',
      '--months',
      '2',
      '--serverless',
      '--format',
      'json',
    ])
    expect(code, stderr).toBe(0)
    const doc = JSON.parse(stdout) as CapacityPlanDocument
    const section = doc.serverless as NonNullable<CapacityPlanDocument['serverless']>
    expect(section.serviceTimeMs).toBeCloseTo(25, 1)
    expect(section.memoryMB).toBe(512)
    expect(section.platforms.map((p) => p.platform)).toEqual(['aws-lambda', 'gcp-cloud-run', 'azure-functions'])
    const lambda = section.platforms[0] as (typeof section.platforms)[number]
    const m1 = lambda.months[0] as (typeof lambda.months)[number]
    // 600/s peak, mean 50 % = 300/s: 788.4 M requests in 730 h; 25 ms billed to the ms (25 or 26 by the
    // histogram's bucket) at 0.5 GB.
    expect(m1.requests).toBeCloseTo(300 * 730 * 3600, 3)
    expect(m1.gbSeconds / m1.requests).toBeCloseTo(lambda.billedDurationMs / 1000 / 2, 9)
    expect(m1.totalUsd).toBeCloseTo(((m1.requests - 1e6) / 1e6) * 0.2 + (m1.gbSeconds - 400_000) * 0.0000166667, 2)
    // Little's law at the peak the fleet is sized for.
    expect(m1.peakConcurrency).toBeCloseTo(
      ((doc.plan.months[0]?.sizedPeakRps as number) * section.serviceTimeMs) / 1000,
      6,
    )
    expect(section.comparison).toHaveLength(6)
    expect(section.instances?.type).toBe(doc.plan.months[0]?.type)
    const table = await runInProcess([
      'plan',
      '--capacity',
      file,
      '--peak',
      '600/s',
      '--growth',
      '0%/mo',
      '--serverless',
      '--format',
      'table',
    ])
    expect(table.stdout).toContain('serverless, the same requests (512 MiB per function; mean service time 25.')
    expect(table.stdout).toContain('instances cheaper from')
  })

  it('needs a service time, and refuses its flags without --serverless', async () => {
    const growth = ['plan', '--per-instance', '100/s', '--vcpus', '2', '--peak', '600/s', '--growth', '0%/mo']
    const none = await runInProcess([...growth, '--serverless'])
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('--service-time: give the mean time per request')
    const alone = await runInProcess([...growth, '--service-time', '80ms', '--serverless-memory', '64MiB'])
    expect(alone.code).toBe(2)
    expect(alone.stderr).toContain('prices the serverless alternative: add --serverless')
    const small = await runInProcess([
      ...growth,
      '--serverless',
      '--service-time',
      '80ms',
      '--serverless-memory',
      '64MiB',
    ])
    expect(small.stderr).toContain('expected memory per function from 128MiB to 32GiB')
  })
})

describe('plan.tiers.queue (issue 32)', () => {
  it('sizes queue consumers each month by Erlang C, prices them in compute and says when partitions must grow', async () => {
    const file = join(tmp(), 'queue.yaml')
    writeFileSync(
      file,
      'service: orders\nplan:\n  tiers:\n    queue: {messagesPerRequest: 1, serviceTime: 100ms, lag: "p99 < 100ms", partitions: 6, consumersPerInstance: 3, instanceType: c7g.large}\n',
    )
    const {code, stdout, stderr} = await runInProcess([
      'plan',
      file,
      '--per-instance',
      '100/s',
      '--instance-type',
      'c7g.large',
      '--peak',
      '50/s',
      '--growth',
      '0%/mo',
      '--months',
      '2',
      '--format',
      'json',
    ])
    expect(code, stderr).toBe(0)
    const doc = JSON.parse(stdout) as CapacityPlanDocument
    const m1 = doc.plan.months[0] as CapacityPlanDocument['plan']['months'][number]
    // 50 msg/s × 100 ms, p99 wait < 100 ms: 8 consumers (test/unit/queue-tier.test.ts, Erlang C from Python).
    expect(m1.tiers?.queue).toMatchObject({messagesPerSec: 50, consumers: 8, instances: 3, partitionsNeeded: 8})
    expect(m1.tiers?.queue?.backlogMessages).toBeCloseTo(12_000, 6)
    expect(m1.tiers?.queue?.drainSeconds).toBeCloseTo(400, 6)
    const price = 0.0725 // c7g.large, us-east-1 on demand
    expect(m1.tiers?.queue?.costUsd).toBeCloseTo(3 * price * 730, 6)
    // Compute is the application's, as planned without the queue, plus the queue's.
    const without = await runInProcess([
      'plan',
      '--per-instance',
      '100/s',
      '--instance-type',
      'c7g.large',
      '--peak',
      '50/s',
      '--growth',
      '0%/mo',
      '--months',
      '2',
      '--format',
      'json',
    ])
    const app = (JSON.parse(without.stdout) as CapacityPlanDocument).plan.months[0]
    expect(m1.type).toBe(app?.type)
    expect(m1.computeUsd).toBeCloseTo((app?.computeUsd as number) + 3 * price * 730, 6)
    expect(stderr).toContain('the queue has 6 partitions but month 1 needs 8 consumers')
    expect(doc.assumptions.some((a) => a.startsWith('queue: 1 message per request'))).toBe(true)
    const bad = join(tmp(), 'bad-queue.yaml')
    writeFileSync(
      bad,
      'plan:\n  tiers:\n    queue: {lag: "within 30s", spike: {factor: 0.5}, instanceType: c7g.large}\n',
    )
    const refused = await runInProcess([
      'plan',
      bad,
      '--per-instance',
      '100/s',
      '--instance-type',
      'c7g.large',
      '--peak',
      '50/s',
      '--growth',
      '0%/mo',
    ])
    expect(refused.code).toBe(2)
    for (const field of ['plan.tiers.queue.serviceTime', 'plan.tiers.queue.lag', 'plan.tiers.queue.spike.factor'])
      expect(refused.stderr).toContain(field)
  })
})

describe('loadplan plan --passive (issue 32)', () => {
  const base = ['plan', '--per-instance', '100/s', '--instance-type', 'n2-standard-2', '--family', 'n2']
  const flat = ['--peak', '900/s', '--growth', '0%/mo', '--months', '2', '--storage-gb', '500']
  const place = ['--provider', 'gcp', '--region', 'us-east1', '--passive', 'gcp:europe-west1']
  const section = async (args: string[]) => {
    const {code, stdout, stderr} = await runInProcess([...base, ...flat, ...place, ...args, '--format', 'json'])
    expect(code, stderr).toBe(0)
    const doc = JSON.parse(stdout) as CapacityPlanDocument
    return {doc, section: doc.regions as NonNullable<CapacityPlanDocument['regions']>, stderr}
  }

  it('warm standby: a share of the fleet the passive region needs, its data, and what failover adds', async () => {
    const {doc, section: s} = await section([
      '--standby',
      'warm:25%',
      '--instance-start',
      '2m',
      '--replication',
      '2kB@10%',
    ])
    expect(s.mode).toBe('active-passive')
    expect(s.regions.map((r) => r.role)).toEqual(['active', 'passive'])
    const active = s.regions[0]?.plan.plan.months[0] as CapacityPlanDocument['plan']['months'][number]
    const full = s.regions[1]?.plan.plan.months[0] as CapacityPlanDocument['plan']['months'][number]
    // The active region is the one-region plan; the passive one is planned for everything at its own prices.
    expect(doc.plan.months[0]).toEqual(active)
    expect(full.sizedPeakRps).toBeCloseTo(active.sizedPeakRps, 9)
    const standby = s.standby?.months[0] as NonNullable<typeof s.standby>['months'][number]
    expect(standby.instances).toBe(Math.ceil(full.instances * 0.25))
    expect(standby.addAtFailover).toBe(full.instances - standby.instances)
    expect(standby.readyS).toBe(120)
    // Its data (block storage) plus the running share at the passive region's price per instance.
    expect(standby.usd).toBeCloseTo(full.storageUsd + (standby.instances * full.computeUsd) / full.instances, 6)
    expect(s.months[0]?.totalUsd).toBeCloseTo(active.totalUsd + standby.usd + (s.months[0]?.replicationUsd ?? 0), 6)
    // Only the active region writes: 450/s × 0.1 × 2,000 B over 730 h, one way.
    expect(s.replication?.months[0]?.gb).toBeCloseTo((450 * 0.1 * 2000 * 730 * 3600) / 2 ** 30, 6)
    expect(doc.assumptions[0]).toMatch(/adds \d+ × \S+ to its \d+ \(ready after 2 min\)/)
  })

  it('pilot light keeps the data only; hot keeps the whole fleet running', async () => {
    const pilot = (await section(['--standby', 'pilot-light'])).section
    const full = pilot.regions[1]?.plan.plan.months[0] as CapacityPlanDocument['plan']['months'][number]
    expect(pilot.standby?.months[0]).toMatchObject({instances: 0, addAtFailover: full.instances})
    expect(pilot.standby?.months[0]?.usd).toBeCloseTo(full.storageUsd, 6)
    const hot = (await section(['--standby', 'hot'])).section
    expect(hot.standby?.months[0]).toMatchObject({instances: full.instances, addAtFailover: 0, readyS: 0})
    expect(hot.standby?.months[0]?.usd).toBeCloseTo(full.computeUsd + full.storageUsd, 6)
  })

  it('refuses what cannot be planned, every problem at once', async () => {
    const bad = await runInProcess([
      ...base,
      ...flat,
      '--provider',
      'gcp',
      '--region',
      'us-east1',
      '--passive',
      'europe-west1',
      '--standby',
      'warm:150%',
      '--instance-start',
      '2h',
    ])
    expect(bad.code).toBe(2)
    for (const text of [
      'expected the passive region as PROVIDER:REGION',
      '--standby: expected pilot-light',
      '--instance-start',
    ])
      expect(bad.stderr).toContain(text)
    const alone = await runInProcess([...base, ...flat, '--standby', 'hot'])
    expect(alone.stderr).toContain('describes the passive region: add --passive')
    const both = await runInProcess([
      ...base,
      ...flat,
      '--regions',
      'gcp:us-east1,gcp:europe-west1',
      '--passive',
      'gcp:us-west1',
    ])
    expect(both.stderr).toContain('give either --regions (active-active) or --passive (active-passive), not both')
  })
})
