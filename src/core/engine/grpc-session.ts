/**
 * gRPC calls on @grpc/grpc-js: each session is one call of the scenario's method, on a channel per
 * connection (its own subchannel, so `--connections` means sockets, as in HTTP). Messages are
 * serialised by loadplan (a static message once for the run) and responses are counted, not
 * decoded. The deadline is the run's timeout, per call. What a round trip is depends on the kind:
 * unary and client-streaming: the call (corrected from its arrival); server-streaming: each
 * message, from the one before it (the first from the call); bidirectional: each message sent and
 * the next reply, like a WebSocket.
 */
import {createRequire} from 'node:module'
import {isIP} from 'node:net'
import type * as Grpc from '@grpc/grpc-js'
import type * as ProtoLoader from '@grpc/proto-loader'
import {compileTemplate} from './template.js'
import {classifyError} from './classify-error.js'
import {dropWarnings} from './drop-warnings.js'
import {loadProtoFile} from './load-proto-file.js'
import {originTarget} from './open-socket.js'
import type {GrpcSessionSpec} from './run-options.js'
import {cutOffError, type SessionDriver, type SessionHost, type SessionSlot} from './session-engine.js'
import type {DispatchOptions} from './request-factory.js'

type Call = Grpc.ClientUnaryCall | Grpc.ClientReadableStream<Buffer> | Grpc.ClientWritableStream<Buffer>
type Duplex = Grpc.ClientDuplexStream<Buffer, Buffer>

interface GrpcCall {
  call: Call | undefined
  sent: number
  dueMs: number[]
  sentMs: number[]
  /** Server streams: when the last message (or the call) was. */
  lastMs: number
  sendTimer: NodeJS.Timeout | undefined
  ended: boolean
  cut: boolean
  seq: number
  row: Readonly<Record<string, string>> | undefined
}

const require = createRequire(import.meta.url)
/** grpc-js, loaded when a gRPC run starts: 120 ms and 70 ms (proto-loader) an HTTP run does not pay. */
let grpc: typeof Grpc

const identity = (buffer: Buffer) => buffer
const jsonEscape = (value: string) => JSON.stringify(value).slice(1, -1)

/** A failed call's error, coded by its status so the classifier and the report can name it. */
function statusError(status: {code: number; details: string}): Error {
  const name = grpc.status[status.code] ?? String(status.code)
  // A channel that never connected says why in its details (ECONNREFUSED, a certificate's code):
  // keep the socket's or TLS's code, so the class is refused, dns or tls rather than reset.
  // A certificate refused reaches grpc-js as Node's message alone ("self-signed certificate").
  const socketCode =
    status.details.match(/\b[A-Z][A-Z0-9_]{3,}\b/g)?.find((code) => classifyError({code}) !== 'other') ??
    (status.code === grpc.status.UNAVAILABLE && /certificate|\bSSL\b|\bTLS\b/i.test(status.details)
      ? 'LOADPLAN_GRPC_TLS'
      : undefined)
  return Object.assign(new Error(`${name}: ${status.details}`), {code: socketCode ?? `GRPC_${name}`})
}

