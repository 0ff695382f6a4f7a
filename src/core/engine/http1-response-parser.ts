/**
 * An HTTP/1.1 response parser for the fast path (raw-http1-client.ts): status line, the headers
 * that frame the body (Content-Length, Transfer-Encoding, Connection), and the body by length,
 * by chunks (extensions and trailers skipped) or until the connection closes; HEAD, 1xx, 204
 * and 304 without bodies. Responses may be split across reads anywhere and several may arrive in
 * one read (pipelining). No I/O: bytes in, callbacks out.
 */

/** What the parser reports to: the connection's oldest outstanding request. */
export interface ResponseSink {
  /** The request the next response answers was a HEAD (its response has no body). */
  expectsNoBody(): boolean
  /** The handler wants the header lines (a journey, a clock sample); otherwise null is passed. */
  wantsHeaders(): boolean
  /** A final (non-1xx) response's head; false aborts. */
  onHead(status: number, headers: string[] | null, keepAlive: boolean): boolean
  /** Body bytes `bytes[start, end)`: a view of the client's read buffer, valid only during the call. */
  onBody(bytes: Buffer, start: number, end: number): void
  onEnd(): void
  /** Bytes that cannot be a response: the connection must close. */
  onParseError(error: Error): void
}

/** undici's (and Node's) default limit on a response head. */
export const MAX_HEAD_BYTES = 16 * 1024

const enum State {
  Head,
  Length,
  ChunkSize,
  ChunkData,
  ChunkDataEnd,
  Trailers,
  UntilClose,
}

/** head(): the head goes on past this read; or parsing stopped. */
const INCOMPLETE = -1
const STOPPED = -2

const malformed = (message: string) => Object.assign(new Error(message), {code: 'LOADPLAN_MALFORMED_RESPONSE'})
/** A head longer than MAX_HEAD_BYTES, found whole or still going on (undici's code). */
const headersOverflow = () => Object.assign(new Error('headers overflow'), {code: 'UND_ERR_HEADERS_OVERFLOW'})

export class Http1ResponseParser {
  private state = State.Head
  /** Bytes of a head, chunk-size line or trailer not yet complete. */
  private carry: Buffer | undefined
  /** Body bytes still to come (by length, or of the current chunk). */
  private remaining = 0
  private keepAlive = true
  private failed = false

  constructor(private readonly sink: ResponseSink) {}

  /** The body runs until the connection closes. */
  get readsUntilClose(): boolean {
    return this.state === State.UntilClose
  }

  /** A new connection: forget any partial response. */
  reset(): void {
    this.state = State.Head
    this.carry = undefined
    this.remaining = 0
    this.keepAlive = true
    this.failed = false
  }

  /** The connection ended: a body read until close is complete. */
  end(): void {
    if (this.state === State.UntilClose) {
      this.state = State.Head
      this.sink.onEnd()
    }
  }

  /**
   * Parses `input[0, inputLength)`; the bytes past it are not this read's (the client reads into a
   * buffer it reuses, and passes the length rather than make a view of every read).
   */
  push(input: Buffer, inputLength = input.length): void {
    if (this.failed) return
    let chunk = input
    let length = inputLength
    if (this.carry !== undefined) {
      chunk = Buffer.concat([this.carry, input.subarray(0, inputLength)])
      length = chunk.length
      this.carry = undefined
    }
    let offset = 0
    while (offset < length && !this.failed) {
      switch (this.state) {
        case State.Head: {
          const next = this.head(chunk, offset, length)
          if (next === INCOMPLETE) {
            if (length - offset > MAX_HEAD_BYTES) return this.fail(headersOverflow())
            // A copy: the client reads into one buffer it reuses (open-socket.ts).
            this.carry = Buffer.from(chunk.subarray(offset, length))
            return
          }
          if (next === STOPPED) return
          offset = next
          break
        }
        case State.Length: {
          const take = Math.min(this.remaining, length - offset)
          this.sink.onBody(chunk, offset, offset + take)
          offset += take
          this.remaining -= take
          if (this.remaining === 0) this.finish()
          break
        }
        case State.ChunkSize: {
          const end = lineEnd(chunk, offset, length)
          if (end < 0) return this.keep(chunk, offset, length, 'chunk size line too long')
          const line = chunk.toString('latin1', offset, end)
          offset = end + 2
          const size = chunkSize(line)
          if (size === undefined) return this.fail(malformed('invalid chunk size'))
          if (size === 0) this.state = State.Trailers
          else {
            this.remaining = size
            this.state = State.ChunkData
          }
          break
        }
        case State.ChunkData: {
          const take = Math.min(this.remaining, length - offset)
          this.sink.onBody(chunk, offset, offset + take)
          offset += take
          this.remaining -= take
          if (this.remaining === 0) this.state = State.ChunkDataEnd
          break
        }
        case State.ChunkDataEnd: {
          if (length - offset < 2) return this.keep(chunk, offset, length, 'chunk end')
          if (chunk[offset] !== 13 || chunk[offset + 1] !== 10) return this.fail(malformed('chunk without its CRLF'))
          offset += 2
          this.state = State.ChunkSize
          break
        }
        case State.Trailers: {
          // Trailer lines end at an empty line; they are read past, not reported.
          const end = lineEnd(chunk, offset, length)
          if (end < 0) return this.keep(chunk, offset, length, 'trailer too long')
          const empty = end === offset
          offset = end + 2
          if (empty) this.finish()
          break
        }
        case State.UntilClose: {
          this.sink.onBody(chunk, offset, length)
          offset = length
          break
        }
      }
    }
  }

