/**
 * The rest of the bill a planner otherwise adds by hand (plan.bill): a load balancer, NAT
 * processing, traffic between zones, a database standby in another zone, and backups. Each is a
 * line of every month, priced from the catalog's network records at the month's mean load (the
 * way egress is), and added to the month's total. Pure.
 */
import {networkPriceFor} from '../catalog/catalog-lookup.js'
import type {Catalog, CatalogNetworkPrice, NetworkPriceKind} from '../catalog/catalog-schema.js'
import {HOURS_PER_MONTH, type Provider} from '../catalog/providers.js'
import type {BillLine, CapacityPlanResult} from '../../contracts/results/plan-document.js'
import {BYTES_PER_BILLED_GB, type Redundancy} from './capacity-plan.js'
import {grownBy} from './growth.js'
import type {Replication} from './multi-region.js'
import type {Tiers} from './tiers.js'

export interface BillOptions {
  /** One load balancer in front; a client makes this many requests on one connection (AWS counts new connections). */
  loadBalancer?: {requestsPerConnection: number}
  /** Bytes per request the service sends out through a NAT gateway (calls to outside APIs). */
  natBytesPerRequest?: number
  /** Bytes per request the application exchanges with the data tier; with zones:N, (N − 1)/N of them cross a zone. */
  crossZoneBytesPerRequest?: number
  /** A standby of every database primary in another zone (Multi-AZ). */
  databaseStandby?: boolean
  /** Daily snapshots kept `retentionDays`, each after the first storing the share of the data that changed. */
  backups?: {retentionDays: number; dailyChange: number}
}

/** An AWS LCU-hour covers 25 new connections/s or 1 GB processed in the hour (whichever is larger counts). */
const LCU_NEW_CONNECTIONS_PER_SEC = 25
const LCU_GB_PER_HOUR = 1
const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600

export interface BillContext {
  catalog: Catalog
  provider: Provider
  region: string
  redundancy: Redundancy
  /** Response bytes per request (--bytes-per-request): what the load balancer processes. */
  bytesPerRequest?: number | undefined
  /** With a database standby: what each write sends to it. */
  replication?: Replication | undefined
  tiers?: Tiers | undefined
  /** The application's own data now and its growth (--storage-gb, --storage-growth). */
  storageGb: number
  storageGrowthPerMonth: number
  /** The block-storage price the standby's copy of the data is kept at. */
  storageUsdPerGBMonth?: number | undefined
}

const gbOf = (ratePerSec: number, bytes: number) => (ratePerSec * SECONDS_PER_MONTH * bytes) / BYTES_PER_BILLED_GB
const fmt = (x: number, digits = 0) => x.toLocaleString('en-US', {maximumFractionDigits: digits})

/**
 * Adds each month's bill lines to the plan (months, their totals and ranges, the horizon's),
 * with a warning for every line the catalog cannot price here.
 */
