/**
 * The fast HTTP/1.1 path: one raw `net`/`tls` socket per connection, requests serialised once
 * (a static request's bytes are kept for every send), the requests one turn of the event loop
 * produces written together, pipelining kept, and responses read by http1-response-parser.ts.
 * It speaks to the engine through the same handler calls as undici (onConnect, onHeaders,
 * onData, onComplete, onError), so the engine does not know which path runs. What it declines
 * (a request body that is not bytes, Expect, Upgrade, a Transfer-Encoding of its own, CONNECT)
 * goes to an undici client for the same origin, made on first need.
 */
// Imported, not the globals: globalThis.Buffer and globalThis.process are accessors, a getter call
// on every use in the per-request path.
import {Buffer} from 'node:buffer'
import type {Socket} from 'node:net'
import type {Dispatcher} from 'undici'
import {writeChunks} from './direct-write.js'
import {Http1ResponseParser, type ResponseSink} from './http1-response-parser.js'
import {
  closeSocket,
  connectTimeoutError,
  openSocket,
  originTarget,
  silenceError,
  type OriginTarget,
} from './open-socket.js'
import {breaksFraming, isStaticRequest} from './request-factory.js'
import {TickBatch} from './tick-batch.js'
import {createUndiciClient, type EngineClient, type EngineClientOptions} from './undici-client.js'

/** Handler calls the engine's request slots answer (undici's legacy dispatch handler). */
type Handler = Dispatcher.DispatchHandler & {wantsHeaders?: () => boolean; wantsBody?: () => boolean}

interface Pending {
  bytes: Buffer
  handler: Handler
  noBody: boolean
  /** Written to the socket: its response is the next one the parser reads after those before it. */
  written: boolean
  done: boolean
}

/** Request headers the fast path leaves to undici: they change how the exchange is framed. */
const DECLINED_HEADERS = new Set(['transfer-encoding', 'expect', 'upgrade', 'content-length'])

const serialisedStatic = new WeakMap<Dispatcher.DispatchOptions, Buffer>()

const error = (message: string, code: string) => Object.assign(new Error(message), {code})

export class RawHttp1Client implements EngineClient, ResponseSink {
  /** Where the sockets go: TLS or not, host, port, and the authority requests name. */
  private readonly target: OriginTarget
  private socket: Socket | undefined
  private connected = false
  private connectTimer: NodeJS.Timeout | undefined
  /** Requests not yet written, then written and awaiting their responses, in order. */
  private readonly queue: Pending[] = []
  private written = 0
  /** The requests of this turn are written together on the next tick. */
  private readonly tick = new TickBatch(() => this.flush())
  /** The server said it closes after the response being read: nothing more is written to it. */
  private closing = false
  private destroyed = false
  private readonly parser = new Http1ResponseParser(this)
  private fallback: EngineClient | undefined
  /**
   * Reads and idle-spell writes so far, and when the silence check last saw that count change:
   * a counter costs nothing per read where a clock read would; the check's own period (a quarter
   * of the timeout) is its resolution, finer than undici's one second.
   */
  private activity = 0
  private seenActivity = -1
  private lastActivityMs = 0
  /** The response being read has its head: a silence now is a body timeout. */
  private headRead = false
  private timeoutTimer: NodeJS.Timeout | undefined
  /** Requests handed to undici. */
  declined = 0
  /** Bytes written past the socket's stream (direct-write.ts): its bytesWritten does not count them. */
  directBytesWritten = 0

  constructor(private readonly options: EngineClientOptions) {
    this.target = originTarget(options.origin)
  }

  dispatch(options: Dispatcher.DispatchOptions, handler: Handler): boolean {
    const bytes = this.serialise(options)
    if (bytes === undefined) {
      this.declined++
      return (this.fallback ??= createUndiciClient(this.options)).dispatch(options, handler)
    }
    if (this.destroyed) {
      handler.onError?.(error('the client is destroyed', 'UND_ERR_DESTROYED'))
      return false
    }
    this.queue.push({bytes, handler, noBody: options.method === 'HEAD', written: false, done: false})
    // One request per connection at a time: written now, as the response that freed the slot is
    // read (a deferred write only adds a turn of the loop). Pipelined ones are gathered first.
    if (this.options.pipelining <= 1 && this.connected && this.written === 0 && !this.closing) this.flush()
    else this.tick.request()
    return true
  }

