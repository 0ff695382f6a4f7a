/**
 * Direct writes to a TCP handle (direct-write.ts): the bytes arrive whole and in order when the
 * kernel cannot take a write at once (libuv finishes it later), a write to a reset connection
 * destroys the socket with the system error, and the writer stands aside where Node would warn.
 */
import {connect, createServer, type Server, type Socket} from 'node:net'
import {once} from 'node:events'
import {afterEach, describe, expect, it} from 'vitest'
import {bindingWarns, DirectWriter} from '../../src/core/engine/direct-write.js'

let server: Server | undefined
afterEach(async () => {
  if (server) await new Promise((resolve) => server?.close(resolve))
  server = undefined
})

async function listen(onSocket: (socket: Socket) => void): Promise<number> {
  server = createServer(onSocket)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return (server.address() as {port: number}).port
}

/** With `onread`, as the raw HTTP/1.1 client reads: pause() then stops reading at once. */
async function connected(port: number): Promise<Socket> {
  const socket = connect({port, host: '127.0.0.1', onread: {buffer: Buffer.alloc(1024), callback: () => true}})
  await once(socket, 'connect')
  return socket
}

describe('direct writes', () => {
  const writer = DirectWriter.shared as DirectWriter

  it('is available on this Node, and stands aside where process.binding would warn', () => {
    expect(writer).toBeDefined()
    expect(bindingWarns([], {})).toBe(false)
    expect(bindingWarns(['--pending-deprecation'], {})).toBe(true)
    expect(bindingWarns([], {NODE_OPTIONS: '--max-old-space-size=100 --pending-deprecation'})).toBe(true)
    expect(bindingWarns([], {NODE_PENDING_DEPRECATION: '1'})).toBe(true)
  })

  it('delivers writes the kernel could not take at once, whole and in order', async () => {
    // The server reads nothing until the client has queued everything: 32 MB cannot fit in the
    // socket buffers, so the big write is left in flight and the writes after it queue behind it.
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    const received: Buffer[] = []
    let serverEnded: () => void = () => {}
    const ended = new Promise<void>((resolve) => (serverEnded = resolve))
    const port = await listen((socket) => {
      socket.pause()
      void gate.then(() => socket.resume())
      socket.on('data', (chunk: Buffer) => received.push(chunk))
      socket.on('end', serverEnded)
    })
    const socket = await connected(port)
    const big = Buffer.alloc(32 * 1024 * 1024, 7)
    const parts = [Buffer.from('a'), Buffer.from('bc')]
    expect(writer.write(socket, Buffer.from('start'))).toBe(5)
    expect(writer.write(socket, big)).toBe(big.length)
    expect(writer.write(socket, parts)).toBe(3)
    expect(writer.write(socket, Buffer.from('end'))).toBe(3)
    release()
    // Ending through the stream queues behind the handle's writes: the server sees every byte first.
    socket.end()
    await ended
    const all = Buffer.concat(received)
    expect(all.length).toBe(5 + big.length + 3 + 3)
    expect(all.subarray(0, 5).toString()).toBe('start')
    expect(all.subarray(5, 5 + big.length).equals(big)).toBe(true)
    expect(all.subarray(5 + big.length).toString()).toBe('abcend')
    socket.destroy()
  })

  it('destroys the socket with the system error when the peer has reset the connection', async () => {
    // The server resets the connection on the first bytes; the client reads nothing, so the
    // reset can only come back through a write.
    const port = await listen((socket) => socket.once('data', () => socket.resetAndDestroy()))
    const socket = await connected(port)
    socket.pause()
    const failed = once(socket, 'error') as Promise<[NodeJS.ErrnoException]>
    const request = Buffer.from('GET / HTTP/1.1\r\n\r\n')
    expect(writer.write(socket, request)).toBe(request.length)
    const timer = setInterval(() => {
      if (!socket.destroyed) writer.write(socket, request)
    }, 5)
    const [error] = await failed
    clearInterval(timer)
    expect(['ECONNRESET', 'EPIPE']).toContain(error.code)
    expect(error.syscall).toBe('write')
    expect(socket.destroyed).toBe(true)
    expect(writer.write(socket, request)).toBe(-1)
  })
})
