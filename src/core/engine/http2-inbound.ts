/**
 * What the server sends on one HTTP/2 connection, read at the connection level (RFC 9113): frames
 * cut from the reads, padding and priority stripped, header blocks joined across CONTINUATION and
 * HPACK-decoded in order (every block, a stream's or not, or the dynamic table drifts), the
 * connection's receive window topped up, SETTINGS and PING answered. What concerns a stream goes
 * to the client (raw-http2-client.ts) as calls with the stream's id.
 */
import {Buffer} from 'node:buffer'
import {HpackDecoder} from './hpack.js'
import {
  ACK,
  END_HEADERS,
  END_STREAM,
  Frame,
  Http2FrameReader,
  PADDED,
  PRIORITY,
  REFILL_AT,
  SETTINGS_ACK,
  frame,
  windowUpdate,
  type FrameSink,
} from './http2-frames.js'

export interface InboundSink {
  /** The stream is open, not yet answered, and its handler reads headers: decode them into a list. */
  wantsFields(id: number): boolean
  onResponseHeaders(id: number, status: number, fields: string[] | null, endStream: boolean): void
  /** DATA: payloadBytes counts padding (flow control does); the data is bytes[from, to). */
  onResponseData(id: number, payloadBytes: number, bytes: Buffer, from: number, to: number, endStream: boolean): void
  onReset(id: number, code: number): void
  /** One SETTINGS frame's parameters, after the first of which streams may open. */
  onSettings(parameters: ReadonlyArray<readonly [number, number]>): void
  onGoAway(lastStreamId: number): void
  onWindowUpdate(id: number, increment: number): void
  /** The connection cannot go on (§5.4.1): its streams fail with `reason` and the socket closes. */
  onConnectionError(reason: Error): void
  /** A frame to send in this turn's write. */
  send(bytes: Buffer): void
}

const sessionError = (message: string) =>
  Object.assign(new Error(`HTTP/2: ${message}`), {code: 'ERR_HTTP2_SESSION_ERROR'})

export class Http2Inbound implements FrameSink {
  private readonly reader = new Http2FrameReader(this)
  private decoder = new HpackDecoder()
  /** A header block continued in CONTINUATION frames. */
  private headerBlock: {id: number; endStream: boolean; chunks: Buffer[]} | undefined
  private received = 0
  /** The server's first SETTINGS arrived: it speaks HTTP/2. */
  settled = false

  constructor(private readonly sink: InboundSink) {}

  /** A new connection: nothing carries over. */
  reset(): void {
    this.reader.reset()
    this.decoder = new HpackDecoder()
    this.headerBlock = undefined
    this.received = 0
    this.settled = false
  }

  push(bytes: Buffer, length: number): void {
    this.reader.push(bytes, length)
  }

  onOversizedFrame(length: number): void {
    this.sink.onConnectionError(sessionError(`a frame of ${length} bytes, over 16,384`))
  }

  onFrame(type: number, flags: number, id: number, bytes: Buffer, start: number, end: number): boolean {
    if (this.headerBlock !== undefined && type !== Frame.Continuation) return this.fail('a header block broken off')
    if (!this.settled && type !== Frame.Settings) return this.fail('the server did not start with SETTINGS')
    let from = start
    let to = end
    if ((type === Frame.Data || type === Frame.Headers) && flags & PADDED) {
      to -= bytes[from++] as number
      if (to < from) return this.fail('padding longer than its frame')
    }
    switch (type) {
      case Frame.Data:
        // Flow control counts the whole payload, padding included, of streams open or not.
        this.received += end - start
        if (this.received >= REFILL_AT) {
          this.sink.send(windowUpdate(0, this.received))
          this.received = 0
        }
        this.sink.onResponseData(id, end - start, bytes, from, to, (flags & END_STREAM) !== 0)
        return true
      case Frame.Headers:
        if (flags & PRIORITY) from += 5
        if (flags & END_HEADERS) return this.headers(id, (flags & END_STREAM) !== 0, bytes, from, to)
        this.headerBlock = {id, endStream: (flags & END_STREAM) !== 0, chunks: [Buffer.from(bytes.subarray(from, to))]}
        return true
      case Frame.Continuation: {
        const block = this.headerBlock
        if (block === undefined || block.id !== id) return this.fail('CONTINUATION out of place')
        block.chunks.push(Buffer.from(bytes.subarray(from, to)))
        if (!(flags & END_HEADERS)) return true
        this.headerBlock = undefined
        const whole = Buffer.concat(block.chunks)
        return this.headers(id, block.endStream, whole, 0, whole.length)
      }
      case Frame.RstStream:
        this.sink.onReset(id, bytes.readUInt32BE(from))
        return true
      case Frame.Settings: {
        if (flags & ACK) return true
        const parameters: Array<[number, number]> = []
        for (let at = from; at + 6 <= to; at += 6) parameters.push([bytes.readUInt16BE(at), bytes.readUInt32BE(at + 2)])
        this.sink.send(SETTINGS_ACK)
        this.settled = true
        this.sink.onSettings(parameters)
        return true
      }
      case Frame.PushPromise:
        return this.fail('PUSH_PROMISE after SETTINGS_ENABLE_PUSH 0')
      case Frame.Ping:
        if (!(flags & ACK)) this.sink.send(frame(Frame.Ping, ACK, 0, bytes.subarray(from, to)))
        return true
      case Frame.GoAway:
        this.sink.onGoAway(bytes.readUInt32BE(from) & 0x7fffffff)
        return true
      case Frame.WindowUpdate:
        this.sink.onWindowUpdate(id, bytes.readUInt32BE(from) & 0x7fffffff)
        return true
      default:
        return true // PRIORITY and unknown types are ignored (§5.5)
    }
  }

  private headers(id: number, endStream: boolean, bytes: Buffer, from: number, to: number): boolean {
    let decoded
    try {
      decoded = this.decoder.decode(bytes, from, to, this.sink.wantsFields(id))
    } catch (e) {
      this.sink.onConnectionError(e as Error)
      return false
    }
    this.sink.onResponseHeaders(id, decoded.status, decoded.fields, endStream)
    return true
  }

  private fail(what: string): false {
    this.sink.onConnectionError(sessionError(what))
    return false
  }
}
