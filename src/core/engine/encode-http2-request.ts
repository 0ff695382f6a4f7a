/**
 * A request as the raw HTTP/2 client sends it: its HPACK header block and body bytes, made once
 * for a static request (request-factory.ts) and kept for every stream that sends it.
 */
import {Buffer} from 'node:buffer'
import type {Dispatcher} from 'undici'
import {encodeHeaderBlock} from './hpack.js'
import {breaksFraming, isStaticRequest} from './request-factory.js'

export interface EncodedHttp2Request {
  block: Buffer
  /** Absent for no body or an empty one: the HEADERS frame ends the stream. */
  body: Buffer | undefined
}

/** Headers HTTP/2 forbids (RFC 9113 §8.2.2); `host` becomes `:authority`. */
const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade'])

const kept = new WeakMap<Dispatcher.DispatchOptions, EncodedHttp2Request>()

/** The request's block and body, or undefined when the raw path declines it (a streamed body). */
export function encodeHttp2Request(
  options: Dispatcher.DispatchOptions,
  scheme: string,
  origin: string,
): EncodedHttp2Request | undefined {
  const known = kept.get(options)
  if (known !== undefined) return known
  const {method, path, body} = options
  if (!(body === undefined || body === null || Buffer.isBuffer(body) || typeof body === 'string')) return undefined
  const headers = options.headers
  if (headers !== undefined && headers !== null && !Array.isArray(headers)) return undefined
  let authority = origin
  let length = false
  const fields: Array<[string, string]> = []
  if (headers)
    for (let i = 0; i < headers.length; i += 2) {
      const name = String(headers[i]).toLowerCase()
      const value = String(headers[i + 1])
      if (breaksFraming(name, value)) return undefined
      if (name === 'host') authority = value
      else if (!CONNECTION_HEADERS.has(name)) fields.push([name, value])
      if (name === 'content-length') length = true
    }
  const payload = body === undefined || body === null ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body)
  if (payload !== undefined && !length) fields.push(['content-length', String(payload.length)])
  const encoded = {
    block: encodeHeaderBlock([
      [':method', method],
      [':scheme', scheme],
      [':authority', authority],
      [':path', path],
      ...fields,
    ]),
    body: payload?.length === 0 ? undefined : payload,
  }
  if (isStaticRequest(options)) kept.set(options, encoded)
  return encoded
}
