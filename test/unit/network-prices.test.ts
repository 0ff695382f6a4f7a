/** The rest of the bill's prices: the golden-line reader and the shipped records it produced (issue 32). */
import {describe, expect, it} from 'vitest'
import {networkPriceFor} from '../../src/core/catalog/catalog-lookup.js'
import {catalogSchema} from '../../src/core/catalog/catalog-schema.js'
import {shippedCatalog as catalog} from '../../src/core/catalog/shipped-catalog.js'
import {goldenLinePrice, goldenUsagePrice} from '../../tools/catalog/sources/network-prices.js'

// Lines as infracost's golden files print them (lb_test, compute_router_nat_test, ebs_snapshot_test).
const LB = [
  ' aws_lb.alb1_usage                                                                  ',
  ' ├─ Application load balancer                730  hours                   $16.43    ',
  ' └─ Load balancer capacity units          1.3698  LCU                      $8.00  * ',
  ' └─ Load balancer capacity units  Monthly cost depends on usage: $5.84 per LCU      ',
].join('\n')
const NAT = ' ├─ Assigned VMs (first 32)                      2,920  VM-hours                 $4.09  * '

describe('network prices from golden files', () => {
  it('takes the unit price that reproduces a line to the cent, and refuses one that does not', () => {
    // $0.0225 × 730 = $16.425, printed $16.43; 1.3698 LCU-months × $5.84 = $8.00.
    expect(goldenLinePrice(LB, 'Application load balancer', 0.0225)).toBe(0.0225)
    expect(goldenLinePrice(LB, 'Load balancer capacity units', 5.84)).toBe(5.84)
    expect(goldenLinePrice(LB, 'Application load balancer', 0.0252)).toBeUndefined()
    // 2,920 VM-hours × $0.0014 = $4.088 → $4.09.
    expect(goldenLinePrice(NAT, 'Assigned VMs (first 32)', 0.0014)).toBe(0.0014)
    expect(goldenLinePrice(NAT, 'Data processed', 0.045)).toBeUndefined()
    expect(goldenUsagePrice(LB, 'Load balancer capacity units')).toBe(5.84)
  })

  it('ships dated, sourced records for each kind the plan prices', () => {
    expect(() => catalogSchema.parse(catalog)).not.toThrow()
    const aws = (kind: Parameters<typeof networkPriceFor>[3]) => networkPriceFor(catalog, 'aws', 'us-east-1', kind)
    expect(aws('load-balancer')).toMatchObject({usdPerHour: 0.0225, usdPerCapacityUnitHour: 0.008})
    expect(aws('nat-gateway')).toMatchObject({usdPerHour: 0.045, usdPerGB: 0.045})
    expect(aws('cross-zone')).toMatchObject({usdPerGB: 0.02})
    expect(aws('snapshot')).toMatchObject({usdPerGBMonth: 0.05})
    for (const record of catalog.network ?? []) {
      const source = catalog.sources.find((s) => s.id === record.source)
      expect(source?.generatedAt, record.source).toMatch(/^\d{4}-\d{2}-\d{2}/)
    }
    // Cloud NAT: the source's hourly figure is its cap, 32 instances at the per-instance price.
    for (const nat of (catalog.network ?? []).filter((n) => n.provider === 'gcp' && n.kind === 'nat-gateway'))
      expect((nat.usdPerInstanceHour ?? 0) * (nat.maxInstances ?? 0)).toBeCloseTo(nat.usdPerHour ?? -1, 9)
  })
})