  /** The request's bytes, or undefined when the fast path declines it. */
  private serialise(options: Dispatcher.DispatchOptions): Buffer | undefined {
    const kept = serialisedStatic.get(options)
    if (kept !== undefined) return kept
    const {method, path, body} = options
    if (
      method === 'CONNECT' ||
      !(body === undefined || body === null || Buffer.isBuffer(body) || typeof body === 'string')
    )
      return undefined
    const headers = options.headers
    if (headers !== undefined && headers !== null && !Array.isArray(headers)) return undefined
    let head = `${method} ${path} HTTP/1.1\r\n`
    let host = false
    if (headers)
      for (let i = 0; i < headers.length; i += 2) {
        const name = String(headers[i])
        const lower = name.toLowerCase()
        if (DECLINED_HEADERS.has(lower)) return undefined
        if (lower === 'host') host = true
        const value = String(headers[i + 1])
        if (breaksFraming(name, value)) return undefined
        head += `${name}: ${value}\r\n`
      }
    if (!host)
      head = `${method} ${path} HTTP/1.1\r\nhost: ${this.target.authority}\r\n${head.slice(head.indexOf('\r\n') + 2)}`
    const payload = body === undefined || body === null ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body)
    // undici sends content-length for a body, and for an empty one on methods that carry one.
    if (payload !== undefined) head += `content-length: ${payload.length}\r\n`
    else if (method === 'POST' || method === 'PUT' || method === 'PATCH') head += 'content-length: 0\r\n'
    head += '\r\n'
    const bytes =
      payload === undefined || payload.length === 0
        ? Buffer.from(head, 'latin1')
        : Buffer.concat([Buffer.from(head, 'latin1'), payload])
    if (isStaticRequest(options)) serialisedStatic.set(options, bytes)
    return bytes
  }

  private flush(): void {
    if (this.destroyed || this.written === this.queue.length) return
    if (!this.socket) return this.connect()
    if (!this.connected || this.closing) return
    const socket = this.socket
    const limit = Math.min(this.queue.length, Math.max(1, this.options.pipelining))
    if (this.written >= limit) return
    if (this.written === 0) this.activity++
    const first = this.written
    while (this.written < limit) {
      const pending = this.queue[this.written++] as Pending
      pending.written = true
      pending.handler.onConnect?.((reason) => this.abort(pending, reason as Error))
    }
    // The requests go out in one write (one syscall); those aborted as they were handed over do not.
    if (limit - first === 1) {
      const pending = this.queue[first] as Pending
      if (!pending.done) this.write(socket, pending.bytes)
      return
    }
    const chunks: Buffer[] = []
    for (let i = first; i < limit; i++) {
      const pending = this.queue[i] as Pending
      if (!pending.done) chunks.push(pending.bytes)
    }
    if (chunks.length > 0) this.write(socket, chunks.length === 1 ? (chunks[0] as Buffer) : chunks)
  }

  private write(socket: Socket, chunks: Buffer | Buffer[]): void {
    this.directBytesWritten += writeChunks(socket, chunks, this.target.tls)
  }

  private connect(): void {
    this.closing = false
    this.connected = false
    this.headRead = false
    this.parser.reset()
    const socket = openSocket({
      host: this.target.host,
      port: this.target.port,
      tls: this.target.tls,
      insecure: this.options.insecure,
      alpn: 'http/1.1',
      // Reads of a socket this client has since replaced are not this connection's.
      onRead: (length, bytes) => {
        if (this.socket === socket) this.onRead(length, bytes)
      },
    })
    this.socket = socket
    this.options.onSocket(socket)
    this.connectTimer = setTimeout(
      () => socket.destroy(connectTimeoutError(this.options.timeoutMs)),
      this.options.timeoutMs,
    )
    let failure: Error | undefined
    let opened = false
    socket.once(this.target.tls ? 'secureConnect' : 'connect', () => {
      clearTimeout(this.connectTimer)
      opened = true
      this.connected = true
      this.flush()
    })
    this.timeoutTimer ??= setInterval(() => this.checkSilence(), Math.max(50, this.options.timeoutMs / 4))
    this.timeoutTimer.unref()
    socket.on('end', () => {
      if (this.socket === socket) this.parser.end()
    })
    socket.on('error', (e) => {
      failure ??= e
    })
    socket.once('close', () => {
      clearTimeout(this.connectTimer)
      if (this.socket !== socket) return
      this.socket = undefined
      this.connected = false
      this.lost(failure, opened)
    })
  }

  /** Bytes read on the current socket: parsed at once, since the buffer is reused by the next read. */
  private onRead(length: number, buffer: Buffer): void {
    this.activity++
    this.parser.push(buffer, length)
  }

  /**
   * The connection closed: requests written and not answered fail; a connection that never
   * opened fails every request waiting for it (as undici does); the rest go on a new one.
   */
  private lost(failure: Error | undefined, opened: boolean): void {
    const reason = failure ?? error('other side closed', 'UND_ERR_SOCKET')
    const failed = opened ? this.queue.splice(0, this.written) : this.queue.splice(0)
    this.written = 0
    for (const pending of failed) if (!pending.done) this.failRequest(pending, reason)
    if (this.queue.length > 0 && !this.destroyed) this.tick.request()
  }

  /** undici's headers and body timeouts: a connection silent for the timeout with a request outstanding. */
  private checkSilence(): void {
    const nowMs = performance.now()
    if (this.activity !== this.seenActivity) {
      this.seenActivity = this.activity
      this.lastActivityMs = nowMs
      return
    }
    if (this.written === 0 || !this.connected) return
    if (nowMs - this.lastActivityMs <= this.options.timeoutMs) return
    this.abort(this.queue[0] as Pending, silenceError(this.headRead, this.options.timeoutMs))
  }

  private failRequest(pending: Pending, reason: Error): void {
    pending.done = true
    pending.handler.onError?.(reason)
  }

  /** A request's abort (the engine's timeout sweep, or its end): it fails, and its connection is cut if it was sent. */
  private abort(pending: Pending, reason: Error): void {
    if (pending.done) return
    const at = this.queue.indexOf(pending)
    if (!pending.written && at >= 0) {
      this.queue.splice(at, 1)
      this.failRequest(pending, reason)
      return
    }
    // Its response may still come: the connection can no longer be read in step.
    this.failRequest(pending, reason)
    this.socket?.destroy()
  }

  // ---- the parser's sink: the oldest written request ------------------------------------------

  expectsNoBody(): boolean {
    return this.queue[0]?.noBody === true
  }

  wantsHeaders(): boolean {
    const handler = this.queue[0]?.handler
    return handler?.wantsHeaders === undefined || handler.wantsHeaders()
  }

  onHead(status: number, headers: string[] | null, keepAlive: boolean): boolean {
    const pending = this.queue[0]
    if (!pending || this.written === 0) {
      this.onParseError(error('a response no request asked for', 'LOADPLAN_UNEXPECTED_RESPONSE'))
      return false
    }
    if (!keepAlive) this.closing = true
    this.headRead = true
    if (pending.done) return true
    return pending.handler.onHeaders?.(status, headers as unknown as Buffer[], () => {}, '') !== false
  }

  onBody(bytes: Buffer, start: number, end: number): void {
    const pending = this.queue[0]
    if (!pending || pending.done) return
    // Most runs only count the body: no view of the read buffer is made for a handler that declines it.
    const handler = pending.handler
    if (handler.wantsBody === undefined || handler.wantsBody()) handler.onData?.(bytes.subarray(start, end))
  }

  onEnd(): void {
    const pending = this.queue.shift() as Pending
    this.written--
    this.headRead = false
    const reusable = this.parser.reusable
    if (!pending.done) {
      pending.done = true
      pending.handler.onComplete?.(null)
    }
    if (!reusable) this.socket?.destroy()
  }

  onParseError(reason: Error): void {
    const socket = this.socket
    if (!socket) return
    // The requests written on it fail with this cause rather than a reset.
    const failed = this.queue.splice(0, this.written)
    this.written = 0
    for (const pending of failed) if (!pending.done) this.failRequest(pending, reason)
    socket.destroy()
  }

  destroy(): Promise<void> {
    this.destroyed = true
    clearInterval(this.timeoutTimer)
    const reason = error('the client is destroyed', 'UND_ERR_DESTROYED')
    const waiting = this.queue.splice(0)
    this.written = 0
    for (const pending of waiting) if (!pending.done) this.failRequest(pending, reason)
    return Promise.all([closeSocket(this.socket), this.fallback?.destroy()]).then(() => {})
  }
}

export function createRawHttp1Client(options: EngineClientOptions): EngineClient {
  return new RawHttp1Client(options)
}
