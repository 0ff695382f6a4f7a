/**
 * The fast HTTP/2 path: one raw `net`/`tls` socket per connection speaking RFC 9113 itself —
 * request header blocks HPACK-encoded once per request template (hpack.ts), the frames one turn
 * of the event loop produces written together, responses cut into frames where they lie in the
 * read buffer (http2-inbound.ts, http2-frames.ts). node:http2 makes a Duplex stream per request and reached
 * about a quarter of h2load here; this path has no per-stream object beyond its own record. It
 * speaks to the engine through undici's handler calls, as raw-http1-client.ts does, and hands
 * what it declines (a streamed body) to node-http2-client.ts.
 */
import type {Buffer} from 'node:buffer'
import type {Socket} from 'node:net'
import {performance} from 'node:perf_hooks'
import type {TLSSocket} from 'node:tls'
import type {Dispatcher} from 'undici'
import {writeChunks} from './direct-write.js'
import {encodeHttp2Request, type EncodedHttp2Request} from './encode-http2-request.js'
import {CANCEL, ERROR_NAMES, OPENING, PROTOCOL_ERROR, REFILL_AT, rstStream, windowUpdate} from './http2-frames.js'
import {Http2Inbound, type InboundSink} from './http2-inbound.js'
import {Http2Outbound} from './http2-outbound.js'
import {createNodeHttp2Client} from './node-http2-client.js'
import {
  closeSocket,
  connectTimeoutError,
  openSocket,
  originTarget,
  silenceError,
  type OriginTarget,
} from './open-socket.js'
import {TickBatch} from './tick-batch.js'
import type {EngineClient, EngineClientOptions} from './undici-client.js'

type Handler = Dispatcher.DispatchHandler & {wantsHeaders?: () => boolean; wantsBody?: () => boolean}

const MAX_STREAM_ID = 2 ** 31 - 1

/** One request from dispatch to its end: waiting (id 0), then a stream. */
interface Exchange extends EncodedHttp2Request {
  handler: Handler
  id: number
  /** onConnect was called: the request counts as sent (a retry after GOAWAY keeps its send time). */
  sent: boolean
  answered: boolean
  done: boolean
  bodySent: number
  sendWindow: number
  /** Bytes received since the stream's window was last topped up. */
  received: number
  /** Frames seen, and the silence check's last look at that count (as raw-http1-client.ts). */
  activity: number
  seenActivity: number
  lastActivityMs: number
}

const error = (message: string, code: string) => Object.assign(new Error(message), {code})

export class RawHttp2Client implements EngineClient, InboundSink {
  /** Where the sockets go: TLS or not, host, port, and the authority requests name. */
  private readonly target: OriginTarget
  private readonly scheme: string
  private socket: Socket | undefined
  /** The server's SETTINGS arrived on this socket: it speaks HTTP/2 and streams may open. */
  private ready = false
  private goingAway = false
  private readonly waiting: Exchange[] = []
  private readonly streams = new Map<number, Exchange>()
  private nextId = 1
  private readonly inbound = new Http2Inbound(this)
  private readonly outbound = new Http2Outbound(() => this.tick.request())
  /** The requests (and frames) of this turn are written together on the next tick. */
  private readonly tick = new TickBatch(() => this.flush())
  private destroyed = false
  private connectTimer: NodeJS.Timeout | undefined
  private timeoutTimer: NodeJS.Timeout | undefined
  private fallback: EngineClient | undefined
  /** Requests handed to node:http2. */
  declined = 0
  directBytesWritten = 0

  constructor(private readonly options: EngineClientOptions) {
    this.target = originTarget(options.origin)
    this.scheme = this.target.tls ? 'https' : 'http'
  }

  dispatch(options: Dispatcher.DispatchOptions, handler: Handler): boolean {
    const encoded = encodeHttp2Request(options, this.scheme, this.target.authority)
    if (encoded === undefined) {
      this.declined++
      return (this.fallback ??= createNodeHttp2Client(this.options)).dispatch(options, handler)
    }
    if (this.destroyed) {
      handler.onError?.(error('the client is destroyed', 'UND_ERR_DESTROYED'))
      return false
    }
    this.waiting.push({
      ...encoded,
      handler,
      id: 0,
      sent: false,
      answered: false,
      done: false,
      bodySent: 0,
      sendWindow: 0,
      received: 0,
      activity: 0,
      seenActivity: -1,
      lastActivityMs: 0,
    })
    this.tick.request()
    return true
  }

  /** Opens streams for waiting requests as far as the limits allow, and writes this turn's frames. */
  private flush(): void {
    if (this.destroyed) return
    if (this.socket === undefined) {
      if (this.waiting.length > 0) this.connect()
      return
    }
    if (this.ready && !this.goingAway) this.openStreams()
    const frames = this.outbound.take()
    if (frames !== undefined) this.directBytesWritten += writeChunks(this.socket, frames, this.target.tls)
  }

