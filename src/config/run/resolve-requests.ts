/**
 * What a run sends: headers, query, body and method from the flags over the service file's
 * scenarios (or one request from the URL), every template checked against the data file's columns.
 */
import {ProblemList} from '../../contracts/errors.js'
import {judgesSessions, parseThreshold, type Threshold} from '../../contracts/stats/thresholds.js'
import type {RequestEntry, StepEntry} from '../service-file.js'
import {resolveSteps} from '../journey-steps.js'
import {compileTemplate, type VarsInScope} from '../../core/engine/template.js'
import type {DataRows, RequestSpec} from '../../core/engine/run-options.js'
import {RUN_DEFAULTS} from './run-flags.js'
import type {RunContext} from './run-context.js'
import {type ResolvedTarget} from './resolve-target.js'
import {resolveGrpcSpec, resolveWsSpec, wsHandshake, type CheckTemplate} from './resolve-sessions.js'
import type {GrpcEntry, WsEntry} from '../service-file.js'

function parseHeaderFlag(problems: ProblemList, field: string, text: string): [string, string] | undefined {
  const colon = text.indexOf(':')
  const name = colon > 0 ? text.slice(0, colon).trim() : ''
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
    problems.add(field, 'expected "Name: value", e.g. -H "Accept: application/json"', text)
    return undefined
  }
  return [name, text.slice(colon + 1).trim()]
}

function parseQueryFlag(problems: ProblemList, field: string, text: string): [string, string] | undefined {
  const eq = text.indexOf('=')
  if (eq <= 0) {
    problems.add(field, 'expected "name=value", e.g. --query "page={{randInt 1 50}}"', text)
    return undefined
  }
  return [text.slice(0, eq), text.slice(eq + 1)]
}

/** Sets a header, replacing one of the same name in any letter case (a user's User-Agent replaces loadplan's). */
function setHeader(headers: Record<string, string>, name: string, value: string): void {
  for (const existing of Object.keys(headers))
    if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing]
  headers[name] = value
}

/** Joins a base path and a request path: `/api` + `/orders?x=1` → `/api/orders?x=1`. */
function joinPath(basePath: string, path: string): string {
  const base = basePath.endsWith('/') ? basePath.slice(0, -1) : basePath
  if (path === '' || path === '/') return base === '' ? '/' : path === '/' ? `${base}/` : base
  return `${base}${path.startsWith('/') ? '' : '/'}${path}`
}

