/**
 * HTTP/2 framing (RFC 9113 §4, §6) for the raw HTTP/2 client: frame types, flags and the frames
 * it writes; and a reader that cuts a connection's bytes into frames wherever the reads fall —
 * whole frames handed over in place (a view of the read, valid during the call only), a frame
 * split across reads gathered into a copy first.
 */
import {Buffer} from 'node:buffer'

export const enum Frame {
  Data = 0,
  Headers = 1,
  RstStream = 3,
  Settings = 4,
  PushPromise = 5,
  Ping = 6,
  GoAway = 7,
  WindowUpdate = 8,
  Continuation = 9,
}
export const FRAME_HEADER_BYTES = 9
export const END_STREAM = 0x1
export const ACK = 0x1
export const END_HEADERS = 0x4
export const PADDED = 0x8
export const PRIORITY = 0x20
/** RST_STREAM and GOAWAY codes we send (§7). */
export const PROTOCOL_ERROR = 0x1
export const CANCEL = 0x8
export const DEFAULT_WINDOW = 65_535
/** Our receive windows, connection and stream: the largest allowed (§6.9.1), topped up past half. */
export const RECEIVE_WINDOW = 2 ** 31 - 1
export const REFILL_AT = 2 ** 30
/** Error codes by number (§7), named as nghttp2 names them in node:http2's messages. */
export const ERROR_NAMES = [
  'NO_ERROR',
  'PROTOCOL_ERROR',
  'INTERNAL_ERROR',
  'FLOW_CONTROL_ERROR',
  'SETTINGS_TIMEOUT',
  'STREAM_CLOSED',
  'FRAME_SIZE_ERROR',
  'REFUSED_STREAM',
  'CANCEL',
  'COMPRESSION_ERROR',
  'CONNECT_ERROR',
  'ENHANCE_YOUR_CALM',
  'INADEQUATE_SECURITY',
  'HTTP_1_1_REQUIRED',
]

export function frame(type: Frame, flags: number, streamId: number, payload: Buffer): Buffer {
  const bytes = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length)
  bytes.writeUIntBE(payload.length, 0, 3)
  bytes[3] = type
  bytes[4] = flags
  bytes.writeUInt32BE(streamId, 5)
  payload.copy(bytes, FRAME_HEADER_BYTES)
  return bytes
}

function uint32(value: number): Buffer {
  const payload = Buffer.allocUnsafe(4)
  payload.writeUInt32BE(value, 0)
  return payload
}

export const windowUpdate = (streamId: number, increment: number) =>
  frame(Frame.WindowUpdate, 0, streamId, uint32(increment))
export const rstStream = (streamId: number, code: number) => frame(Frame.RstStream, 0, streamId, uint32(code))

/** A header block as HEADERS and, past the server's frame size, CONTINUATION frames (§6.2, §6.10). */
export function headerFrames(streamId: number, block: Buffer, endStream: number, maxFrameBytes: number): Buffer[] {
  if (block.length <= maxFrameBytes) return [frame(Frame.Headers, END_HEADERS | endStream, streamId, block)]
  const frames = [frame(Frame.Headers, endStream, streamId, block.subarray(0, maxFrameBytes))]
  for (let at = maxFrameBytes; at < block.length; at += maxFrameBytes) {
    const last = at + maxFrameBytes >= block.length
    frames.push(frame(Frame.Continuation, last ? END_HEADERS : 0, streamId, block.subarray(at, at + maxFrameBytes)))
  }
  return frames
}

/** The client preface, our SETTINGS (no push, the largest stream window) and the connection's window raised. */
export const OPENING = Buffer.concat([
  Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1'),
  frame(Frame.Settings, 0, 0, Buffer.from([0, 2, 0, 0, 0, 0, 0, 4, 0x7f, 0xff, 0xff, 0xff])),
  windowUpdate(0, RECEIVE_WINDOW - DEFAULT_WINDOW),
])
export const SETTINGS_ACK = frame(Frame.Settings, ACK, 0, Buffer.alloc(0))

export interface FrameSink {
  /** One frame: its payload is bytes[start, end). Returns false to stop reading this connection. */
  onFrame(type: number, flags: number, streamId: number, bytes: Buffer, start: number, end: number): boolean
  /** A frame longer than we allow (SETTINGS_MAX_FRAME_SIZE): a connection error. */
  onOversizedFrame(length: number): void
}

export class Http2FrameReader {
  /** The start of a frame the last read ended inside. */
  private partial: Buffer | undefined
  private stopped = false

  constructor(
    private readonly sink: FrameSink,
    /** Our SETTINGS_MAX_FRAME_SIZE (the default, 16,384: we never raise it). */
    private readonly maxFrameBytes = 16_384,
  ) {}

  reset(): void {
    this.partial = undefined
    this.stopped = false
  }

  push(bytes: Buffer, length: number): void {
    if (this.stopped) return
    let at = 0
    const partial = this.partial
    if (partial !== undefined) {
      this.partial = undefined
      // The header first, then as much of the payload as this read holds.
      let gathered = partial
      if (gathered.length < FRAME_HEADER_BYTES) {
        const take = Math.min(FRAME_HEADER_BYTES - gathered.length, length)
        gathered = Buffer.concat([gathered, bytes.subarray(0, take)])
        at = take
        if (gathered.length < FRAME_HEADER_BYTES) {
          this.partial = gathered
          return
        }
      }
      const frameBytes = this.frameLength(gathered, 0)
      if (frameBytes < 0) return
      const take = Math.min(frameBytes - gathered.length, length - at)
      if (take > 0) gathered = Buffer.concat([gathered, bytes.subarray(at, at + take)])
      at += take
      if (gathered.length < frameBytes) {
        this.partial = gathered
        return
      }
      if (!this.deliver(gathered, 0, frameBytes)) return
    }
    while (length - at >= FRAME_HEADER_BYTES) {
      const frameBytes = this.frameLength(bytes, at)
      if (frameBytes < 0) return
      if (length - at < frameBytes) break
      if (!this.deliver(bytes, at, frameBytes)) return
      at += frameBytes
    }
    if (at < length) this.partial = Buffer.from(bytes.subarray(at, length))
  }

  /** The whole frame's length with its header, or -1 (reading stops) when it is over the limit. */
  private frameLength(bytes: Buffer, at: number): number {
    const payload = ((bytes[at] as number) << 16) | ((bytes[at + 1] as number) << 8) | (bytes[at + 2] as number)
    if (payload > this.maxFrameBytes) {
      this.stopped = true
      this.sink.onOversizedFrame(payload)
      return -1
    }
    return FRAME_HEADER_BYTES + payload
  }

  /** Hands over the frame at `at`, `frameBytes` long with its header (from frameLength). */
  private deliver(bytes: Buffer, at: number, frameBytes: number): boolean {
    const streamId = bytes.readUInt32BE(at + 5) & 0x7fffffff
    const going = this.sink.onFrame(
      bytes[at + 3] as number,
      bytes[at + 4] as number,
      streamId,
      bytes,
      at + FRAME_HEADER_BYTES,
      at + frameBytes,
    )
    if (!going) this.stopped = true
    return going
  }
}
