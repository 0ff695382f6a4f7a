/**
 * HTTP/2 on Node's own `node:http2` (issue 33): one session per connection, each request a
 * stream, negotiated by ALPN over TLS and with prior knowledge (h2c) over plain TCP. It measured
 * about twice undici's HTTP/2 throughput on the same server (bench:throughput -- --http2), and
 * speaks to the engine through the same handler calls as undici's client.
 */
import {connect as connectHttp2, constants, type ClientHttp2Session, type ClientHttp2Stream} from 'node:http2'
import {connect as connectTcp, isIP} from 'node:net'
import {connect as connectTls} from 'node:tls'
import type {Dispatcher} from 'undici'
import {originTarget, type OriginTarget} from './open-socket.js'
import type {EngineClient, EngineClientOptions} from './undici-client.js'

type Handler = Dispatcher.DispatchHandler & {wantsHeaders?: () => boolean}

/** Headers HTTP/2 forbids (RFC 9113 §8.2.2) or carries as pseudo-headers. */
const CONNECTION_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'host',
])

const error = (message: string, code: string) => Object.assign(new Error(message), {code})

export class NodeHttp2Client implements EngineClient {
  private session: ClientHttp2Session | undefined
  private readonly streams = new Set<ClientHttp2Stream>()
  private destroyed = false
  private readonly target: OriginTarget

  constructor(private readonly options: EngineClientOptions) {
    this.target = originTarget(options.origin)
  }

  private open(): ClientHttp2Session {
    const live = this.session
    if (live && !live.closed && !live.destroyed) return live
    const {tls, host, port} = this.target
    const session = connectHttp2(this.options.origin, {
      createConnection: () => {
        const socket = tls
          ? connectTls({
              host,
              port,
              ...(isIP(host) === 0 ? {servername: host} : {}),
              rejectUnauthorized: !this.options.insecure,
              ALPNProtocols: ['h2'],
            })
          : connectTcp({host, port})
        socket.setNoDelay(true)
        this.options.onSocket(socket)
        return socket
      },
    })
    // Counted once the server's SETTINGS arrive: a server that answers in HTTP/1.1 never sends them.
    session.once('remoteSettings', () => this.options.onHttp2Connection?.())
    session.on('error', () => {})
    const connectTimer = setTimeout(() => {
      if (!session.connecting) return
      session.destroy(error(`connect timeout after ${this.options.timeoutMs} ms`, 'UND_ERR_CONNECT_TIMEOUT'))
    }, this.options.timeoutMs)
    session.once('connect', () => clearTimeout(connectTimer))
    session.once('close', () => clearTimeout(connectTimer))
    this.session = session
    return session
  }

  dispatch(options: Dispatcher.DispatchOptions, handler: Handler): boolean {
    if (this.destroyed) {
      handler.onError?.(error('the client is destroyed', 'UND_ERR_DESTROYED'))
      return false
    }
    const headers: Record<string, string> = {':method': options.method, ':path': options.path}
    const given = options.headers
    if (Array.isArray(given))
      for (let i = 0; i < given.length; i += 2) {
        const name = String(given[i]).toLowerCase()
        if (!CONNECTION_HEADERS.has(name)) headers[name] = String(given[i + 1])
      }
    const body = options.body
    const payload =
      body === undefined || body === null ? undefined : typeof body === 'string' ? Buffer.from(body) : body
    let stream: ClientHttp2Stream
    try {
      stream = this.open().request(headers, {endStream: payload === undefined})
    } catch (e) {
      handler.onError?.(e as Error)
      return false
    }
    this.streams.add(stream)
    let done = false
    let answered = false
    const finish = (failure?: Error) => {
      if (done) return
      done = true
      this.streams.delete(stream)
      if (failure) handler.onError?.(failure)
      else handler.onComplete?.(null)
    }
    handler.onConnect?.((reason) => {
      finish(reason as Error)
      stream.close(constants.NGHTTP2_CANCEL)
    })
    // undici's timeouts: headers, then each pause in the body.
    stream.setTimeout(this.options.timeoutMs, () => {
      finish(
        answered
          ? error(`no body data within ${this.options.timeoutMs} ms`, 'UND_ERR_BODY_TIMEOUT')
          : error(`no response headers within ${this.options.timeoutMs} ms`, 'UND_ERR_HEADERS_TIMEOUT'),
      )
      stream.close(constants.NGHTTP2_CANCEL)
    })
    stream.on('response', (responseHeaders) => {
      answered = true
      const status = Number(responseHeaders[':status'])
      const list = handler.wantsHeaders === undefined || handler.wantsHeaders() ? headerList(responseHeaders) : null
      if (handler.onHeaders?.(status, list as unknown as Buffer[], () => {}, '') === false) {
        finish()
        stream.close(constants.NGHTTP2_CANCEL)
      }
    })
    stream.on('data', (chunk: Buffer) => {
      if (!done) handler.onData?.(chunk)
    })
    stream.on('end', () => finish())
    stream.on('error', (e: Error) => finish(e))
    stream.on('close', () => {
      if (!done) finish(error(`stream closed (code ${stream.rstCode ?? 0})`, 'ERR_HTTP2_STREAM_ERROR'))
    })
    if (payload !== undefined) stream.end(payload)
    return true
  }

  destroy(): Promise<void> {
    this.destroyed = true
    const session = this.session
    if (!session || session.destroyed) return Promise.resolve()
    return new Promise((resolve) => {
      session.once('close', () => resolve())
      session.destroy(error('the client is destroyed', 'UND_ERR_DESTROYED'))
    })
  }
}

/** A response's headers as the flat name, value list undici hands its handlers. */
function headerList(headers: Record<string, unknown>): string[] {
  const list: string[] = []
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith(':')) continue
    for (const v of Array.isArray(value) ? value : [value]) list.push(name, String(v))
  }
  return list
}

export function createNodeHttp2Client(options: EngineClientOptions): EngineClient {
  return new NodeHttp2Client(options)
}
