/**
 * What the raw HTTP/2 client sends on one connection (RFC 9113): the frames of this turn of the
 * event loop, gathered for one write; each stream's HEADERS (and CONTINUATION past the server's
 * frame size) and its body as DATA frames within the server's flow-control windows, the rest of
 * a body held until a WINDOW_UPDATE or SETTINGS makes room.
 */
import type {Buffer} from 'node:buffer'
import {DEFAULT_WINDOW, END_STREAM, Frame, frame, headerFrames} from './http2-frames.js'

/** A stream's sending side. */
export interface OutboundStream {
  id: number
  block: Buffer
  body: Buffer | undefined
  bodySent: number
  sendWindow: number
}

export class Http2Outbound {
  private frames: Buffer[] = []
  private readonly blocked = new Set<OutboundStream>()
  private initialWindow = DEFAULT_WINDOW
  private maxFrameBytes = 16_384
  private connectionWindow = DEFAULT_WINDOW
  /** The server's SETTINGS_MAX_CONCURRENT_STREAMS. */
  maxStreams = Number.POSITIVE_INFINITY

  /** @param wake asks for this turn's write (the client's flush on the next tick). */
  constructor(private readonly wake: () => void) {}

  /** A new connection: the protocol's defaults until the server's SETTINGS. */
  reset(): void {
    this.frames = []
    this.blocked.clear()
    this.initialWindow = DEFAULT_WINDOW
    this.maxFrameBytes = 16_384
    this.connectionWindow = DEFAULT_WINDOW
    this.maxStreams = Number.POSITIVE_INFINITY
  }

  send(bytes: Buffer): void {
    this.frames.push(bytes)
    this.wake()
  }

  /** The frames gathered since the last take, or undefined for none. */
  take(): Buffer | Buffer[] | undefined {
    const frames = this.frames
    if (frames.length === 0) return undefined
    this.frames = []
    return frames.length === 1 ? frames[0] : frames
  }

  open(stream: OutboundStream): void {
    stream.sendWindow = this.initialWindow
    const endStream = stream.body === undefined ? END_STREAM : 0
    for (const bytes of headerFrames(stream.id, stream.block, endStream, this.maxFrameBytes)) this.frames.push(bytes)
    if (stream.body !== undefined) this.sendBody(stream)
  }

  forget(stream: OutboundStream): void {
    this.blocked.delete(stream)
  }

  /** The server's SETTINGS, applied to the streams open now. */
  settings(parameters: ReadonlyArray<readonly [number, number]>, open: Iterable<OutboundStream>): void {
    for (const [id, value] of parameters)
      if (id === 3) this.maxStreams = value
      else if (id === 4) {
        // A new initial window moves every open stream's window by the difference (§6.9.2).
        for (const stream of open) stream.sendWindow += value - this.initialWindow
        this.initialWindow = value
      } else if (id === 5) this.maxFrameBytes = value
    this.resume()
  }

  /** WINDOW_UPDATE for the connection (stream undefined) or one of its streams. */
  windowUpdate(increment: number, stream: OutboundStream | undefined): void {
    if (stream === undefined) this.connectionWindow += increment
    else stream.sendWindow += increment
    this.resume()
  }

  private resume(): void {
    if (this.blocked.size === 0) return
    for (const stream of this.blocked) this.sendBody(stream)
    this.wake()
  }

  /** DATA frames as far as the server's windows allow; the rest waits in `blocked`. */
  private sendBody(stream: OutboundStream): void {
    const body = stream.body as Buffer
    while (stream.bodySent < body.length) {
      const size = Math.min(body.length - stream.bodySent, this.maxFrameBytes, this.connectionWindow, stream.sendWindow)
      if (size <= 0) {
        this.blocked.add(stream)
        return
      }
      const last = stream.bodySent + size === body.length
      const chunk = body.subarray(stream.bodySent, stream.bodySent + size)
      this.frames.push(frame(Frame.Data, last ? END_STREAM : 0, stream.id, chunk))
      stream.bodySent += size
      stream.sendWindow -= size
      this.connectionWindow -= size
    }
    this.blocked.delete(stream)
  }
}