  /** Keeps a partial line for the next read, within the head limit. */
  private keep(chunk: Buffer, offset: number, length: number, what: string): void {
    if (length - offset > MAX_HEAD_BYTES) return this.fail(malformed(what))
    this.carry = Buffer.from(chunk.subarray(offset, length))
  }

  private fail(error: Error): void {
    this.failed = true
    this.carry = undefined
    this.sink.onParseError(error)
  }

  private finish(): void {
    this.state = State.Head
    this.sink.onEnd()
  }

  /**
   * Reads the head that starts at `bytes[start]`, in one pass: the offset past its blank line;
   * INCOMPLETE when it goes on past `length` (nothing reported yet: the next read parses it
   * again); STOPPED when parsing must stop (an error, or the handler aborted). Only the framing
   * headers are looked at, and strings are made only when the handler asks for the header lines.
   */
  private head(bytes: Buffer, start: number, length: number): number {
    let at = start
    while (at < length && bytes[at] !== 10) at++
    if (at >= length) return INCOMPLETE
    // "HTTP/1.x NNN": the version, a space, then a three-digit status.
    const statusEnd = at > start && bytes[at - 1] === 13 ? at - 1 : at
    if (statusEnd - start < 12 || !startsWithHttp1(bytes, start) || bytes[start + 8] !== 32) {
      this.fail(malformed('malformed status line'))
      return STOPPED
    }
    const status = statusOf(bytes, start, statusEnd)
    if (status === undefined) {
      this.fail(malformed('malformed status line'))
      return STOPPED
    }
    const http10 = bytes[start + 7] === 48
    let contentLength = -1
    let chunked = false
    let otherCoding = false
    let close = false
    let keepAliveHeader = false
    const informational = status >= 100 && status < 200
    const headers: string[] | null = !informational && this.sink.wantsHeaders() ? [] : null
    // `at` is the LF that ends the previous line. The head ends at a CRLF line after a CRLF
    // (CRLFCRLF); other lines may end with a bare LF.
    for (;;) {
      const line = at + 1
      if (line + 1 >= length) return INCOMPLETE
      if (bytes[line] === 13 && bytes[line + 1] === 10 && bytes[at - 1] === 13) {
        if (line - 2 - start > MAX_HEAD_BYTES) {
          this.fail(headersOverflow())
          return STOPPED
        }
        at = line + 2
        break
      }
      let next = line
      let colon = -1
      while (next < length && bytes[next] !== 10) {
        if (colon < 0 && bytes[next] === 58) colon = next
        next++
      }
      if (next >= length) return INCOMPLETE
      // The line without its CR.
      const lineEnd = bytes[next - 1] === 13 ? next - 1 : next
      if (colon < 0 || colon >= lineEnd || colon === line) {
        this.fail(malformed('malformed header line'))
        return STOPPED
      }
      const nameLength = colon - line
      if (nameLength === 14 && sameName(bytes, line, CONTENT_LENGTH)) {
        const n = digits(bytes, colon + 1, lineEnd)
        if (n < 0 || (contentLength >= 0 && contentLength !== n)) {
          this.fail(malformed('invalid content-length'))
          return STOPPED
        }
        contentLength = n
      } else if (nameLength === 17 && sameName(bytes, line, TRANSFER_ENCODING)) {
        if (/(?:^|,)\s*chunked\s*$/i.test(bytes.toString('latin1', colon + 1, lineEnd))) chunked = true
        else otherCoding = true
      } else if (nameLength === 10 && sameName(bytes, line, CONNECTION)) {
        // The usual value, alone, read without making a string.
        if (isValue(bytes, colon + 1, lineEnd, KEEP_ALIVE)) keepAliveHeader = true
        else if (isValue(bytes, colon + 1, lineEnd, CLOSE)) close = true
        else {
          const tokens = bytes.toString('latin1', colon + 1, lineEnd).toLowerCase()
          if (/(?:^|,)\s*close\s*(?:,|$)/.test(tokens)) close = true
          if (/(?:^|,)\s*keep-alive\s*(?:,|$)/.test(tokens)) keepAliveHeader = true
        }
      }
      if (headers)
        headers.push(bytes.toString('latin1', line, colon), bytes.toString('latin1', colon + 1, lineEnd).trim())
      at = next
    }
    if (informational) {
      // Informational responses (100 Continue, 102, 103) precede the final one; 101 would switch protocols.
      if (status === 101) {
        this.fail(Object.assign(new Error('unexpected protocol switch'), {code: 'LOADPLAN_UNEXPECTED_RESPONSE'}))
        return STOPPED
      }
      return at
    }
    const noBody = status === 204 || status === 304 || this.sink.expectsNoBody()
    // Without a length or chunks the body runs to the close (RFC 9112 §6.3).
    const untilClose = !noBody && !chunked && (otherCoding || contentLength < 0)
    this.keepAlive = !close && !untilClose && (!http10 || keepAliveHeader)
    if (!this.sink.onHead(status, headers, this.keepAlive)) {
      this.failed = true
      return STOPPED
    }
    if (noBody || (!chunked && contentLength === 0)) this.finish()
    else if (chunked) this.state = State.ChunkSize
    else if (untilClose) this.state = State.UntilClose
    else {
      this.remaining = contentLength
      this.state = State.Length
    }
    return at
  }