  private openStreams(): void {
    const limit = Math.min(Math.max(1, this.options.pipelining), this.outbound.maxStreams)
    while (this.waiting.length > 0 && this.streams.size < limit) {
      if (this.nextId > MAX_STREAM_ID) {
        // Stream ids ran out: this connection ends once its streams do, and the rest go on a new one.
        this.goingAway = true
        if (this.streams.size === 0) this.socket?.destroy()
        return
      }
      const exchange = this.waiting.shift() as Exchange
      if (exchange.done) continue
      exchange.id = this.nextId
      this.nextId += 2
      exchange.seenActivity = -1
      this.streams.set(exchange.id, exchange)
      if (!exchange.sent) {
        exchange.sent = true
        exchange.handler.onConnect?.((reason) => this.abort(exchange, reason as Error))
        if (exchange.done) continue
      }
      this.outbound.open(exchange)
    }
  }

  private connect(): void {
    this.ready = false
    this.goingAway = false
    this.nextId = 1
    this.outbound.reset()
    this.inbound.reset()
    const socket = openSocket({
      host: this.target.host,
      port: this.target.port,
      tls: this.target.tls,
      insecure: this.options.insecure,
      alpn: 'h2',
      onRead: (length, bytes) => {
        if (this.socket === socket) this.inbound.push(bytes, length)
      },
    })
    this.socket = socket
    this.options.onSocket(socket)
    // Until the server's SETTINGS: a server that never speaks HTTP/2 times out as a connect.
    this.connectTimer = setTimeout(
      () => socket.destroy(connectTimeoutError(this.options.timeoutMs)),
      this.options.timeoutMs,
    )
    socket.once(this.target.tls ? 'secureConnect' : 'connect', () => {
      const protocol = (socket as TLSSocket).alpnProtocol
      if (this.target.tls && protocol !== 'h2') {
        socket.destroy(error(`the server chose ${protocol || 'no protocol'} by ALPN, not h2`, 'ERR_HTTP2_ERROR'))
        return
      }
      this.outbound.send(OPENING)
    })
    this.timeoutTimer ??= setInterval(() => this.checkSilence(), Math.max(50, this.options.timeoutMs / 4))
    this.timeoutTimer.unref()
    let failure: Error | undefined
    socket.on('error', (e) => {
      failure ??= e
    })
    socket.once('close', () => {
      clearTimeout(this.connectTimer)
      if (this.socket !== socket) return
      this.socket = undefined
      this.lost(failure)
    })
  }

  /**
   * The connection closed: its open streams fail; a connection that never spoke HTTP/2 fails
   * every request waiting for it (as the HTTP/1.1 path does); the rest go on a new one.
   */
  private lost(failure: Error | undefined): void {
    const reason = failure ?? error('other side closed', 'UND_ERR_SOCKET')
    const spoke = this.ready
    this.ready = false
    for (const exchange of this.streams.values()) this.fail(exchange, reason)
    this.streams.clear()
    if (!spoke) for (const exchange of this.waiting.splice(0)) if (!exchange.done) this.fail(exchange, reason)
    if (this.waiting.length > 0 && !this.destroyed) this.tick.request()
  }

  /** Per stream, undici's headers and body timeouts: a stream silent for the timeout is cancelled. */
  private checkSilence(): void {
    const nowMs = performance.now()
    for (const exchange of this.streams.values()) {
      if (exchange.activity !== exchange.seenActivity) {
        exchange.seenActivity = exchange.activity
        exchange.lastActivityMs = nowMs
      } else if (nowMs - exchange.lastActivityMs > this.options.timeoutMs)
        this.abort(exchange, silenceError(exchange.answered, this.options.timeoutMs))
    }
  }

  private fail(exchange: Exchange, reason: Error): void {
    if (exchange.done) return
    exchange.done = true
    if (exchange.id !== 0) this.streams.delete(exchange.id)
    this.outbound.forget(exchange)
    exchange.handler.onError?.(reason)
  }

  /** A request's abort (the engine's timeout sweep, or its end): the stream is reset, the connection kept. */
  private abort(exchange: Exchange, reason: Error): void {
    if (exchange.done) return
    if (exchange.id === 0) {
      const at = this.waiting.indexOf(exchange)
      if (at >= 0) this.waiting.splice(at, 1)
      this.fail(exchange, reason)
      return
    }
    this.reset(exchange, CANCEL, reason)
  }

  /** Ends a stream of ours with RST_STREAM, failing its request. */
  private reset(exchange: Exchange, code: number, reason: Error): void {
    this.outbound.send(rstStream(exchange.id, code))
    this.fail(exchange, reason)
    this.afterStream()
  }