export function withBillLines(
  plan: CapacityPlanResult,
  bill: BillOptions,
  context: BillContext,
): {plan: CapacityPlanResult; warnings: string[]; assumptions: string[]; used: CatalogNetworkPrice[]} {
  const {catalog, provider, region, redundancy, tiers} = context
  const warnings: string[] = []
  const price = (kind: NetworkPriceKind, item: string) => {
    const p = networkPriceFor(catalog, provider, region, kind)
    if (!p)
      warnings.push(
        `warning: the catalog has no ${kind} price for ${provider} ${region}; the ${item} is left out (add one with --catalog)`,
      )
    return p
  }
  const zones = redundancy.kind === 'zones' ? redundancy.zones : 1
  const lb = bill.loadBalancer ? price('load-balancer', 'load balancer') : undefined
  const nat = bill.natBytesPerRequest !== undefined ? price('nat-gateway', 'NAT gateway') : undefined
  const crossZone =
    bill.crossZoneBytesPerRequest !== undefined || (bill.databaseStandby && context.replication)
      ? price('cross-zone', 'cross-zone traffic')
      : undefined
  const snapshot = bill.backups ? price('snapshot', 'backups') : undefined
  if (bill.crossZoneBytesPerRequest !== undefined && zones < 2)
    warnings.push(
      'warning: --cross-zone counts calls between zones, but the fleet is in one zone (no --redundancy zones:N): none cross',
    )
  const db = tiers?.database
  const appShare = tiers?.cache ? 1 - tiers.cache.hitRatio : 1

  const months = plan.months.map((m) => {
    const lines: BillLine[] = []
    if (bill.loadBalancer && lb) {
      const processedGB = context.bytesPerRequest === undefined ? 0 : gbOf(m.meanRps, context.bytesPerRequest)
      const hoursUsd = HOURS_PER_MONTH * (lb.usdPerHour ?? 0)
      if (lb.usdPerCapacityUnitHour !== undefined) {
        const perHour = Math.max(
          m.meanRps / bill.loadBalancer.requestsPerConnection / LCU_NEW_CONNECTIONS_PER_SEC,
          processedGB / HOURS_PER_MONTH / LCU_GB_PER_HOUR,
        )
        const lcuHours = perHour * HOURS_PER_MONTH
        lines.push({
          item: 'load balancer',
          quantity: `730 h + ${fmt(lcuHours)} LCU-h`,
          usd: hoursUsd + lcuHours * lb.usdPerCapacityUnitHour,
        })
      } else
        lines.push({
          item: 'load balancer',
          quantity: `730 h + ${fmt(processedGB, 1)} GB processed`,
          usd: hoursUsd + processedGB * (lb.usdPerGB ?? 0),
        })
    }
    if (bill.natBytesPerRequest !== undefined && nat) {
      const gb = gbOf(m.meanRps * appShare, bill.natBytesPerRequest)
      const perInstance = nat.usdPerInstanceHour !== undefined
      // Cloud NAT is billed per instance behind it (capped); AWS and Azure gateways one per zone.
      const hourlyUsd = perInstance
        ? Math.min(m.instances, nat.maxInstances ?? Infinity) * (nat.usdPerInstanceHour as number)
        : zones * (nat.usdPerHour ?? 0)
      lines.push({
        item: 'NAT gateway',
        quantity: `${perInstance ? `${Math.min(m.instances, nat.maxInstances ?? Infinity)} instances` : `${zones} gateway${zones === 1 ? '' : 's'}`} × 730 h + ${fmt(gb, 1)} GB`,
        usd: hourlyUsd * HOURS_PER_MONTH + gb * (nat.usdPerGB ?? 0),
      })
    }
    if (crossZone) {
      const callsGB =
        bill.crossZoneBytesPerRequest === undefined
          ? 0
          : (gbOf(m.meanRps * appShare, bill.crossZoneBytesPerRequest) * (zones - 1)) / zones
      const replication = context.replication
      const standbyGB =
        bill.databaseStandby && replication
          ? gbOf(m.meanRps * appShare * replication.writeRatio, replication.bytesPerWrite)
          : 0
      lines.push({
        item: 'cross-zone traffic',
        quantity: `${fmt(callsGB + standbyGB, 1)} GB`,
        usd: (callsGB + standbyGB) * (crossZone.usdPerGB ?? 0),
      })
    }
    const sizedDb = m.tiers?.database
    if (bill.databaseStandby && db && sizedDb) {
      const storageUsd = sizedDb.storageGB * (context.storageUsdPerGBMonth ?? 0)
      lines.push({
        item: 'database standby',
        quantity: `${sizedDb.shards} × ${db.type} + ${fmt(sizedDb.storageGB)} GB`,
        usd: sizedDb.shards * db.priceUsdPerHour * HOURS_PER_MONTH + storageUsd,
      })
    }
    if (bill.backups && snapshot) {
      const dataGB =
        (context.storageGb > 0 ? grownBy(context.storageGb, context.storageGrowthPerMonth, m.month) : 0) +
        (sizedDb?.storageGB ?? 0)
      const storedGB = dataGB * (1 + bill.backups.dailyChange * (bill.backups.retentionDays - 1))
      lines.push({
        item: 'backups',
        quantity: `${fmt(storedGB)} GB of snapshots`,
        usd: storedGB * (snapshot.usdPerGBMonth ?? 0),
      })
    }
    const otherUsd = lines.reduce((s, l) => s + l.usd, 0)
    const add = (r: {p10: number; p50: number; p90: number}) => ({
      p10: r.p10 + otherUsd,
      p50: r.p50 + otherUsd,
      p90: r.p90 + otherUsd,
    })
    return {
      ...m,
      bill: lines,
      otherUsd,
      totalUsd: m.totalUsd + otherUsd,
      range: {...m.range, totalUsd: add(m.range.totalUsd)},
    }
  })
  const otherUsd = months.reduce((s, m) => s + m.otherUsd, 0)
  const range = plan.totals.totalUsdRange
  return {
    plan: {
      ...plan,
      months,
      totals: {
        ...plan.totals,
        otherUsd,
        totalUsd: plan.totals.totalUsd + otherUsd,
        totalUsdRange: {p10: range.p10 + otherUsd, p50: range.p50 + otherUsd, p90: range.p90 + otherUsd},
      },
    },
    warnings,
    assumptions: [billAssumption(bill, context, {lb, nat, crossZone, snapshot, zones})],
    used: [lb, nat, crossZone, snapshot].filter((p): p is CatalogNetworkPrice => p !== undefined),
  }
}

