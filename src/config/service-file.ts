/**
 * The service file (`plans/*.yaml`): one file per service that every command reads the parts it
 * needs from. This module is pure: it takes the file's text and returns typed data or an
 * InputError listing every problem (field, value, fix).
 */
import {parseDocument} from 'yaml'
import {z} from 'zod'
import {PRICING_CHOICES} from '../core/catalog/providers.js'
import {InputError, problemsFromZod} from '../contracts/errors.js'
import {hasControlCharacter} from '../contracts/format/printable.js'

const durationText = z.union([z.string(), z.number()], {error: 'expected a duration such as "30s", "2m" or "500ms"'})
const rateText = z.union([z.string(), z.number()], {error: 'expected a rate such as 200 or "200/s"'})
const positiveInt = (what: string) =>
  z
    .number({error: `expected ${what} as a whole number`})
    .int({error: `expected ${what} as a whole number`})
    .positive({error: `${what} must be at least 1`})

const requestSchema = z.strictObject({
  method: z
    .string()
    .regex(/^[A-Za-z]+$/, {error: 'expected an HTTP method such as GET or POST'})
    .optional(),
  path: z.string({error: 'expected a path such as "/products?page=1"'}).optional(),
  headers: z
    .record(z.string(), z.union([z.string(), z.number()]), {error: 'expected a map of header names to values'})
    .optional(),
  query: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()]), {error: 'expected a map of query parameters'})
    .optional(),
  body: z.string({error: 'expected the body as a string (use json: for structured bodies)'}).optional(),
  json: z.unknown().optional(),
  bodyFile: z.string({error: 'expected the path of a file whose bytes are the body'}).optional(),
})

const checkSchema = z.strictObject({
  status: z
    .union([z.number().int(), z.array(z.number().int())], {
      error: 'expected a status code or a list, e.g. 200 or [200, 201]',
    })
    .optional(),
  header: z.record(z.string(), z.string(), {error: 'expected header names mapped to regular expressions'}).optional(),
  json: z
    .record(z.string(), z.unknown(), {error: 'expected JSON paths mapped to a value, {match: REGEX} or {exists: true}'})
    .optional(),
  body: z.string({error: 'expected a regular expression the body must match'}).optional(),
  abort: z.boolean({error: 'expected true (a failed check ends the journey) or false'}).optional(),
})

const extractSchema = z.strictObject({
  json: z.string().optional(),
  header: z.string().optional(),
  regex: z.string().optional(),
  cookie: z.string().optional(),
})

// Names reach terminals, JUnit and HTML: an escape sequence in one could rewrite the screen.
const displayName = (what: string) =>
  z
    .string({error: `expected ${what} as text`})
    .min(1, {error: `${what} cannot be empty`})
    .max(200, {error: `${what} is longer than 200 characters; shorten it`})
    .refine((text) => !hasControlCharacter(text), {
      error: `${what} holds a control character (such as ESC or a newline); use printable text`,
    })
/** Scenarios a run keeps apart (each has its own histogram and counters in every worker). */
const MAX_SCENARIOS = 10_000
/** Weights are relative; a bound keeps their sum finite and their shares meaningful. */
const MAX_WEIGHT = 1_000_000

const stepSchema = z.strictObject({
  name: displayName('a step name').optional(),
  request: requestSchema,
  think: z
    .union([z.string(), z.number()], {error: 'expected a pause such as 500ms or a range such as 1s..3s'})
    .optional(),
  check: checkSchema.optional(),
  extract: z
    .record(z.string(), extractSchema, {error: 'expected variable names mapped to {json|header|regex|cookie: …}'})
    .optional(),
})

const headerMap = z
  .record(z.string(), z.union([z.string(), z.number()]), {error: 'expected a map of header names to values'})
  .optional()