  private complete(exchange: Exchange): void {
    exchange.done = true
    this.streams.delete(exchange.id)
    this.outbound.forget(exchange)
    exchange.handler.onComplete?.(null)
    this.afterStream()
  }

  /** A stream ended: a connection going away closes with its last one; waiting requests get the slot. */
  private afterStream(): void {
    if (this.goingAway && this.streams.size === 0) this.socket?.destroy()
    else if (this.waiting.length > 0) this.tick.request()
  }

  // ---- the server's frames, read by http2-inbound.ts ----------------------------------------------

  send(bytes: Buffer): void {
    this.outbound.send(bytes)
  }

  onConnectionError(reason: Error): void {
    for (const exchange of this.streams.values()) this.fail(exchange, reason)
    this.streams.clear()
    this.socket?.destroy()
  }

  wantsFields(id: number): boolean {
    const exchange = this.streams.get(id)
    if (exchange === undefined || exchange.answered) return false
    return exchange.handler.wantsHeaders?.() ?? true
  }

  onResponseHeaders(id: number, status: number, fields: string[] | null, endStream: boolean): void {
    const exchange = this.streams.get(id)
    if (exchange === undefined) return
    exchange.activity++
    if (!exchange.answered) {
      // 1xx are not the answer (node:http2 gives them no 'response' either).
      if (status >= 100 && status < 200 && !endStream) return
      if (Number.isNaN(status))
        return this.reset(exchange, PROTOCOL_ERROR, error('a response without :status', 'LOADPLAN_MALFORMED_RESPONSE'))
      exchange.answered = true
      if (exchange.handler.onHeaders?.(status, fields as unknown as Buffer[], () => {}, '') === false) {
        // The handler has what it wanted: the rest of the stream is declined.
        if (!endStream) this.outbound.send(rstStream(id, CANCEL))
        if (!exchange.done) this.complete(exchange)
        return
      }
    }
    if (endStream && !exchange.done) this.complete(exchange)
  }

  onResponseData(id: number, payloadBytes: number, bytes: Buffer, from: number, to: number, endStream: boolean): void {
    const exchange = this.streams.get(id)
    if (exchange === undefined) return
    exchange.activity++
    if (!exchange.answered)
      return this.reset(
        exchange,
        PROTOCOL_ERROR,
        error('HTTP/2: DATA before the response headers', 'ERR_HTTP2_STREAM_ERROR'),
      )
    const handler = exchange.handler
    if (to > from && (handler.wantsBody === undefined || handler.wantsBody()))
      handler.onData?.(bytes.subarray(from, to))
    if (endStream) this.complete(exchange)
    else if ((exchange.received += payloadBytes) >= REFILL_AT) {
      this.outbound.send(windowUpdate(id, exchange.received))
      exchange.received = 0
    }
  }

  onReset(id: number, code: number): void {
    const exchange = this.streams.get(id)
    if (exchange === undefined) return
    const name = ERROR_NAMES[code] ?? `0x${code.toString(16)}`
    this.fail(exchange, error(`Stream closed with error code NGHTTP2_${name}`, 'ERR_HTTP2_STREAM_ERROR'))
    this.afterStream()
  }

  onSettings(parameters: ReadonlyArray<readonly [number, number]>): void {
    this.outbound.settings(parameters, this.streams.values())
    if (!this.ready) {
      this.ready = true
      clearTimeout(this.connectTimer)
      this.options.onHttp2Connection?.()
    }
    this.tick.request()
  }

  onWindowUpdate(id: number, increment: number): void {
    const exchange = id === 0 ? undefined : this.streams.get(id)
    if (id === 0 || exchange !== undefined) this.outbound.windowUpdate(increment, exchange)
  }

  /**
   * The server is going away: streams past its last are unprocessed (§6.8) and go again on a new
   * connection, keeping their send time; the others finish here, then the socket closes.
   */
  onGoAway(lastStreamId: number): void {
    this.goingAway = true
    const retried = [...this.streams.values()].filter((exchange) => exchange.id > lastStreamId)
    for (const exchange of retried) {
      this.streams.delete(exchange.id)
      this.outbound.forget(exchange)
      Object.assign(exchange, {id: 0, answered: false, bodySent: 0, received: 0})
    }
    this.waiting.unshift(...retried)
    this.afterStream()
  }

  destroy(): Promise<void> {
    this.destroyed = true
    clearInterval(this.timeoutTimer)
    const reason = error('the client is destroyed', 'UND_ERR_DESTROYED')
    for (const exchange of [...this.waiting.splice(0), ...this.streams.values()]) this.fail(exchange, reason)
    this.streams.clear()
    return Promise.all([closeSocket(this.socket), this.fallback?.destroy()]).then(() => {})
  }
}

export function createRawHttp2Client(options: EngineClientOptions): EngineClient {
  return new RawHttp2Client(options)
}
