/**
 * Opens the socket of a raw client (raw-http1-client.ts, raw-http2-client.ts): TCP reads go
 * straight to `onRead` from one buffer the thread's connections share (net's `onread`: no Buffer
 * and no stream event per read; a read is handled before the next can happen, so 64 KiB serve
 * 5,000 connections as well as one); TLS sockets hand over their `data` chunks.
 */
import {Buffer} from 'node:buffer'
import {connect as connectTcp, isIP, type Socket} from 'node:net'
import {connect as connectTls} from 'node:tls'

const readBuffer = Buffer.allocUnsafe(64 * 1024)

/** Where an origin's sockets go: TLS or not, the host (an IPv6 address without brackets) and port. */
export interface OriginTarget {
  tls: boolean
  host: string
  port: number
  /** host[:port] as the origin writes it: HTTP/1.1's Host, HTTP/2's :authority. */
  authority: string
}

export function originTarget(origin: string): OriginTarget {
  const url = new URL(origin)
  const tls = url.protocol === 'https:'
  return {
    tls,
    host: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
    port: url.port === '' ? (tls ? 443 : 80) : Number(url.port),
    authority: url.host,
  }
}

export interface RawSocketOptions {
  host: string
  port: number
  tls: boolean
  insecure: boolean
  /** The ALPN protocol offered over TLS. */
  alpn: 'http/1.1' | 'h2'
  /** Bytes read: bytes[0, length), valid during the call only. */
  onRead(length: number, bytes: Buffer): void
}

export function openSocket({host, port, tls, insecure, alpn, onRead}: RawSocketOptions): Socket {
  const socket = tls
    ? connectTls({
        host,
        port,
        ...(isIP(host) === 0 ? {servername: host} : {}),
        rejectUnauthorized: !insecure,
        ALPNProtocols: [alpn],
      })
    : connectTcp({
        host,
        port,
        onread: {
          buffer: readBuffer,
          callback: (length, bytes) => {
            onRead(length, bytes as Buffer)
            return true
          },
        },
      })
  if (tls) socket.on('data', (chunk: Buffer) => onRead(chunk.length, chunk))
  socket.setNoDelay(true)
  return socket
}

const coded = (message: string, code: string) => Object.assign(new Error(message), {code})

/** undici's connect timeout, as the raw clients report it. */
export const connectTimeoutError = (timeoutMs: number) =>
  coded(`connect timeout after ${timeoutMs} ms`, 'UND_ERR_CONNECT_TIMEOUT')

/** undici's headers or body timeout: a request silent for the timeout, before or after its headers. */
export const silenceError = (headersRead: boolean, timeoutMs: number) =>
  headersRead
    ? coded(`no body data within ${timeoutMs} ms`, 'UND_ERR_BODY_TIMEOUT')
    : coded(`no response headers within ${timeoutMs} ms`, 'UND_ERR_HEADERS_TIMEOUT')

/** Destroys the socket, resolving once it has closed. */
export function closeSocket(socket: Socket | undefined): Promise<void> {
  if (socket === undefined) return Promise.resolve()
  return new Promise<void>((resolve) => {
    socket.once('close', () => resolve())
    socket.destroy()
  })
}
