/**
 * The fast path's response parser (issue 33): any stream of responses, split at any byte
 * boundaries across reads, gives the same heads, bodies and ends as the stream read whole; chunked
 * bodies with random chunk sizes, extensions and trailers decode to the body sent.
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {Http1ResponseParser, type ResponseSink} from '../../src/core/engine/http1-response-parser.js'
import {splitBytes} from '../helpers/split-bytes.js'

interface Response {
  status: number
  body: Buffer
  framing: 'length' | 'chunked' | 'none'
  chunks: number[]
  extension: boolean
  trailers: boolean
  informational: boolean
  headRequest: boolean
}

/** The response's bytes on the wire. */
function wire(r: Response): Buffer {
  const parts: Buffer[] = []
  if (r.informational) parts.push(Buffer.from('HTTP/1.1 103 Early Hints\r\nLink: </style.css>\r\n\r\n'))
  const noBody = r.status === 204 || r.status === 304 || r.headRequest
  let head = `HTTP/1.1 ${r.status} Whatever\r\nServer: test\r\nX-Padding: ${'p'.repeat(r.body.length % 50)}\r\n`
  if (r.framing === 'length' || noBody) head += `Content-Length: ${r.body.length}\r\n`
  else head += 'Transfer-Encoding: chunked\r\n'
  parts.push(Buffer.from(`${head}\r\n`, 'latin1'))
  if (noBody) return Buffer.concat(parts)
  if (r.framing === 'length') parts.push(r.body)
  else {
    let at = 0
    for (const size of r.chunks) {
      const n = Math.min(size, r.body.length - at)
      if (n <= 0) break
      parts.push(
        Buffer.from(`${n.toString(16)}${r.extension ? ';name="v"' : ''}\r\n`),
        r.body.subarray(at, at + n),
        Buffer.from('\r\n'),
      )
      at += n
    }
    if (at < r.body.length)
      parts.push(Buffer.from(`${(r.body.length - at).toString(16)}\r\n`), r.body.subarray(at), Buffer.from('\r\n'))
    parts.push(Buffer.from(r.trailers ? '0\r\nX-Checksum: abc\r\nX-More: 1\r\n\r\n' : '0\r\n\r\n'))
  }
  return Buffer.concat(parts)
}

const STALE_BYTES = Buffer.from('\r\n\r\n0\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\n')
const readBuffer = Buffer.alloc(64 * 1024, STALE_BYTES)

/** Feeds `pieces` to a parser; returns what each response gave, and any error. */
function parse(pieces: Buffer[], responses: Response[]): {seen: Array<{status: number; body: string}>; error?: string} {
  const seen: Array<{status: number; body: string}> = []
  let body: Buffer[] = []
  let status = 0
  let error: string | undefined
  const sink: ResponseSink = {
    expectsNoBody: () => responses[seen.length]?.headRequest === true,
    wantsHeaders: () => true,
    onHead: (s, headers) => {
      expect(headers?.[0]).toBe('Server')
      status = s
      return true
    },
    onBody: (bytes, start, end) => body.push(Buffer.from(bytes.subarray(start, end))),
    onEnd: () => {
      seen.push({status, body: Buffer.concat(body).toString('latin1')})
      body = []
    },
    onParseError: (e) => {
      error = e.message
    },
  }
  const parser = new Http1ResponseParser(sink)
  for (const piece of pieces) {
    // As the client reads: into one reused buffer whose bytes past the read are an earlier read's
    // (here, framing that would mislead a parser that looked past the length or kept a view).
    if (piece.length > readBuffer.length) parser.push(piece)
    else {
      piece.copy(readBuffer)
      parser.push(readBuffer, piece.length)
      readBuffer.fill(STALE_BYTES)
    }
  }
  return error === undefined ? {seen} : {seen, error}
}

const response: fc.Arbitrary<Response> = fc.record({
  status: fc.constantFrom(200, 201, 204, 304, 404, 500, 999),
  body: fc.uint8Array({maxLength: 300}).map((a) => Buffer.from(a)),
  framing: fc.constantFrom('length' as const, 'chunked' as const),
  chunks: fc.array(fc.integer({min: 1, max: 64}), {maxLength: 8}),
  extension: fc.boolean(),
  trailers: fc.boolean(),
  informational: fc.boolean(),
  headRequest: fc.boolean(),
})

/** The stream cut at the given points. */
function split(stream: Buffer, cuts: number[]): Buffer[] {
  return splitBytes(
    stream,
    cuts.map((c) => c % (stream.length + 1)),
  )
}

