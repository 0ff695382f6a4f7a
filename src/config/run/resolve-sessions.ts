/**
 * WebSocket and gRPC scenarios (issue 34): `ws:` and `grpc:` in a service file → the engine's
 * session specs, every template and the .proto checked before the run, and the run-wide rules
 * (one protocol per run, the target's scheme, the flags that do not apply).
 */
import type {ProblemList} from '../../contracts/errors.js'
import {parseDurationField} from '../field-parsers.js'
import {parseChecks, parseExtracts} from '../journey-steps.js'
import type {GrpcEntry, RequestEntry, WsEntry} from '../service-file.js'
import type {
  GrpcSessionSpec,
  RequestSpec,
  RunOptions,
  SessionSpec,
  WsSessionSpec,
} from '../../core/engine/run-options.js'
import type {VarsInScope} from '../../core/engine/template.js'
import type {RunContext} from './run-context.js'

/** Checks a template; `messages`: {{msg}} is allowed; `vars`: the session's extracted variables. */
export type CheckTemplate = (field: string, text: string, scope?: {messages?: boolean; vars?: VarsInScope}) => void

/** Reads a .proto and finds the method (adapters/io/describe-grpc-method.ts). */
export type DescribeGrpcMethod = (
  protoFile: string,
  importPaths: readonly string[],
  method: string,
) =>
  | {
      protoFile: string
      includeDirs: string[]
      service: string
      method: string
      call: GrpcSessionSpec['call']
      requestFields: string[]
    }
  | {error: string; field: 'proto' | 'method'}

/** A WebSocket close code loadplan may send: 1000, or one of the application's (3000–4999). */
function validCloseCode(code: number): boolean {
  return code === 1000 || (code >= 3000 && code <= 4999)
}

/** The handshake of a `ws:` session as a request: the HTTP path, query and headers rules apply. */
export function wsHandshake(ws: WsEntry): RequestEntry {
  const request: RequestEntry = {method: 'GET'}
  if (ws.path !== undefined) request.path = ws.path
  if (ws.headers !== undefined) request.headers = ws.headers
  if (ws.query !== undefined) request.query = ws.query
  return request
}

export function resolveWsSpec(
  problems: ProblemList,
  ws: WsEntry,
  field: string,
  checkTemplate: CheckTemplate,
): WsSessionSpec {
  if (ws.send !== undefined && ws.json !== undefined)
    problems.add(`${field}.send`, 'give either send: or json:, not both')
  const sendIsJson = ws.json !== undefined
  const send = sendIsJson ? JSON.stringify(ws.json) : (ws.send ?? '{{msg}}')
  const extracts = ws.extract ? parseExtracts(problems, `${field}.extract`, ws.extract) : []
  for (const extract of extracts)
    if (extract.from !== 'json' && extract.from !== 'regex')
      problems.add(
        `${field}.extract.${extract.name}`,
        'a message has no headers or cookies; take values with json: or regex:',
      )
  const names = extracts.map((e) => e.name)
  const vars: VarsInScope = {has: (name) => names.includes(name), names: () => names}
  checkTemplate(`${field}.${sendIsJson ? 'json' : 'send'}`, send, {messages: true, vars})
  const expect = ws.expect ? parseChecks(problems, `${field}.expect`, ws.expect) : []
  for (const check of expect)
    if (check.kind === 'status' || check.kind === 'header')
      problems.add(`${field}.expect`, 'a message has no status or headers; expect body: REGEX or json: {…}', check.name)
  if (ws.expect?.abort !== undefined)
    problems.add(`${field}.expect.abort`, 'a message that fails expect is not a reply; there is nothing to abort')
  const closeCode = ws.close ?? 1000
  if (!validCloseCode(closeCode))
    problems.add(`${field}.close`, 'expected 1000 (normal) or an application code from 3000 to 4999', ws.close)
  const spec: WsSessionSpec = {
    kind: 'ws',
    messages: ws.messages ?? 1,
    send,
    sendIsJson,
    binary: ws.binary ?? false,
    expect,
    extracts,
    closeCode,
  }
  const everyMs = parseDurationField(problems, `${field}.every`, ws.every)
  if (everyMs !== undefined) spec.everyMs = everyMs
  return spec
}