/** A WebSocket session (issue 34): the handshake's path, query and headers, then its messages. */
const wsSchema = z.strictObject({
  path: z.string({error: 'expected a path such as "/chat?room=1"'}).optional(),
  headers: headerMap,
  query: requestSchema.shape.query,
  messages: positiveInt('messages').optional(),
  send: z.string({error: 'expected the message as text (use json: for structured messages)'}).optional(),
  json: z.unknown().optional(),
  binary: z.boolean({error: 'expected true (binary frames) or false (text)'}).optional(),
  every: durationText.optional(),
  expect: checkSchema.optional(),
  extract: z.record(z.string(), extractSchema, {error: 'expected variable names mapped to {json|regex: …}'}).optional(),
  close: z.number({error: 'expected a close code such as 1000'}).int().optional(),
})

/** A gRPC call (issue 34): a method of a .proto file, its message and metadata. */
const grpcSchema = z.strictObject({
  proto: z.string({error: 'expected the path of the .proto file'}),
  importPaths: z.array(z.string(), {error: 'expected a list of directories imports are searched in'}).optional(),
  method: z.string({error: 'expected package.Service/Method, e.g. helloworld.Greeter/SayHello'}),
  message: z
    .union([z.string(), z.record(z.string(), z.unknown())], {
      error: 'expected the request message as a map (or JSON text)',
    })
    .optional(),
  metadata: headerMap,
  messages: positiveInt('messages').optional(),
  every: durationText.optional(),
})

const scenarioSchema = z.strictObject({
  name: displayName('a scenario name'),
  weight: z
    .number({error: 'expected a positive weight'})
    .positive({error: 'weight must be greater than 0'})
    .max(MAX_WEIGHT, {error: `weight must be at most ${MAX_WEIGHT.toLocaleString('en-US')}; weights are relative`})
    .optional(),
  request: requestSchema.optional(),
  steps: z
    .array(stepSchema, {error: 'expected a list of steps, each with a request'})
    .min(1, {error: 'a journey needs at least one step'})
    .optional(),
  cookies: z.boolean({error: 'expected true or false'}).optional(),
  ws: wsSchema.optional(),
  grpc: grpcSchema.optional(),
})

const stageSchema = z.strictObject({
  duration: durationText,
  target: rateText,
})

const loadSchema = z.strictObject({
  model: z
    .enum(['connections', 'closed', 'arrival-rate', 'open'], {
      error: 'expected "connections" (closed model) or "arrival-rate" (open model)',
    })
    .optional(),
  connections: positiveInt('connections').optional(),
  pipelining: positiveInt('pipelining').optional(),
  duration: durationText.optional(),
  amount: positiveInt('amount').optional(),
  rate: rateText.optional(),
  arrivalRate: rateText.optional(),
  startRate: rateText.optional(),
  stages: z.array(stageSchema, {error: 'expected a list of {duration, target} stages'}).optional(),
  maxInFlight: positiveInt('maxInFlight').optional(),
  workers: positiveInt('workers').optional(),
  streams: positiveInt('streams').optional(),
})

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

