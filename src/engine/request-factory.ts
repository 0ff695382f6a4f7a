/**
 * Turns validated scenarios into undici dispatch options. A static request is built once and the
 * same options object is handed to every dispatch; only requests with placeholders are rebuilt.
 */
import type {Dispatcher} from 'undici'
import type {DataRows, RequestSpec} from './run-options.js'
import {createRandom} from '../stats/random.js'
import {globalIndex, sliceSeed, type WorkSlice} from './work-slice.js'
import {compileTemplate, type CompiledTemplate, type TemplateContext} from './template.js'

export type DispatchOptions = Dispatcher.DispatchOptions

interface CompiledRequest {
  method: string
  path: CompiledTemplate
  query: Array<[string, CompiledTemplate]>
  headers: Array<[string, CompiledTemplate]>
  body: CompiledTemplate | undefined
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

function mustCompile(text: string, dataColumns: readonly string[] | undefined, escape?: (value: string) => string): CompiledTemplate {
  const compiled = compileTemplate(text, dataColumns ? {dataColumns, escape} : {escape})
  // Validation already ran in resolveRunOptions; reaching this is a bug.
  if ('errors' in compiled) throw new Error(`template was not validated: ${compiled.errors.join('; ')}`)
  return compiled
}

const jsonEscape = (value: string) => JSON.stringify(value).slice(1, -1)

function compileRequest(spec: RequestSpec, dataColumns: readonly string[] | undefined): CompiledRequest {
  const compiled: CompiledRequest = {
    method: spec.method,
    path: mustCompile(spec.path, dataColumns),
    query: spec.query.map(([name, value]) => [name, mustCompile(value, dataColumns)]),
    headers: Object.entries(spec.headers).map(([name, value]) => [name, mustCompile(value, dataColumns)]),
    body: spec.body === undefined ? undefined : mustCompile(spec.body, dataColumns, spec.bodyIsJson ? jsonEscape : undefined),
    staticOptions: undefined,
  }
  const isStatic = compiled.path.isStatic && compiled.query.every(([, v]) => v.isStatic) && compiled.headers.every(([, v]) => v.isStatic) && (compiled.body?.isStatic ?? true)
  if (isStatic) compiled.staticOptions = buildOptions(compiled, undefined)
  return compiled
}

function buildOptions(request: CompiledRequest, context: TemplateContext | undefined): DispatchOptions {
  const render = (template: CompiledTemplate) => (context === undefined ? template.text : template.render(context))
  let path = render(request.path)
  if (request.query.length > 0) {
    let search = ''
    for (const [name, value] of request.query) {
      search += `${search === '' ? '' : '&'}${encodeURIComponent(name)}=${encodeURIComponent(render(value))}`
    }
    path += `?${search}`
  }
  const headers: string[] = []
  for (const [name, value] of request.headers) headers.push(name, render(value))
  const options: DispatchOptions = {method: request.method as Dispatcher.HttpMethod, path, headers}
  // A Buffer lets undici set content-length without measuring a string on every request.
  if (request.body !== undefined) options.body = Buffer.from(render(request.body))
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
  /** The options for the next request. */
  next(): DispatchOptions
  /** The index of the scenario the last `next()` picked. */
  scenario: number
}

export function createRequestFactory(options: RequestFactoryOptions): RequestFactory {
  const columns = options.data?.columns
  const requests = options.scenarios.map((spec) => compileRequest(spec, columns))
  const random = createRandom(sliceSeed(options.seed, options.slice))
  const cumulative = cumulativeWeights(options.scenarios)
  const rows = options.data?.rows ?? []
  const context: TemplateContext = {seq: 0, random, row: undefined}
  let count = 0

  const factory: RequestFactory = {
    scenario: 0,
    next() {
      const request = pick()
      const seq = globalIndex(count++, options.slice)
      if (request.staticOptions !== undefined) return request.staticOptions
      context.seq = seq
      context.row = rows.length > 0 ? rows[seq % rows.length] : undefined
      return buildOptions(request, context)
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