export function createGrpcDriver(host: SessionHost): SessionDriver {
  grpc ??= require('@grpc/grpc-js') as typeof Grpc
  const {loadSync} = require('@grpc/proto-loader') as typeof ProtoLoader
  const {options} = host
  const dataColumns = options.data?.columns
  const scenarios = options.scenarios.map((scenario) => {
    const spec = scenario.session as GrpcSessionSpec
    const definition = loadProtoFile(loadSync, spec.protoFile, spec.includeDirs)
    const method = (definition[spec.service] as Record<string, ProtoLoader.MethodDefinition<object, object>>)[
      spec.method
    ]
    if (!method) throw new Error(`${spec.service}/${spec.method} was not validated`)
    const template = compileTemplate(spec.message, {
      ...(dataColumns ? {dataColumns} : {}),
      messages: true,
      escape: jsonEscape,
    })
    if ('errors' in template) throw new Error(`message template was not validated: ${template.errors.join('; ')}`)
    const encode = (text: string) => method.requestSerialize(JSON.parse(text) as object)
    return {spec, method, template, fixed: template.isStatic ? encode(template.text) : undefined, encode}
  })
  const address = options.origin.replace(/^grpcs?:\/\//, '').replace(/\/$/, '')
  const credentials = options.origin.startsWith('grpcs:')
    ? grpc.credentials.createSsl(null, null, null, options.insecure ? {rejectUnauthorized: false} : {})
    : grpc.credentials.createInsecure()
  // grpc-js gives TLS the host as its server name even when it is an IP address, and Node then
  // warns once (DEP0123) about what neither loadplan nor the user chose.
  const stopDropping =
    options.origin.startsWith('grpcs:') && isIP(originTarget(options.origin).host) !== 0
      ? dropWarnings((_, code) => code === 'DEP0123')
      : () => {}
  const userAgent = 'loadplan'
  const clients: Grpc.Client[] = []
  const live = new Set<SessionSlot>()

  const clientFor = (slot: SessionSlot): Grpc.Client => {
    const connection = slot.connection
    if (connection.handle) return connection.handle as Grpc.Client
    const client = new grpc.Client(address, credentials, {
      'grpc.use_local_subchannel_pool': 1,
      'grpc.primary_user_agent': userAgent,
    })
    connection.handle = client
    clients.push(client)
    const askedMs = host.now()
    client.waitForReady(Date.now() + options.timeoutMs, (error) => {
      if (!error) host.connected(slot, host.now() - askedMs)
    })
    return client
  }

  const metadataOf = (handshake: DispatchOptions): Grpc.Metadata => {
    const metadata = new grpc.Metadata()
    const headers = handshake.headers
    if (Array.isArray(headers))
      for (let i = 0; i + 1 < headers.length; i += 2) {
        const name = String(headers[i]).toLowerCase()
        if (name !== 'user-agent' && name !== 'content-type') metadata.add(name, String(headers[i + 1]))
      }
    return metadata
  }

  const messageBytes = (scenario: (typeof scenarios)[number], state: GrpcCall): Buffer =>
    scenario.fixed ??
    scenario.encode(
      scenario.template.render({seq: state.seq, random: host.random, row: state.row, message: state.sent}),
    )

  const end = (slot: SessionSlot, state: GrpcCall, status: {code: number; details: string}): void => {
    if (state.ended) return
    state.ended = true
    live.delete(slot)
    if (state.sendTimer) clearTimeout(state.sendTimer)
    const code = grpc.status[status.code] ?? String(status.code)
    if (status.code === grpc.status.OK) host.ended(slot, {code}, state.sentMs.length)
    else host.ended(slot, {code, error: state.cut ? cutOffError() : statusError(status)}, state.sentMs.length)
  }

  /** Streams of messages out (client-streaming, bidirectional): write what is due, end when done and answered. */
  const carryOn = (slot: SessionSlot, state: GrpcCall): void => {
    const scenario = scenarios[slot.scenario] as (typeof scenarios)[number]
    const {spec} = scenario
    const stream = state.call as Grpc.ClientWritableStream<Buffer>
    if (state.ended || !stream.writable) return
    const bidi = spec.call === 'bidi'
    const write = (dueMs: number) => {
      const bytes = messageBytes(scenario, state)
      state.sent++
      if (bidi) {
        state.dueMs.push(dueMs)
        state.sentMs.push(host.now())
      }
      stream.write(bytes)
      host.messageSent(slot, bytes.length)
    }
    const more = () => !host.winding && state.sent < spec.messages
    if (spec.everyMs !== undefined) {
      if (state.sendTimer) return
      const nowMs = host.now()
      while (more()) {
        const dueMs = slot.startedMs + state.sent * spec.everyMs
        if (dueMs > nowMs) {
          state.sendTimer = setTimeout(() => {
            state.sendTimer = undefined
            carryOn(slot, state)
          }, dueMs - nowMs)
          return
        }
        write(dueMs)
      }
    } else if (!bidi) while (more()) write(host.now())
    else if (state.sentMs.length === 0 && more()) write(host.now())
    if (!more() && state.sentMs.length === 0) stream.end()
  }

  return {
    start(slot, spec, handshake) {
      const scenario = scenarios[slot.scenario] as (typeof scenarios)[number]
      const {method} = scenario
      const client = clientFor(slot)
      const state: GrpcCall = {
        call: undefined,
        sent: 0,
        dueMs: [],
        sentMs: [],
        lastMs: slot.startedMs,
        sendTimer: undefined,
        ended: false,
        cut: false,
        seq: host.factory.seq,
        row: host.factory.row,
      }
      slot.state = state
      live.add(slot)
      const metadata = metadataOf(handshake)
      const callOptions = {deadline: Date.now() + options.timeoutMs}
      const kind = (spec as GrpcSessionSpec).call
      const answered = (error: Grpc.ServiceError | null, value?: Buffer) => {
        if (error) return end(slot, state, error)
        host.messageReceived(slot, value?.length ?? 0)
        host.roundTrip(slot, slot.intendedMs, slot.startedMs)
        end(slot, state, {code: grpc.status.OK, details: ''})
      }
      if (kind === 'unary' || kind === 'server-stream') {
        const bytes = messageBytes(scenario, state)
        state.sent = 1
        host.messageSent(slot, bytes.length)
        if (kind === 'unary') {
          state.call = client.makeUnaryRequest(method.path, identity, identity, bytes, metadata, callOptions, answered)
          return
        }
        const stream = client.makeServerStreamRequest(method.path, identity, identity, bytes, metadata, callOptions)
        state.call = stream
        stream.on('data', (message: Buffer) => {
          host.messageReceived(slot, message.length)
          // The first message counts from the call's arrival, the others from the message before.
          const fromMs = state.lastMs === slot.startedMs ? slot.intendedMs : state.lastMs
          host.roundTrip(slot, fromMs, state.lastMs)
          state.lastMs = host.now()
        })
        stream.on('error', () => {})
        stream.on('status', (status: Grpc.StatusObject) => end(slot, state, status))
        return
      }
      if (kind === 'client-stream') {
        state.call = client.makeClientStreamRequest(method.path, identity, identity, metadata, callOptions, answered)
        return carryOn(slot, state)
      }
      const stream: Duplex = client.makeBidiStreamRequest(method.path, identity, identity, metadata, callOptions)
      state.call = stream
      stream.on('data', (message: Buffer) => {
        host.messageReceived(slot, message.length)
        const dueMs = state.dueMs.shift()
        const sentMs = state.sentMs.shift()
        if (dueMs === undefined || sentMs === undefined) return
        host.roundTrip(slot, dueMs, sentMs)
        carryOn(slot, state)
      })
      stream.on('error', () => {})
      stream.on('status', (status: Grpc.StatusObject) => end(slot, state, status))
      carryOn(slot, state)
    },
    wind(slot) {
      const state = slot.state as GrpcCall
      if (state.sendTimer) clearTimeout(state.sendTimer)
      state.sendTimer = undefined
      if (state.call && 'write' in state.call) carryOn(slot, state)
    },
    cut(slot) {
      const state = slot.state as GrpcCall
      state.cut = true
      state.call?.cancel()
    },
    async destroy() {
      for (const slot of live) (slot.state as GrpcCall).call?.cancel()
      for (const client of clients) client.close()
      stopDropping()
    },
  }
}
