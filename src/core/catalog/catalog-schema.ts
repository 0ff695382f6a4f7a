/**
 * The price catalog: instance types, block and object storage, and internet egress, for AWS, GCP
 * and Azure, with the source and date of every price. The shipped catalog and user catalogs
 * (`--catalog`, e.g. negotiated prices) share this schema.
 */
import {z} from 'zod'
import {HOURS_PER_MONTH, INSTANCE_CLASSES, PROVIDERS} from './providers.js'

const positive = z.number().positive()
const priceMap = z.record(z.string(), positive)

export const sourceSchema = z.strictObject({
  id: z.string(),
  description: z.string(),
  repository: z.string().optional(),
  path: z.string().optional(),
  commit: z.string().optional(),
  /** A web page, for a source that is not a repository. */
  url: z.string().optional(),
  /** When the source itself says its data was generated (or last changed). */
  generatedAt: z.string(),
  license: z.string().optional(),
})

export const instanceSchema = z.strictObject({
  provider: z.enum(PROVIDERS),
  type: z.string().min(1),
  family: z.string().min(1),
  class: z.enum(INSTANCE_CLASSES),
  arch: z.enum(['x86_64', 'arm64']),
  vcpu: positive,
  memoryGiB: positive,
  /** Baseline network bandwidth where the source states it. */
  networkGbps: positive.optional(),
  currentGeneration: z.boolean(),
  /** Hourly on-demand Linux list price, USD, by region. */
  priceUsdPerHour: priceMap.refine((prices) => Object.keys(prices).length > 0, 'needs at least one region'),
  /** Hourly prices of the other kinds where the source has them, USD, by region: 1- and 3-year commitments without upfront payment, spot. */
  otherPricesUsdPerHour: z
    .strictObject({'1yr': priceMap.optional(), '3yr': priceMap.optional(), spot: priceMap.optional()})
    .optional(),
  /** Source ids (see `sources`) of the prices and the size; the first prices every region not in `regionSources`. */
  sources: z.array(z.string()).min(1),
  /** The source of each region's on-demand price that is not the first source's (an older, regional one). */
  regionSources: z.record(z.string(), z.string()).optional(),
  /** False where a value was derived by a rule rather than read from a source (see `notes`). */
  verified: z.boolean(),
  notes: z.string().optional(),
  /** Where a price that is not the source's came from ("on-demand us-east-1" → a price book's rule). */
  priceOrigins: z.record(z.string(), z.string()).optional(),
})

export const storageSchema = z.strictObject({
  provider: z.enum(PROVIDERS),
  /** e.g. ebs-gp3, pd-balanced, premium-ssd-p4, s3-standard. */
  kind: z.string(),
  category: z.enum(['block', 'object']),
  usdPerGBMonth: priceMap,
  source: z.string(),
  notes: z.string().optional(),
})

export const egressSchema = z.strictObject({
  provider: z.enum(PROVIDERS),
  /** Regions the tiers apply to (internet egress from them). */
  regions: z.array(z.string()).min(1),
  /** Consecutive tiers; the last one (upToGB: null) applies to everything beyond. */
  tiers: z.array(z.strictObject({upToGB: positive.nullable(), usdPerGB: z.number().nonnegative()})).min(1),
  /** Data sent to another region of the same cloud, per GB (one price, whatever the volume). */
  interRegionUsdPerGB: z.number().nonnegative().optional(),
  source: z.string(),
  notes: z.string().optional(),
})

/** The rest of the bill a plan may add (plan.bill): each a price per hour, per GB or per GB-month in some regions. */
export const NETWORK_PRICE_KINDS = ['load-balancer', 'nat-gateway', 'cross-zone', 'snapshot'] as const
export type NetworkPriceKind = (typeof NETWORK_PRICE_KINDS)[number]

export const networkPriceSchema = z.strictObject({
  provider: z.enum(PROVIDERS),
  kind: z.enum(NETWORK_PRICE_KINDS),
  regions: z.array(z.string()).min(1),
  /** The resource by the hour: one load balancer (or its one rule), one NAT gateway. */
  usdPerHour: z.number().nonnegative().optional(),
  /** GCP Cloud NAT: per instance behind it by the hour, up to `maxInstances` (then usdPerHour caps it). */
  usdPerInstanceHour: z.number().nonnegative().optional(),
  maxInstances: z.number().int().positive().optional(),
  /** Data processed (load balancer, NAT), or data that crosses a zone (per GB crossing, every direction billed included). */
  usdPerGB: z.number().nonnegative().optional(),
  /** AWS Application Load Balancer: per load balancer capacity unit (LCU) by the hour. */
  usdPerCapacityUnitHour: z.number().nonnegative().optional(),
  /** Snapshot storage. */
  usdPerGBMonth: z.number().nonnegative().optional(),
  source: z.string(),
  notes: z.string().optional(),
})

export const catalogSchema = z.strictObject({
  schemaVersion: z.literal(1),
  currency: z.literal('USD'),
  hoursPerMonth: z.literal(HOURS_PER_MONTH),
  /** The date the catalog was built. */
  generatedAt: z.string(),
  /** The oldest source date: what "prices as of" means. */
  pricesAsOf: z.string(),
  priceBasis: z.string(),
  defaultRegions: z.record(z.enum(PROVIDERS), z.string()),
  sources: z.array(sourceSchema),
  instances: z.array(instanceSchema),
  storage: z.array(storageSchema),
  egress: z.array(egressSchema),
  /** Load balancers, NAT gateways, cross-zone transfer and snapshots (plan.bill); optional in older catalogs. */
  network: z.array(networkPriceSchema).optional(),
  /** Records the build dropped, with why (e.g. suspect duplicated Azure meters). */
  excluded: z
    .array(z.strictObject({provider: z.enum(PROVIDERS), type: z.string(), region: z.string(), reason: z.string()}))
    .optional(),
  /** A price book (--price-book) applied over the prices: its file and its rules, one line each. */
  priceBook: z.strictObject({label: z.string(), rules: z.array(z.string())}).optional(),
})

export type Catalog = z.infer<typeof catalogSchema>
export type CatalogInstance = z.infer<typeof instanceSchema>
export type CatalogStorage = z.infer<typeof storageSchema>
export type CatalogEgress = z.infer<typeof egressSchema>
export type CatalogSource = z.infer<typeof sourceSchema>
export type CatalogNetworkPrice = z.infer<typeof networkPriceSchema>

/** User catalogs may leave out what they do not change. */
export const userCatalogSchema = catalogSchema.partial().extend({schemaVersion: z.literal(1)})

/** What a source parser knows of a type before prices are attached. */
export type SizedType = Pick<
  CatalogInstance,
  'type' | 'family' | 'class' | 'arch' | 'vcpu' | 'memoryGiB' | 'currentGeneration'
>
