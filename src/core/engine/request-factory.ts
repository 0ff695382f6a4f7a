/**
 * Turns validated scenarios into undici dispatch options. A static request is built once and the
 * same options object is handed to every dispatch; only requests with placeholders are rebuilt.
 */
import type {Dispatcher} from 'undici'
import type {DataRows, RequestSpec} from './run-options.js'
import {createRandom} from '../../contracts/stats/random.js'
import {globalIndex, sliceSeed, type WorkSlice} from './work-slice.js'
import {
  compileTemplate,
  varsBeforeSteps,
  type CompiledTemplate,
  type TemplateContext,
  type VarsInScope,
} from './template.js'

export type DispatchOptions = Dispatcher.DispatchOptions

interface CompiledRequest {
  method: string
  path: CompiledTemplate
  query: Array<[string, CompiledTemplate]>
  headers: Array<[string, CompiledTemplate]>
  body: CompiledTemplate | undefined
  /** A body file's bytes: one buffer every request sends. */
  bodyBytes: Buffer | undefined
  /** Prebuilt options when nothing in the request varies. */
  staticOptions: DispatchOptions | undefined
}

export interface RequestFactoryOptions {
  scenarios: readonly RequestSpec[]
  data?: DataRows
  seed: number
  /** This thread's part of the run: sequence numbers are unique across workers and segments. */
  slice: WorkSlice
}

function mustCompile(
  text: string,
  dataColumns: readonly string[] | undefined,
  escape?: (value: string) => string,
  vars?: VarsInScope,
): CompiledTemplate {
  const compiled = compileTemplate(text, {...(dataColumns ? {dataColumns} : {}), ...(vars ? {vars} : {}), escape})
  // Validation already ran in resolveRunOptions; reaching this is a bug.
  if ('errors' in compiled) throw new Error(`template was not validated: ${compiled.errors.join('; ')}`)
  return compiled
}

// Bytes a request target may not hold as they are (RFC 9112 §3.2: visible ASCII only).
const NOT_IN_REQUEST_TARGET = /[^\x21-\x7e]+/g

/**
 * Percent-encodes, as UTF-8, whatever in a path cannot go on the wire as it is: spaces, control
 * characters and non-ASCII text (`/café/日本`). undici refused characters past U+00FF and sent
 * the others as Latin-1 bytes. Escapes already in the path (`%20`) are kept. A cheap test first:
 * most paths need nothing.
 */
export function encodePath(path: string): string {
  NOT_IN_REQUEST_TARGET.lastIndex = 0
  return NOT_IN_REQUEST_TARGET.test(path) ? path.replace(NOT_IN_REQUEST_TARGET, percentEncoded) : path
}