/** What each line counts and at which price, in one sentence per line. */
function billAssumption(
  bill: BillOptions,
  context: BillContext,
  p: {
    lb: CatalogNetworkPrice | undefined
    nat: CatalogNetworkPrice | undefined
    crossZone: CatalogNetworkPrice | undefined
    snapshot: CatalogNetworkPrice | undefined
    zones: number
  },
): string {
  const parts: string[] = []
  if (bill.loadBalancer && p.lb)
    parts.push(
      p.lb.usdPerCapacityUnitHour !== undefined
        ? `load balancer: one, $${p.lb.usdPerHour}/h + $${p.lb.usdPerCapacityUnitHour} per LCU-hour, LCUs the larger of new connections/s ÷ 25 (${bill.loadBalancer.requestsPerConnection} requests per connection) and GB processed per hour${context.bytesPerRequest === undefined ? ' (not counted: no --bytes-per-request)' : ` (${context.bytesPerRequest} bytes per request)`} at the month's mean load; active connections and rule evaluations assumed not to set the count (${p.lb.source})`
        : `load balancer: one rule, $${p.lb.usdPerHour}/h + $${p.lb.usdPerGB}/GB processed${context.bytesPerRequest === undefined ? ' (not counted: no --bytes-per-request)' : ` (${context.bytesPerRequest} bytes per request)`} at the month's mean load (${p.lb.source})`,
    )
  if (bill.natBytesPerRequest !== undefined && p.nat)
    parts.push(
      `NAT: ${bill.natBytesPerRequest} bytes per request out through it at $${p.nat.usdPerGB}/GB, ${p.nat.usdPerInstanceHour !== undefined ? `$${p.nat.usdPerInstanceHour} per instance-hour up to ${p.nat.maxInstances} instances` : `one gateway per zone (${p.zones}) at $${p.nat.usdPerHour}/h`} (${p.nat.source})`,
    )
  if (p.crossZone)
    parts.push(
      `cross-zone: ${bill.crossZoneBytesPerRequest !== undefined ? `${bill.crossZoneBytesPerRequest} bytes per request to the data tier, ${p.zones - 1} in ${p.zones} calls to another zone` : 'no calls counted'}${bill.databaseStandby && context.replication ? `, and every write's ${context.replication.bytesPerWrite} bytes to the standby` : ''}, $${p.crossZone.usdPerGB} per GB that crosses (${p.crossZone.source})`,
    )
  if (bill.databaseStandby && context.tiers?.database)
    parts.push(
      `database standby: one ${context.tiers.database.type} per shard in another zone, with a copy of its data, at the database's prices`,
    )
  if (bill.backups && p.snapshot)
    parts.push(
      `backups: daily snapshots kept ${bill.backups.retentionDays} days, the first whole, each later one the ${(bill.backups.dailyChange * 100).toFixed(1)}% of the data that changed, of the application's and the database's data once, at $${p.snapshot.usdPerGBMonth}/GB-month (${p.snapshot.source})`,
    )
  return `the rest of the bill: ${parts.length > 0 ? parts.join('; ') : 'nothing priced'}`
}
