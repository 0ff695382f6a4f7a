/** Capacity carried between instance types through the performance table (issue 18). */
import {describe, expect, it} from 'vitest'
import {findInstance} from '../../src/core/catalog/catalog-lookup.js'
import {findPerf, shippedPerfTable} from '../../src/core/catalog/perf-table.js'
import {shippedCatalog} from '../../src/core/catalog/shipped-catalog.js'
import {reliableStaticWeb, translateCapacity, type TypePerformance} from '../../src/core/planning/translate-capacity.js'

const PROVIDER_OF = (type: string) =>
  type.startsWith('Standard_') ? 'azure' : /^(e2|n2|n2d|c2|c3|c3d|t2d|t2a|n1|c4|n4)-/.test(type) ? 'gcp' : 'aws'
function typeOf(type: string): TypePerformance {
  const instance = findInstance(shippedCatalog, type, PROVIDER_OF(type))
  if (!instance) throw new Error(type)
  const performance: TypePerformance = {type, vcpu: instance.vcpu}
  const perf = findPerf(shippedPerfTable, instance.provider, type)
  if (perf) performance.perf = perf
  return performance
}

/** Twenty common types across the three clouds, 1 to 16 vCPUs. */
const COMMON = [
  'm6i.large',
  'm6i.xlarge',
  'm7i.large',
  'c7g.large',
  'c7g.xlarge',
  'm7g.large',
  'c6a.large',
  'm6a.xlarge',
  't3.medium',
  'r6i.large',
  'c7i.2xlarge',
  'e2-standard-2',
  'e2-standard-4',
  'n2-standard-2',
  'n2d-standard-4',
  'c3-standard-4',
  'Standard_D2s_v5',
  'Standard_D4s_v5',
  'Standard_D2as_v5',
  'Standard_E4s_v5',
]

describe('translating capacity between types', () => {
  it("reproduces the table's static-web ratio B/A for every pair of 20 common types (the issue asks ≥ 90 % within 10 %)", () => {
    const types = COMMON.map(typeOf)
    let pairs = 0
    let within = 0
    for (const a of types)
      for (const b of types) {
        if (a === b) continue
        pairs++
        const t = translateCapacity(1000, a, b, 'auto')
        const expected = (1000 * (b.perf?.staticWebRps as number)) / (a.perf?.staticWebRps as number)
        expect(t.basis, `${a.type} → ${b.type}`).toBe('static-web')
        if (Math.abs(t.perInstanceRps / expected - 1) <= 0.1) within++
      }
    expect(pairs).toBe(380)
    expect(within).toBe(380)
    // By hand, from the published figures: m6i.large 108,236 → c7g.large 129,279 req/s.
    expect(translateCapacity(450, typeOf('m6i.large'), typeOf('c7g.large'), 'auto').perInstanceRps).toBeCloseTo(
      (450 * 129_279) / 108_236,
      9,
    )
  })

  it('a CPU-bound service translates by stress-ng on all cores: one hyper-threaded core vs two real ones', () => {
    // m6i.large 1,923 bogo-ops/s on both vCPUs, c7g.large 3,043, e2-standard-2 1,452 (the table).
    const fromM6i = (to: string) => translateCapacity(1000, typeOf('m6i.large'), typeOf(to), 'stress-ng')
    expect(fromM6i('c7g.large')).toMatchObject({basis: 'stress-ng'})
    expect(fromM6i('c7g.large').ratio).toBeCloseTo(3043 / 1923, 9)
    expect(fromM6i('e2-standard-2').ratio).toBeCloseTo(1452 / 1923, 9)
  })

  it('falls back to vCPUs (× the factor per doubling) only where the table has no figure', () => {
    const unknown: TypePerformance = {vcpu: 2}
    const t = translateCapacity(450, unknown, typeOf('c7g.2xlarge'), 'auto', 0.9)
    // 8 / 2 = 4 vCPUs ratio, two doublings at 0.9: 450 × 4 × 0.81 = 1,458.
    expect(t).toMatchObject({basis: 'vcpu'})
    expect(t.perInstanceRps).toBeCloseTo(1458, 9)
  })

  it('replaces static-web figures limited by the benchmark itself with the prediction of the next smaller type', () => {
    const family = shippedCatalog.instances
      .filter((i) => i.provider === 'aws' && i.family === 'c7g')
      .map((i) => ({type: i.type, family: i.family, vcpu: i.vcpu, perf: findPerf(shippedPerfTable, 'aws', i.type)}))
    const {rps, replaced} = reliableStaticWeb(family)
    // c7g.8xlarge serves 1,399,841 req/s; c7g.12xlarge measured 1,012,954, below half of 1,399,841 ×
    // the two types' stress-ng ratio, so it becomes 1,399,841 × cores(12xlarge) / cores(8xlarge).
    const cores = (type: string) => findPerf(shippedPerfTable, 'aws', type)?.stressngCores?.at(-1)?.[1] as number
    expect(replaced).toContain('c7g.12xlarge')
    expect(rps.get('c7g.12xlarge')).toBeCloseTo((1_399_841 * cores('c7g.12xlarge')) / cores('c7g.8xlarge'), 6)
    expect(rps.get('c7g.8xlarge')).toBe(1_399_841) // in line with the smaller types: kept
    // Every size serves at least as much as the next smaller one.
    const sizes = family.filter((m) => rps.has(m.type) && !m.type.includes('metal')).sort((a, b) => a.vcpu - b.vcpu)
    for (let i = 1; i < sizes.length; i++)
      expect(rps.get(sizes[i]?.type as string)).toBeGreaterThanOrEqual(rps.get(sizes[i - 1]?.type as string) as number)
  })
})
