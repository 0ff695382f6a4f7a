/**
 * Writes to a TCP socket's libuv handle directly, as net's own Writable does underneath, without
 * the Writable: no write request object, callback, state update and nextTick per request. Measured
 * against nginx on one core (bench/throughput), a bare loop of direct writes does about 1.25× the
 * requests/s of the same loop on `socket.write`. It needs Node's WriteWrap class
 * (`process.binding('stream_wrap')`, on Node's allow-list of bindings since v10); where that is
 * missing, or where using it would print a deprecation warning (--pending-deprecation), callers
 * get undefined and write through the stream.
 */
import type {Socket} from 'node:net'
import {getSystemErrorName} from 'node:util'

/** A write request: the object libuv's write is tracked by while the kernel takes the bytes. */
interface WriteReq {
  oncomplete: (status: number) => void
  buffer: Buffer | readonly Buffer[] | null
}

interface StreamWrapBinding {
  WriteWrap: new () => WriteReq
  streamBaseState: Int32Array
  kLastWriteWasAsync: number
}

interface StreamHandle {
  writeBuffer(req: WriteReq, data: Buffer): number
  writev(req: WriteReq, chunks: readonly Buffer[], allBuffers: boolean): number
}

/** Whether Node would warn about `process.binding` (it does under --pending-deprecation, DEP0111). */
export function bindingWarns(execArgv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  const flag = '--pending-deprecation'
  return execArgv.includes(flag) || (env.NODE_OPTIONS ?? '').includes(flag) || env.NODE_PENDING_DEPRECATION === '1'
}

function streamWrapBinding(): StreamWrapBinding | undefined {
  if (bindingWarns(process.execArgv, process.env)) return undefined
  try {
    const binding = (process as unknown as {binding(name: string): Partial<StreamWrapBinding>}).binding('stream_wrap')
    const {WriteWrap, streamBaseState, kLastWriteWasAsync} = binding
    if (typeof WriteWrap !== 'function' || streamBaseState === undefined || typeof kLastWriteWasAsync !== 'number')
      return undefined
    return {WriteWrap, streamBaseState, kLastWriteWasAsync}
  } catch {
    return undefined
  }
}

const writeError = (status: number) =>
  Object.assign(new Error(`write ${getSystemErrorName(status)}`), {code: getSystemErrorName(status), syscall: 'write'})

export class DirectWriter {
  /**
   * A write the kernel took whole (nearly every write) never hands its request object to libuv,
   * so one object serves every such write; a write left in flight keeps its own, and a new spare
   * is made.
   */
  private spare: WriteReq

  private constructor(private readonly binding: StreamWrapBinding) {
    this.spare = new binding.WriteWrap()
  }

  /** The thread's writer, or undefined where direct writes are not available. */
  static readonly shared: DirectWriter | undefined = (() => {
    const binding = streamWrapBinding()
    return binding ? new DirectWriter(binding) : undefined
  })()

  /**
   * Writes `chunks` (one syscall) to `socket`: the bytes handed to the kernel (the socket's own
   * bytesWritten does not see them), or -1 when the socket has no handle that takes a direct write
   * (the caller then writes through the stream). A failed write destroys the socket with the
   * system error, as the stream would.
   */
  write(socket: Socket, chunks: Buffer | readonly Buffer[]): number {
    const handle = (socket as unknown as {_handle: Partial<StreamHandle> | null})._handle
    if (!handle || typeof handle.writeBuffer !== 'function' || typeof handle.writev !== 'function') return -1
    const req = this.spare
    // Array.isArray, not Buffer.isBuffer: the global Buffer is an accessor, a getter call per read.
    const many = Array.isArray(chunks)
    const status = many ? (handle as StreamHandle).writev(req, chunks, true) : handle.writeBuffer(req, chunks as Buffer)
    if (status !== 0) {
      socket.destroy(writeError(status))
      return 0
    }
    let bytes = 0
    if (many) for (const chunk of chunks) bytes += chunk.length
    else bytes = (chunks as Buffer).length
    if (this.binding.streamBaseState[this.binding.kLastWriteWasAsync] !== 0) {
      // libuv finishes this write later and reports to the request: it keeps the bytes till then.
      req.buffer = chunks
      req.oncomplete = (done) => {
        req.buffer = null
        if (done < 0 && !socket.destroyed) socket.destroy(writeError(done))
      }
      this.spare = new this.binding.WriteWrap()
    }
    return bytes
  }
}

/**
 * Writes `chunks` to a client's socket in one go: straight to the TCP handle where Node allows it
 * (returns the bytes, which the socket's bytesWritten will not count), else through the stream,
 * corked (returns 0).
 */
export function writeChunks(socket: Socket, chunks: Buffer | Buffer[], tls: boolean): number {
  if (!tls && DirectWriter.shared !== undefined) {
    const bytes = DirectWriter.shared.write(socket, chunks)
    if (bytes >= 0) return bytes
  }
  if (!Array.isArray(chunks)) socket.write(chunks)
  else {
    socket.cork()
    for (const chunk of chunks) socket.write(chunk)
    socket.uncork()
  }
  return 0
}