/** UTF-8 bytes as %XX; a lone surrogate becomes U+FFFD's bytes (encodeURIComponent would throw). */
function percentEncoded(text: string): string {
  let out = ''
  for (const byte of Buffer.from(text, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  return out
}

const jsonEscape = (value: string) => JSON.stringify(value).slice(1, -1)

type RequestFields = Omit<RequestSpec, 'name' | 'weight' | 'steps' | 'cookies'>

function compileRequest(
  spec: RequestFields,
  dataColumns: readonly string[] | undefined,
  vars?: VarsInScope,
): CompiledRequest {
  const compiled: CompiledRequest = {
    method: spec.method,
    path: mustCompile(spec.path, dataColumns, undefined, vars),
    query: spec.query.map(([name, value]) => [name, mustCompile(value, dataColumns, undefined, vars)]),
    headers: Object.entries(spec.headers).map(([name, value]) => [
      name,
      mustCompile(value, dataColumns, undefined, vars),
    ]),
    body:
      spec.body === undefined
        ? undefined
        : mustCompile(spec.body, dataColumns, spec.bodyIsJson ? jsonEscape : undefined, vars),
    bodyBytes:
      spec.bodyBytes === undefined
        ? undefined
        : Buffer.from(spec.bodyBytes.buffer, spec.bodyBytes.byteOffset, spec.bodyBytes.byteLength),
    staticOptions: undefined,
  }
  const isStatic =
    compiled.path.isStatic &&
    compiled.query.every(([, v]) => v.isStatic) &&
    compiled.headers.every(([, v]) => v.isStatic) &&
    (compiled.body?.isStatic ?? true)
  if (isStatic) {
    compiled.staticOptions = buildOptions(compiled, undefined)
    staticRequests.add(compiled.staticOptions)
  }
  return compiled
}

/** Options objects sent unchanged for every request: a client may keep what it derives from them. */
const staticRequests = new WeakSet<DispatchOptions>()

/** Whether `options` is a static request's (the same object for every send, never changed). */
export function isStaticRequest(options: DispatchOptions): boolean {
  return staticRequests.has(options)
}

/**
 * A header field that would break a message's framing (CR, LF or NUL anywhere, a colon in the
 * name): the raw clients decline it, as undici and node:http2 refuse it.
 */
export function breaksFraming(name: string, value: string): boolean {
  return /[\r\n\0]/.test(value) || /[\r\n\0:]/.test(name)
}

function buildOptions(
  request: CompiledRequest,
  context: TemplateContext | undefined,
  cookie?: string,
): DispatchOptions {
  const render = (template: CompiledTemplate) => (context === undefined ? template.text : template.render(context))
  let path = encodePath(render(request.path))
  if (request.query.length > 0) {
    let search = ''
    for (const [name, value] of request.query) {
      search += `${search === '' ? '' : '&'}${encodeURIComponent(name)}=${encodeURIComponent(render(value))}`
    }
    path += `?${search}`
  }
  const headers: string[] = []
  for (const [name, value] of request.headers) headers.push(name, render(value))
  if (cookie !== undefined) headers.push('cookie', cookie)
  const options: DispatchOptions = {method: request.method as Dispatcher.HttpMethod, path, headers}
  // A Buffer lets undici set content-length without measuring a string on every request.
  if (request.bodyBytes !== undefined) options.body = request.bodyBytes
  else if (request.body !== undefined) options.body = Buffer.from(render(request.body))
  return options
}

/** Cumulative weights for picking a scenario with one random draw. */
function cumulativeWeights(scenarios: readonly RequestSpec[]): Float64Array {
  const total = scenarios.reduce((sum, s) => sum + s.weight, 0)
  const cumulative = new Float64Array(scenarios.length)
  let running = 0
  scenarios.forEach((scenario, i) => {
    running += scenario.weight / total
    cumulative[i] = running
  })
  cumulative[scenarios.length - 1] = 1
  return cumulative
}

export interface RequestFactory {
  /** The options for the next request (a journey's first step when the scenario picked is one). */
  next(): DispatchOptions
  /** The index of the scenario the last `next()` picked. */
  scenario: number
  /** The sequence number and data row of the last `next()`: a journey keeps them for all its steps. */
  seq: number
  row: Readonly<Record<string, string>> | undefined
  /** A journey's step `step` of scenario `scenario`, with its variables and cookie header. */
  step(
    scenario: number,
    step: number,
    journey: {seq: number; row: Readonly<Record<string, string>> | undefined; vars: Record<string, string>},
    cookie: string | undefined,
  ): DispatchOptions
}

/** A journey's first step: nothing extracted yet. */
const NO_VARS: VarsInScope = {has: () => false, names: () => []}

export function createRequestFactory(options: RequestFactoryOptions): RequestFactory {
  const columns = options.data?.columns
  const requests = options.scenarios.map((spec) =>
    compileRequest(spec.steps?.[0]?.request ?? spec, columns, spec.steps ? NO_VARS : undefined),
  )
  // Journeys and sessions read the sequence number and row of their start (their steps and messages use them).
  const hasJourneys = options.scenarios.some((spec) => spec.steps !== undefined || spec.session !== undefined)
  const steps = options.scenarios.map((spec) => {
    if (!spec.steps) return []
    const vars = varsBeforeSteps(spec.steps)
    return spec.steps.map((step, i) => compileRequest(step.request, columns, vars[i]))
  })
  const random = createRandom(sliceSeed(options.seed, options.slice))
  const cumulative = cumulativeWeights(options.scenarios)
  const rows = options.data?.rows ?? []
  const context: TemplateContext = {seq: 0, random, row: undefined}
  let count = 0

  const factory: RequestFactory = {
    scenario: 0,
    seq: 0,
    row: undefined,
    next() {
      const request = pick()
      const seq = globalIndex(count++, options.slice)
      if (request.staticOptions !== undefined && !hasJourneys) return request.staticOptions
      context.seq = seq
      context.row = rows.length > 0 ? rows[seq % rows.length] : undefined
      context.vars = undefined
      factory.seq = seq
      factory.row = context.row
      return request.staticOptions ?? buildOptions(request, context)
    },
    step(scenario, step, journey, cookie) {
      const request = steps[scenario]?.[step] as CompiledRequest
      if (request.staticOptions !== undefined && cookie === undefined) return request.staticOptions
      context.seq = journey.seq
      context.row = journey.row
      context.vars = journey.vars
      return buildOptions(request, context, cookie)
    },
  }
  const pick = (): CompiledRequest => {
    if (requests.length === 1) return requests[0] as CompiledRequest
    const draw = random()
    let i = 0
    while (draw >= (cumulative[i] as number)) i++
    factory.scenario = i
    return requests[i] as CompiledRequest
  }
  return factory
}