/** The `plan:` section: every key `loadplan plan` reads; a misspelt key is an error, not ignored. */
const planSchema = z.strictObject({
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

export const serviceFileSchema = z.strictObject({
  service: displayName('the service name').optional(),
  target: z.string({error: 'expected a base URL such as http://127.0.0.1:8080'}).optional(),
  /** Several instances of the service, balanced by loadplan itself (`balance:`). */
  targets: z
    .array(
      z.union([
        z.string(),
        z.strictObject({url: z.string(), weight: z.number().positive().max(MAX_WEIGHT).optional()}),
      ]),
      {
        error: 'expected a list of URLs, or of {url, weight}',
      },
    )
    .optional(),
  balance: z.string({error: `expected a balancing policy such as least-conn`}).optional(),
  headers: requestSchema.shape.headers,
  request: requestSchema.optional(),
  scenarios: z
    .array(scenarioSchema, {error: 'expected a list of scenarios'})
    .max(MAX_SCENARIOS, {
      error: `at most ${MAX_SCENARIOS.toLocaleString('en-US')} scenarios: each keeps its own tallies; group requests that share a purpose, or use a data file for the values that vary`,
    })
    .optional(),
  load: loadSchema.optional(),
  timeout: durationText.optional(),
  insecure: z.boolean({error: 'expected true or false'}).optional(),
  h2: z.boolean({error: 'expected true (HTTP/2) or false'}).optional(),
  dataFile: z.string({error: 'expected the path of a CSV file'}).optional(),
  thresholds: z.array(z.string({error: 'expected a threshold such as "p99 < 250ms"'})).optional(),
  redact: z.array(z.string({error: 'expected header or query parameter names'})).optional(),
  // Read by capacity, forecast and plan; run keeps them as given.
  slo: z.unknown().optional(),
  traffic: z.unknown().optional(),
  plan: planSchema.optional(),
})

export type ServiceFile = z.infer<typeof serviceFileSchema>
export type RequestEntry = z.infer<typeof requestSchema>
export type StepEntry = z.infer<typeof stepSchema>
export type WsEntry = z.infer<typeof wsSchema>
export type GrpcEntry = z.infer<typeof grpcSchema>
export type PlanSection = z.infer<typeof planSchema>

function knownKeysAt(path: readonly PropertyKey[]): string {
  const keysOf = (schema: z.ZodObject) => Object.keys(schema.shape).join(', ')
  const names = path.filter((key) => typeof key === 'string')
  const last = names.at(-1)
  if (last === 'load') return keysOf(loadSchema)
  if (last === 'stages') return keysOf(stageSchema)
  if (last === 'request') return keysOf(requestSchema)
  if (last === 'scenarios') return keysOf(scenarioSchema)
  if (last === 'steps') return keysOf(stepSchema)
  if (last === 'check') return keysOf(checkSchema)
  const planSchemas: Record<string, z.ZodObject> = {
    plan: planSchema,
    reserved: planSchema.shape.reserved.unwrap(),
    cloud: cloudSchema,
    storage: storageSchema,
    egress: egressSchema,
    tiers: tiersSchema,
    cache: cacheTierSchema,
    database: databaseTierSchema,
  }
  if (last !== undefined && planSchemas[last]) return keysOf(planSchemas[last] as z.ZodObject)
  return keysOf(serviceFileSchema)
}

/**
 * Parses and validates a service file.
 * @param text the YAML (or JSON) text
 * @param fileName used in messages only
 * @throws InputError listing every YAML and schema problem found
 */
export function parseServiceFile(text: string, fileName: string): ServiceFile {
  const document = parseDocument(text, {prettyErrors: true})
  if (document.errors.length > 0) {
    throw new InputError(
      `${fileName} is not valid YAML:`,
      document.errors.map((error) => ({
        field: error.linePos ? `line ${error.linePos[0].line}, column ${error.linePos[0].col}` : fileName,
        message: error.message.split('\n')[0] ?? error.message,
      })),
    )
  }
  let data: unknown
  try {
    data = document.toJS()
  } catch (error) {
    // yaml refuses aliases that expand without bound (a billion-laughs file) rather than exhaust memory.
    throw new InputError(`${fileName} cannot be read:`, [
      {
        field: fileName,
        message: `${(error as Error).message}; expand the YAML aliases (&name / *name) or use fewer of them`,
      },
    ])
  }
  return validateServiceFile(data, fileName)
}

/** A service file already read into plain data (YAML parsed, or built by an importer), checked. */
export function validateServiceFile(data: unknown, fileName: string): ServiceFile {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new InputError(`${fileName} is not a service file:`, [
      {field: fileName, message: 'expected a YAML mapping with keys such as target, scenarios, load and thresholds'},
    ])
  }
  const parsed = serviceFileSchema.safeParse(data)
  if (!parsed.success)
    throw new InputError(`${fileName} has problems:`, problemsFromZod(parsed.error.issues, data, '', knownKeysAt))
  return parsed.data
}
