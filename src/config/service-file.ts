/**
 * The service file (`plans/*.yaml`): one file per service that every command reads the parts it
 * needs from. This module is pure: it takes the file's text and returns typed data or an
 * InputError listing every problem (field, value, fix).
 */
import {parseDocument} from 'yaml'
import {z} from 'zod'
import {InputError, problemsFromZod} from '../contracts/errors.js'
import {hasControlCharacter} from '../contracts/format/printable.js'
import {durationText, positiveInt, rateText} from './schema-fields.js'
import {PLAN_SECTION_OBJECTS, planSchema} from './plan-section-schema.js'

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
  const planObject = last === undefined ? undefined : PLAN_SECTION_OBJECTS[last]
  if (planObject) return keysOf(planObject)
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
