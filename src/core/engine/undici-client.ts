/**
 * The connections the engine sends on: one undici Client per connection. Bytes are counted per
 * socket (exact, and free on the hot path) through a wrapped connector.
 */
import type {Socket} from 'node:net'
import type {Dispatcher} from 'undici'
// By path, not undici's index: see undici-deep.d.ts.
import buildConnector from 'undici/lib/core/connect.js'
import Client from 'undici/lib/dispatcher/client.js'

/** What the engine needs from a connection; tests substitute a fake with a virtual clock. */
export interface EngineClient {
  dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean
  destroy(): Promise<void>
  /** Bytes written past the sockets' streams, which their bytesWritten does not count (raw-http1-client.ts). */
  readonly directBytesWritten?: number
}

export interface EngineClientOptions {
  origin: string
  pipelining: number
  timeoutMs: number
  insecure: boolean
  /** HTTP/2: negotiated by ALPN over TLS, with prior knowledge (h2c) over plain TCP; `pipelining` streams at once. */
  http2?: boolean
  /** undici rather than loadplan's own clients (raw-http1-client.ts, node-http2-client.ts). */
  useUndici?: boolean
  /** loadplan's HTTP/2 client: called once a connection has spoken HTTP/2 (the server's SETTINGS arrived). */
  onHttp2Connection?: () => void
  /** Called with every socket the client opens. */
  onSocket(socket: Socket): void
}

export function createUndiciClient(options: EngineClientOptions): EngineClient {
  const http2 = options.http2 === true
  const h2c = http2 && options.origin.startsWith('http:')
  // undici 7 takes useH2c (lib/core/connect.js, lib/dispatcher/client.js); its types do not list it yet.
  const h2cOption: object = {useH2c: h2c}
  const connector = buildConnector({
    rejectUnauthorized: !options.insecure,
    timeout: options.timeoutMs,
    allowH2: http2,
    ...h2cOption,
  })
  const client = new Client(options.origin, {
    pipelining: options.pipelining,
    ...(http2 ? {allowH2: true, maxConcurrentStreams: Math.max(100, options.pipelining), ...h2cOption} : {}),
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    connect(connectOptions, callback) {
      connector(connectOptions, (error, socket) => {
        if (error) return callback(error, null)
        options.onSocket(socket as Socket)
        callback(null, socket as Socket)
      })
    },
  })
  // Connection errors surface on the requests themselves; without a listener they would be re-emitted.
  client.on('connectionError', () => {})
  return client
}
