/**
 * The connections of one engine thread: a Connection per slot group, with one client per target
 * (one undici Client is one origin), made on first use in a balanced run; the sockets they open,
 * counted and measured in bytes; and their teardown.
 */
import {EventEmitter} from 'node:events'
import type {Socket} from 'node:net'
import type {EngineCounters} from '../../contracts/results/engine-snapshot.js'
import type {EngineClient, EngineClientOptions} from './undici-client.js'
import type {Connection} from './request-slot.js'
import type {EngineExtra} from './engine-result.js'

/**
 * The HTTP/2 session undici's client made on `socket` (it keeps it under its `http2Session`
 * symbol, set just after the connect callback returns); undefined if that ever changes, which the
 * h2c integration test would show as no HTTP/2 connections counted.
 */
function http2SessionOf(socket: Socket): EventEmitter | undefined {
  const key = Object.getOwnPropertySymbols(socket).find((symbol) => symbol.description === 'http2Session')
  const session = key === undefined ? undefined : (socket as unknown as Record<symbol, unknown>)[key]
  return session instanceof EventEmitter ? session : undefined
}

export class ConnectionPool {
  private readonly clients: EngineClient[] = []
  private readonly liveSockets = new Set<Socket>()
  private closedSocketBytes = {sent: 0, received: 0}

  constructor(
    private readonly createClient: (options: EngineClientOptions) => EngineClient,
    private readonly settings: Pick<EngineClientOptions, 'timeoutMs' | 'insecure' | 'http2' | 'useUndici'>,
    /** The origins requests go to: the targets of a balanced run, else the one origin. */
    private readonly origins: readonly string[],
    private readonly balanced: boolean,
    private readonly counters: EngineCounters,
  ) {}

  private client(pipelining: number, origin: string): EngineClient {
    const client = this.createClient({
      ...this.settings,
      origin,
      pipelining,
      onSocket: (socket) => this.track(socket),
      onHttp2Connection: () => this.counters.http2Connections++,
    })
    this.clients.push(client)
    return client
  }

  /** A connection for `pipelining` slots; with a single target its client is made at once. */
  connection(pipelining: number): Connection {
    return {
      pipelining,
      clients: this.balanced ? [] : [this.client(pipelining, this.origins[0] as string)],
      slots: 0,
      streams: 0,
    }
  }

  /** The connection's client for `target` (a balanced run), made on first use. */
  clientFor(connection: Connection, target: number): EngineClient {
    return (
      connection.clients[target] ??
      (connection.clients[target] = this.client(connection.pipelining, this.origins[target] as string))
    )
  }

  private track(socket: Socket): void {
    this.counters.connectionsOpened++
    if ((socket as Socket & {alpnProtocol?: string | false}).alpnProtocol === 'h2') {
      // Over TLS the server chose h2 by ALPN. Over cleartext (h2c) undici marks every socket h2
      // before the server says a word, so it counts only once the server's SETTINGS arrive: an
      // HTTP/1.1 server answering the preface is not an HTTP/2 connection.
      if ((socket as Socket & {encrypted?: boolean}).encrypted === true) this.counters.http2Connections++
      else setImmediate(() => http2SessionOf(socket)?.once('remoteSettings', () => this.counters.http2Connections++))
    }
    this.liveSockets.add(socket)
    socket.once('close', () => {
      this.liveSockets.delete(socket)
      this.closedSocketBytes.sent += socket.bytesWritten
      this.closedSocketBytes.received += socket.bytesRead
    })
  }

  /** The client that sent (loadplan's own, or undici) and the requests the raw HTTP/1.1 clients handed to undici. */
  clientSummary(): Pick<EngineExtra, 'client' | 'declinedRequests'> {
    const declined = this.clients.reduce((sum, c) => sum + ((c as {declined?: number}).declined ?? 0), 0)
    return {client: this.settings.useUndici ? 'undici' : 'raw', ...(declined > 0 ? {declinedRequests: declined} : {})}
  }

  /** Bytes written and read on every socket so far, into the counters. */
  countBytes(): void {
    this.counters.bytesSent = this.closedSocketBytes.sent
    for (const client of this.clients) this.counters.bytesSent += client.directBytesWritten ?? 0
    this.counters.bytesReceived = this.closedSocketBytes.received
    for (const socket of this.liveSockets) {
      this.counters.bytesSent += socket.bytesWritten
      this.counters.bytesReceived += socket.bytesRead
    }
  }

  /** Closes every connection; requests still on them fail (a cut-off). */
  destroy(): Promise<void> {
    return Promise.all(this.clients.map((client) => client.destroy().catch(() => {}))).then(() => {})
  }
}
