/**
 * The `plan:` section of a service file: every key `loadplan plan` reads (growth, redundancy,
 * cloud, storage, egress, tiers, regions, failover, serverless, the rest of the bill, pricing).
 * A misspelt key is an error, not ignored.
 */
import {z} from 'zod'
import {PRICING_CHOICES} from '../core/catalog/providers.js'
import {positiveInt} from './schema-fields.js'

const shareText = z.union([z.number(), z.string()], {error: 'expected a share such as 60% or 0.6'})
const growthText = z.string({error: 'expected a monthly growth such as "5%"'})
const positiveNumber = (what: string) =>
  z.number({error: `expected ${what} as a number`}).positive({error: `${what} must be greater than 0`})

const cacheTierSchema = z.strictObject({
  hitRatio: shareText.optional(),
  nodes: positiveInt('nodes').optional(),
  instanceType: z.string({error: 'expected an instance type such as r7g.large'}).optional(),
})

const databaseTierSchema = z.strictObject({
  queriesPerRequest: positiveNumber('queriesPerRequest').optional(),
  readShare: shareText.optional(),
  writeQpsPerPrimary: positiveNumber('writeQpsPerPrimary').optional(),
  readQpsPerReplica: positiveNumber('readQpsPerReplica').optional(),
  maxGBPerShard: positiveNumber('maxGBPerShard').optional(),
  storageGB: positiveNumber('storageGB').optional(),
  storageGrowth: growthText.optional(),
  instanceType: z.string({error: 'expected an instance type such as r7g.2xlarge'}).optional(),
})

const queueTierSchema = z.strictObject({
  messagesPerRequest: z.number({error: 'expected messages per request such as 2'}).min(0).optional(),
  serviceTime: z.union([z.string(), z.number()], {error: 'expected the time per message such as 80ms'}).optional(),
  lag: z.string({error: 'expected a wait objective such as "p99 < 30s"'}).optional(),
  partitions: positiveInt('partitions').optional(),
  consumersPerInstance: positiveInt('consumersPerInstance').optional(),
  spike: z
    .strictObject({
      factor: z.number({error: 'expected the spike over the peak, such as 2'}).optional(),
      duration: z.string({error: 'expected a duration such as 10m'}).optional(),
    })
    .optional(),
  instanceType: z.string({error: 'expected an instance type such as c7g.large'}).optional(),
})

const tiersSchema = z.strictObject({
  cache: cacheTierSchema.optional(),
  database: databaseTierSchema.optional(),
  queue: queueTierSchema.optional(),
})
const cloudSchema = z.strictObject({
  provider: z.string({error: 'expected aws, gcp or azure'}).optional(),
  region: z.string({error: 'expected a region such as us-east-1'}).optional(),
  families: z.array(z.string(), {error: 'expected a list of families such as [c7g, m7g]'}).optional(),
})
const storageSchema = z.strictObject({
  nowGB: z.number({error: 'expected GB as a number'}).min(0, {error: 'expected GB ≥ 0'}).optional(),
  growth: z.union([z.literal('auto'), growthText]).optional(),
})
const egressSchema = z.strictObject({
  bytesPerRequest: z.union([z.string(), z.number()], {error: 'expected a size such as 18kB'}).optional(),
})