/** A `grpc:` call: its method read from the .proto, its message checked against the request type's fields. */
export function resolveGrpcSpec(
  problems: ProblemList,
  grpc: GrpcEntry,
  field: string,
  describe: DescribeGrpcMethod | undefined,
  checkTemplate: CheckTemplate,
): {spec: GrpcSessionSpec; handshake: RequestEntry} {
  const message = typeof grpc.message === 'string' ? grpc.message : JSON.stringify(grpc.message ?? {})
  checkTemplate(`${field}.message`, message, {messages: true})
  let parsed: unknown
  try {
    // Placeholders may stand for numbers ("count": {{randInt 1 5}}): check the shape with them as 0.
    parsed = JSON.parse(message.replace(/\{\{[^}]*\}\}/g, '0'))
  } catch (error) {
    problems.add(`${field}.message`, `not valid JSON (${(error as Error).message})`, message)
  }
  // A method that cannot be read still makes a gRPC scenario: the run-wide checks then judge a
  // gRPC run, not an HTTP one, and add no problems of their own (the run stops at this one).
  const unread: {spec: GrpcSessionSpec; handshake: RequestEntry} = {
    spec: {kind: 'grpc', protoFile: '', includeDirs: [], service: '', method: '', call: 'unary', message, messages: 1},
    handshake: {method: 'POST', path: '/'},
  }
  if (!describe) {
    problems.add(`${field}.proto`, '.proto files cannot be read here')
    return unread
  }
  const found = describe(grpc.proto, grpc.importPaths ?? [], grpc.method)
  if ('error' in found) {
    problems.add(`${field}.${found.field}`, found.error, found.field === 'proto' ? grpc.proto : grpc.method)
    return unread
  }
  if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
    for (const key of Object.keys(parsed))
      if (!found.requestFields.includes(key))
        problems.add(
          `${field}.message.${key}`,
          `the request message has no field "${key}"; its fields are ${found.requestFields.join(', ') || 'none'} (the JSON names: lowerCamelCase)`,
        )
  } else if (parsed !== undefined)
    problems.add(`${field}.message`, 'expected the request message as a map of its fields', message)
  const streamsOut = found.call === 'client-stream' || found.call === 'bidi'
  if (!streamsOut && grpc.messages !== undefined)
    problems.add(`${field}.messages`, `${found.method} is a ${found.call} call: it sends one message`, grpc.messages)
  const spec: GrpcSessionSpec = {
    kind: 'grpc',
    protoFile: found.protoFile,
    includeDirs: found.includeDirs,
    service: found.service,
    method: found.method,
    call: found.call,
    message,
    messages: streamsOut ? (grpc.messages ?? 1) : 1,
  }
  const everyMs = parseDurationField(problems, `${field}.every`, grpc.every)
  if (everyMs !== undefined) spec.everyMs = everyMs
  const handshake: RequestEntry = {method: 'POST', path: `/${found.service}/${found.method}`}
  if (grpc.metadata !== undefined) handshake.headers = grpc.metadata
  return {spec, handshake}
}

const SCHEMES: Record<SessionSpec['kind'], {plain: string; tls: string}> = {
  ws: {plain: 'ws:', tls: 'wss:'},
  grpc: {plain: 'grpc:', tls: 'grpcs:'},
}

/**
 * One protocol per run, and the origin in its scheme: an http(s) target becomes ws(s) or
 * grpc(s); a ws or grpc target with HTTP scenarios is refused. Flags that shape HTTP requests
 * do not apply to sessions.
 */
export function resolveSessionRun(
  ctx: RunContext,
  scenarios: readonly RequestSpec[],
  origin: string,
  options: {http2: boolean; balanced: boolean; load: RunOptions['load']},
): string {
  const {problems, flags, fileField} = ctx
  const kinds = new Set(scenarios.map((s) => s.session?.kind ?? 'http'))
  const scheme = /^([a-z0-9+.-]+:)/i.exec(origin)?.[1]?.toLowerCase() ?? ''
  if (kinds.size > 1) {
    problems.add(
      fileField('scenarios'),
      `one protocol per run: these scenarios mix ${[...kinds].join(', ')}; run them separately`,
    )
    return origin
  }
  const kind = [...kinds][0] as SessionSpec['kind'] | 'http'
  if (kind === 'http') {
    if (scheme !== 'http:' && scheme !== 'https:' && origin !== '')
      problems.add(
        'target',
        `a ${scheme}// target needs ${scheme.startsWith('ws') ? 'ws:' : 'grpc:'} scenarios in a service file (see docs/commands/run.md)`,
        origin,
      )
    return origin
  }
  const what = kind === 'ws' ? 'WebSocket' : 'gRPC'
  const refuse = (flag: string, value: unknown) => problems.add(flag, `does not apply to ${what} scenarios`, value)
  if (flags.method !== undefined) refuse('--method', flags.method)
  if (flags.body !== undefined) refuse('--body', flags.body)
  if (flags.json !== undefined) refuse('--json-body', flags.json)
  if (flags.bodyFile !== undefined) refuse('--body-file', flags.bodyFile)
  if (flags.client !== undefined) refuse('--client', flags.client)
  if (options.http2) refuse('--http2', true)
  if (options.balanced) problems.add('--targets', `balancing over targets is for HTTP runs; give ${what} one target`)
  const {load} = options
  const perConnection = load.model === 'closed' ? load.pipelining : load.streams
  if (kind === 'ws' && perConnection > 1)
    problems.add(
      load.model === 'closed' ? '--pipelining' : '--streams',
      'a WebSocket session is a connection of its own; raise --connections instead',
      perConnection,
    )
  const {plain, tls} = SCHEMES[kind]
  if (scheme === 'http:') return `${plain}${origin.slice(scheme.length)}`
  if (scheme === 'https:') return `${tls}${origin.slice(scheme.length)}`
  if (scheme !== plain && scheme !== tls && origin !== '')
    problems.add('target', `${what} scenarios need a ${plain}// or ${tls}// (or http(s)://) target`, origin)
  return origin
}