describe('HTTP/1.1 response parser (issue 33)', () => {
  it('reads any pipelined responses split at any points exactly as read whole', () => {
    fc.assert(
      fc.property(fc.array(response, {minLength: 1, maxLength: 6}), fc.array(fc.nat(), {maxLength: 40}), (rs, cuts) => {
        const stream = Buffer.concat(rs.map(wire))
        const whole = parse([stream], rs)
        const pieces = parse(split(stream, cuts), rs)
        const byte = parse(
          [...stream].map((b) => Buffer.from([b])),
          rs,
        )
        expect(whole.error).toBeUndefined()
        expect(whole.seen).toEqual(
          rs.map((r) => ({
            status: r.status,
            body: r.status === 204 || r.status === 304 || r.headRequest ? '' : r.body.toString('latin1'),
          })),
        )
        expect(pieces).toEqual(whole)
        expect(byte).toEqual(whole)
      }),
      {numRuns: 300},
    )
  })

  it('reads a body without length or chunks until the connection ends', () => {
    const seen: string[] = []
    const parser = new Http1ResponseParser({
      expectsNoBody: () => false,
      wantsHeaders: () => false,
      onHead: (_s, headers, keepAlive) => {
        expect(headers).toBeNull()
        expect(keepAlive).toBe(false)
        return true
      },
      onBody: (bytes, start, end) => seen.push(bytes.toString('latin1', start, end)),
      onEnd: () => seen.push('<end>'),
      onParseError: (e) => seen.push(`error ${e.message}`),
    })
    parser.push(Buffer.from('HTTP/1.1 200 OK\r\nServer: x\r\n\r\nabc'))
    parser.push(Buffer.from('def'))
    expect(parser.readsUntilClose).toBe(true)
    parser.end()
    expect(seen).toEqual(['abc', 'def', '<end>'])
  })

  it("reads the connection's fate from Connection, the version and the framing", () => {
    const fate = (head: string) => {
      let kept: boolean | undefined
      new Http1ResponseParser({
        expectsNoBody: () => false,
        wantsHeaders: () => false,
        onHead: (_s, _h, keepAlive) => {
          kept = keepAlive
          return true
        },
        onBody: () => {},
        onEnd: () => {},
        onParseError: (e) => {
          throw e
        },
      }).push(Buffer.from(`${head}\r\n\r\n`))
      return kept
    }
    expect(fate('HTTP/1.1 200 OK\r\nContent-Length: 0')).toBe(true)
    expect(fate('HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive')).toBe(true)
    expect(fate('HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection:  Close ')).toBe(false)
    expect(fate('HTTP/1.1 200 OK\r\nContent-Length: 0\r\nCONNECTION: upgrade, close')).toBe(false)
    expect(fate('HTTP/1.0 200 OK\r\nContent-Length: 0')).toBe(false)
    expect(fate('HTTP/1.0 200 OK\r\nContent-Length: 0\r\nConnection: Keep-Alive')).toBe(true)
    expect(fate('HTTP/1.1 200 OK')).toBe(false)
    expect(fate('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip')).toBe(false)
  })

  it('refuses what is not a response, with a cause of its own', () => {
    const errors: string[] = []
    const sink = (): ResponseSink => ({
      expectsNoBody: () => false,
      wantsHeaders: () => false,
      onHead: () => true,
      onBody: () => {},
      onEnd: () => {},
      onParseError: (e) => errors.push(`${(e as {code?: string}).code}: ${e.message}`),
    })
    for (const bad of [
      'HTTP/1.1 2x0 OK\r\n\r\n',
      'SMTP ready\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      'HTTP/1.1 200 OK\r\nno colon here\r\n\r\n',
    ])
      new Http1ResponseParser(sink()).push(Buffer.from(bad))
    new Http1ResponseParser(sink()).push(Buffer.from(`HTTP/1.1 200 OK\r\nX: ${'a'.repeat(20_000)}`))
    expect(errors).toEqual([
      'LOADPLAN_MALFORMED_RESPONSE: malformed status line',
      'LOADPLAN_MALFORMED_RESPONSE: malformed status line',
      'LOADPLAN_MALFORMED_RESPONSE: invalid content-length',
      'LOADPLAN_MALFORMED_RESPONSE: invalid chunk size',
      'LOADPLAN_MALFORMED_RESPONSE: malformed header line',
      'UND_ERR_HEADERS_OVERFLOW: headers overflow',
    ])
  })
})