/** The scenarios a run sends (a journey's steps included) and the data file their templates read. */
export function resolveRequests(
  ctx: RunContext,
  target: ResolvedTarget,
): {scenarios: RequestSpec[]; data: DataRows | undefined} {
  const {problems, flags, file, fileField, input} = ctx
  const {basePath, urlPath, urlQuery} = target
  // Requests: the file's scenarios (or single request), else one request from the URL and flags.
  const globalHeaders: Record<string, string> = {}
  if (input.userAgent !== undefined) globalHeaders['user-agent'] = input.userAgent
  for (const [name, value] of Object.entries(file.headers ?? {})) setHeader(globalHeaders, name, String(value))
  // Flags win: applied after the file's headers, its requests' included (see buildRequest).
  const flagHeaders: Record<string, string> = {}
  for (const [i, text] of (flags.header ?? []).entries()) {
    const header = parseHeaderFlag(problems, `--header[${i}]`, text)
    if (header) setHeader(flagHeaders, header[0], header[1])
  }
  const flagQuery: Array<[string, string]> = []
  for (const [i, text] of (flags.query ?? []).entries()) {
    const pair = parseQueryFlag(problems, `--query[${i}]`, text)
    if (pair) flagQuery.push(pair)
  }
  if (flags.json !== undefined) {
    try {
      // Placeholders may stand for numbers ("qty": {{randInt 1 5}}): check the shape with them as 0.
      JSON.parse(flags.json.replace(/\{\{[^}]*\}\}/g, '0'))
    } catch (error) {
      problems.add(
        '--json-body',
        `not valid JSON (${(error as Error).message}); quote it, e.g. --json-body '{"sku":"{{uuid}}"}'`,
        flags.json,
      )
    }
    if (flags.body !== undefined) problems.add('--body', 'give either --body or --json-body, not both', flags.body)
  }
  if (flags.bodyFile !== undefined && (flags.body !== undefined || flags.json !== undefined))
    problems.add('--body-file', 'give one of --body, --json-body and --body-file', flags.bodyFile)
  // Each body file is read once, however many scenarios or steps send it.
  const bodyFiles = new Map<string, Uint8Array | undefined>()
  const bodyFileBytes = (path: string, field: string): Uint8Array | undefined => {
    if (bodyFiles.has(path)) return bodyFiles.get(path)
    const loaded = input.loadBodyFile?.(path) ?? {error: 'body files cannot be read here'}
    if ('error' in loaded) problems.add(field, loaded.error, path)
    const bytes = 'bytes' in loaded ? loaded.bytes : undefined
    bodyFiles.set(path, bytes)
    return bytes
  }
  if (flags.method !== undefined && !/^[A-Za-z]+$/.test(flags.method))
    problems.add('--method', 'expected an HTTP method such as GET or POST', flags.method)

  const entries: Array<{
    name: string
    weight: number
    request: RequestEntry
    field: string
    steps?: StepEntry[]
    stepsField?: string
    cookies?: boolean
    ws?: WsEntry
    grpc?: GrpcEntry
  }> = []
  if (file.scenarios && file.scenarios.length > 0) {
    file.scenarios.forEach((scenario, i) => {
      const field = fileField(`scenarios[${i}]`)
      const kinds = [scenario.request, scenario.steps, scenario.ws, scenario.grpc].filter((k) => k !== undefined)
      if (kinds.length !== 1)
        problems.add(
          field,
          'give a scenario one of request: (one request), steps: (a journey), ws: (a WebSocket session) or grpc: (a gRPC call)',
        )
      const entry: (typeof entries)[number] = {
        name: scenario.name,
        weight: scenario.weight ?? 1,
        request: scenario.request ?? scenario.steps?.[0]?.request ?? (scenario.ws ? wsHandshake(scenario.ws) : {}),
        field: scenario.ws ? `${field}.ws` : scenario.grpc ? `${field}.grpc` : `${field}.request`,
      }
      if (scenario.ws) entry.ws = scenario.ws
      if (scenario.grpc) entry.grpc = scenario.grpc
      if (scenario.steps) {
        entry.steps = scenario.steps
        entry.stepsField = `${field}.steps`
        if (scenario.cookies !== undefined) entry.cookies = scenario.cookies
      }
      entries.push(entry)
    })
  } else if (file.request) {
    entries.push({name: 'default', weight: 1, request: file.request, field: fileField('request')})
  } else {
    entries.push({name: 'default', weight: 1, request: {}, field: 'request'})
  }

  // Data file: needed before templates, whose {{data.x}} must name real columns.
  let data: DataRows | undefined
  const dataFile = flags.dataFile ?? file.dataFile
  if (dataFile !== undefined) {
    const loaded = input.loadDataFile?.(dataFile) ?? {error: 'data files cannot be read here'}
    if ('error' in loaded)
      problems.add(flags.dataFile !== undefined ? '--data-file' : fileField('dataFile'), loaded.error, dataFile)
    else data = loaded
  }
  const templateOptions = data ? {dataColumns: data.columns} : {}
  const checkTemplate: CheckTemplate = (field, text, scope) => {
    const compiled = compileTemplate(text, {...templateOptions, ...scope})
    // A {{env.NAME}} still here is an unset variable, already reported by the substitution.
    if ('errors' in compiled)
      for (const message of compiled.errors) if (!message.startsWith('{{env.')) problems.add(field, message)
  }

  const buildRequest = (
    name: string,
    weight: number,
    request: RequestEntry,
    field: string,
    vars?: VarsInScope,
  ): RequestSpec => {
    const method = (flags.method ?? request.method ?? RUN_DEFAULTS.method).toUpperCase()
    const headers = {...globalHeaders}
    for (const [headerName, value] of Object.entries(request.headers ?? {}))
      setHeader(headers, headerName, String(value))
    for (const [headerName, value] of Object.entries(flagHeaders)) setHeader(headers, headerName, value)
    let query: Array<[string, string]> = [...urlQuery]
    for (const [key, value] of Object.entries(request.query ?? {})) query.push([key, String(value)])
    let body = flags.body ?? request.body
    let bodyIsJson = false
    const jsonText = flags.json ?? (request.json === undefined ? undefined : JSON.stringify(request.json))
    if (jsonText !== undefined && flags.body === undefined) {
      body = jsonText
      bodyIsJson = true
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
        headers['content-type'] = 'application/json'
    }
    if (request.body !== undefined && request.json !== undefined)
      problems.add(`${field}.body`, 'give either body: or json:, not both')
    if (request.bodyFile !== undefined && (request.body !== undefined || request.json !== undefined))
      problems.add(`${field}.bodyFile`, 'give one of body:, json: and bodyFile:', request.bodyFile)
    // A body flag replaces the file's body, whichever kind either is.
    const flagGivesBody = flags.body !== undefined || flags.json !== undefined || flags.bodyFile !== undefined
    const bodyFile = flags.bodyFile ?? (flagGivesBody ? undefined : request.bodyFile)
    let bodyBytes: Uint8Array | undefined
    if (bodyFile !== undefined) {
      bodyBytes = bodyFileBytes(bodyFile, flags.bodyFile !== undefined ? '--body-file' : `${field}.bodyFile`)
      body = undefined
      bodyIsJson = false
    }
    const rawPath = request.path ?? urlPath ?? '/'
    const queryStart = rawPath.indexOf('?')
    const pathOnly = queryStart >= 0 ? rawPath.slice(0, queryStart) : rawPath
    if (queryStart >= 0)
      for (const [key, value] of new URLSearchParams(rawPath.slice(queryStart + 1))) query.push([key, value])
    // Flags win: a --query parameter replaces every value of its name from the URL or the file.
    const flagKeys = new Set(flagQuery.map(([key]) => key))
    query = [...query.filter(([key]) => !flagKeys.has(key)), ...flagQuery]
    const path = joinPath(basePath, pathOnly)
    const scope = vars ? {vars} : {}
    checkTemplate(`${field}.path`, path, scope)
    for (const [key, value] of query) checkTemplate(`${field}.query.${key}`, value, scope)
    for (const [key, value] of Object.entries(headers)) checkTemplate(`${field}.headers.${key}`, value, scope)
    if (body !== undefined) checkTemplate(`${field}.${bodyIsJson ? 'json' : 'body'}`, body, scope)
    const spec: RequestSpec = {name, weight, method, path, query, headers, bodyIsJson}
    if (body !== undefined) spec.body = body
    if (bodyBytes !== undefined) spec.bodyBytes = bodyBytes
    return spec
  }

  const scenarios: RequestSpec[] = entries.map(
    ({name, weight, request, field, steps, stepsField, cookies, ws, grpc}) => {
      if (ws)
        return {
          ...buildRequest(name, weight, request, field),
          session: resolveWsSpec(problems, ws, field, checkTemplate),
        }
      if (grpc) {
        const {spec: session, handshake} = resolveGrpcSpec(
          problems,
          grpc,
          field,
          input.describeGrpcMethod,
          checkTemplate,
        )
        // A gRPC path is the method's, whatever the target's path.
        const spec = buildRequest(name, weight, handshake, field)
        spec.path = handshake.path as string
        return {...spec, session}
      }
      if (!steps || !stepsField) return buildRequest(name, weight, request, field)
      const journey = resolveSteps(problems, steps, stepsField, (step, i, vars) => {
        const {
          name: _name,
          weight: _weight,
          ...fields
        } = buildRequest(name, weight, step.request, `${stepsField}[${i}].request`, vars)
        return fields
      })
      const first = journey[0]?.request
      const spec: RequestSpec = first
        ? {name, weight, ...first, steps: journey}
        : buildRequest(name, weight, request, field)
      if (cookies !== undefined) spec.cookies = cookies
      return spec
    },
  )
  return {scenarios, data}
}

/** The file's thresholds, then --threshold's; a threshold of a scenario must name one. */
export function resolveThresholds(ctx: RunContext, scenarios: readonly RequestSpec[]): Threshold[] {
  const {problems, flags, file, fileField} = ctx
  const thresholds: Threshold[] = []
  const thresholdTexts: Array<[string, string]> = [
    ...(file.thresholds ?? []).map((text, i): [string, string] => [fileField(`thresholds[${i}]`), text]),
    ...(flags.threshold ?? []).map((text, i): [string, string] => [`--threshold[${i}]`, text]),
  ]
  for (const [field, text] of thresholdTexts) {
    const parsed = parseThreshold(text)
    if ('error' in parsed) problems.add(field, parsed.error, text)
    else if (judgesSessions(parsed.metric) && !scenarios.some((s) => s.session))
      problems.add(field, `${parsed.name} judges WebSocket and gRPC sessions; this run sends HTTP requests`, text)
    else if (parsed.scenario !== undefined && !scenarios.some((s) => s.name === parsed.scenario))
      problems.add(
        field,
        `no scenario is named "${parsed.scenario}"; the scenarios are ${scenarios.map((s) => s.name).join(', ')}`,
        text,
      )
    else thresholds.push(parsed)
  }
  return thresholds
}