  /** Whether the connection stays open after the response just ended. */
  get reusable(): boolean {
    return this.keepAlive
  }
}

/** Where the line that starts at `from` has its CRLF, if before `length`; else -1. */
function lineEnd(bytes: Buffer, from: number, length: number): number {
  const last = length - 1
  for (let i = from; i < last; i++) if (bytes[i] === 13 && bytes[i + 1] === 10) return i
  return -1
}

/** "HTTP/1." at `at`. */
function startsWithHttp1(bytes: Buffer, at: number): boolean {
  return (
    bytes[at] === 72 &&
    bytes[at + 1] === 84 &&
    bytes[at + 2] === 84 &&
    bytes[at + 3] === 80 &&
    bytes[at + 4] === 47 &&
    bytes[at + 5] === 49 &&
    bytes[at + 6] === 46
  )
}
const CONTENT_LENGTH = Buffer.from('content-length')
const TRANSFER_ENCODING = Buffer.from('transfer-encoding')
const CONNECTION = Buffer.from('connection')

/** The three status digits after "HTTP/1.x ", followed by a space or the line's end. */
function statusOf(bytes: Buffer, start: number, end: number): number | undefined {
  const a = (bytes[start + 9] as number) - 48
  const b = (bytes[start + 10] as number) - 48
  const c = (bytes[start + 11] as number) - 48
  if (a < 0 || a > 9 || b < 0 || b > 9 || c < 0 || c > 9) return undefined
  const after = start + 12 < end ? bytes[start + 12] : 13
  if (!(after === 32 || after === 13 || after === 10)) return undefined
  return a * 100 + b * 10 + c
}

/** A header name at `at` equals `lower` (lowercase ASCII) without regard to case. */
function sameName(bytes: Buffer, at: number, lower: Buffer): boolean {
  for (let i = 0; i < lower.length; i++) if (((bytes[at + i] as number) | 0x20) !== lower[i]) return false
  return true
}

const KEEP_ALIVE = Buffer.from('keep-alive')
const CLOSE = Buffer.from('close')

/** `bytes[from, to)` is `lower` (lowercase ASCII) between optional spaces, without regard to case. */
function isValue(bytes: Buffer, from: number, to: number, lower: Buffer): boolean {
  let i = from
  while (i < to && (bytes[i] === 32 || bytes[i] === 9)) i++
  let end = to
  while (end > i && (bytes[end - 1] === 32 || bytes[end - 1] === 9)) end--
  return end - i === lower.length && sameName(bytes, i, lower)
}

/** Decimal digits between optional spaces in `bytes[from, to)`, or -1. */
function digits(bytes: Buffer, from: number, to: number): number {
  let i = from
  while (i < to && (bytes[i] === 32 || bytes[i] === 9)) i++
  let end = to
  while (end > i && (bytes[end - 1] === 32 || bytes[end - 1] === 9)) end--
  if (end === i || end - i > 15) return -1
  let n = 0
  for (let k = i; k < end; k++) {
    const d = (bytes[k] as number) - 48
    if (d < 0 || d > 9) return -1
    n = n * 10 + d
  }
  return n
}

/** A chunk-size line: hex digits, then optional `;extensions`. */
function chunkSize(line: string): number | undefined {
  const semicolon = line.indexOf(';')
  const hex = (semicolon < 0 ? line : line.slice(0, semicolon)).trim()
  if (!/^[0-9a-fA-F]{1,12}$/.test(hex)) return undefined
  return Number.parseInt(hex, 16)
}