export const planSchema = z.strictObject({
  horizonMonths: positiveInt('horizonMonths').optional(),
  growth: z
    .union([z.string(), z.strictObject({monthly: growthText})], {error: 'expected auto or {monthly: 8%}'})
    .optional(),
  redundancy: z
    .union([z.string(), z.strictObject({zones: positiveInt('zones')})], {
      error: 'expected n+1, n+2, none or {zones: 3}',
    })
    .optional(),
  cloud: cloudSchema.optional(),
  storage: storageSchema.optional(),
  egress: egressSchema.optional(),
  tiers: tiersSchema.optional(),
  /** Active-active across regions: each region's share of the traffic. */
  regions: z
    .array(
      z.strictObject({
        provider: z.string({error: 'expected aws, gcp or azure'}),
        region: z.string({error: 'expected a region such as eu-west-1'}),
        share: z.union([z.string(), z.number()], {error: 'expected a share of the traffic such as 40%'}).optional(),
      }),
      {error: 'expected a list of {provider, region, share}'},
    )
    .optional(),
  /** Active-passive: the passive region, its standby and the time an instance takes to serve. */
  failover: z
    .strictObject({
      passive: z.union([z.string(), z.strictObject({provider: z.string(), region: z.string()})], {
        error: 'expected the passive region as gcp:europe-west1 or {provider, region}',
      }),
      standby: z.string({error: 'expected pilot-light, warm:25% or hot'}).optional(),
      instanceStart: z.string({error: 'expected a duration such as 3m'}).optional(),
    })
    .optional(),
  /** The serverless alternative beside the plan: memory per function, and the mean service time. */
  serverless: z
    .strictObject({
      memory: z.union([z.string(), z.number()], {error: 'expected a size such as 512MiB'}).optional(),
      serviceTime: z.union([z.string(), z.number()], {error: 'expected a duration such as 80ms'}).optional(),
    })
    .optional(),
  /** The rest of the bill: load balancer, NAT, cross-zone traffic, database standby, backups. */
  bill: z
    .strictObject({
      loadBalancer: z
        .union([z.boolean(), z.strictObject({requestsPerConnection: z.number()})], {
          error: 'expected true or {requestsPerConnection: 10}',
        })
        .optional(),
      nat: z.union([z.string(), z.number()], {error: 'expected bytes per request such as 2kB'}).optional(),
      crossZone: z.union([z.string(), z.number()], {error: 'expected bytes per request such as 4kB'}).optional(),
      databaseStandby: z.boolean({error: 'expected true or false'}).optional(),
      backups: z.string({error: 'expected retention@daily change such as 30d@2%'}).optional(),
    })
    .optional(),
  /** What each write sends to every other region (with regions). */
  replication: z
    .strictObject({
      bytesPerWrite: z.union([z.string(), z.number()], {error: 'expected a size such as 2kB'}),
      writeRatio: z.union([z.string(), z.number()], {error: 'expected writes per request such as 10%'}),
      usdPerGB: z.number({error: 'expected a price per GB such as 0.02'}).nonnegative().optional(),
    })
    .optional(),
  memoryPerInstance: z.union([z.string(), z.number()], {error: 'expected a size such as 3GiB'}).optional(),
  targetUtilization: z.union([z.string(), z.number()], {error: 'expected a percentage such as 70%'}).optional(),
  risk: z.union([z.string(), z.number()], {error: 'expected a percentage such as 5%'}).optional(),
  /** Replaced by `risk` in 0.5: read only to say so (plan-options.ts). */
  sizeOn: z.unknown().optional(),
  sizeBy: z.enum(['utilization', 'slo'], {error: 'expected utilization or slo'}).optional(),
  balance: z.string({error: 'expected a balancing policy such as least-conn'}).optional(),
  scaling: z.string({error: 'expected auto, static-web, stress-ng or vcpu'}).optional(),
  scaleFactor: z.number({error: 'expected a factor per doubling such as 0.9'}).optional(),
  holdType: z.boolean({error: 'expected true or false'}).optional(),
  pricing: z.enum(PRICING_CHOICES, {error: `expected one of ${PRICING_CHOICES.join(', ')}`}).optional(),
  /** A price book (YAML or CSV), relative to the service file. */
  priceBook: z.string({error: 'expected the path of a price book (YAML or CSV)'}).optional(),
  growthKind: z.enum(['compound', 'linear'], {error: 'expected compound or linear'}).optional(),
  meanToPeak: z.union([z.string(), z.number()], {error: 'expected a percentage such as 50%'}).optional(),
  reserved: z
    .strictObject({
      cpu: z.number({error: 'expected vCPUs as a number, e.g. 0.1'}).min(0).optional(),
      memory: z.union([z.string(), z.number()], {error: 'expected a size such as 0.5GiB'}).optional(),
    })
    .optional(),
})

export type PlanSection = z.infer<typeof planSchema>

/** The section's objects by their key, for the message that lists the keys a misspelt one could be. */
export const PLAN_SECTION_OBJECTS: Record<string, z.ZodObject> = {
  plan: planSchema,
  reserved: planSchema.shape.reserved.unwrap(),
  cloud: cloudSchema,
  storage: storageSchema,
  egress: egressSchema,
  tiers: tiersSchema,
  cache: cacheTierSchema,
  database: databaseTierSchema,
}
