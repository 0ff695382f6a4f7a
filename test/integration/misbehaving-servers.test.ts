/**
 * Servers that break HTTP in the ways issue 35 found, on raw sockets the test starts: each request
 * is counted once, under a cause the report can name, and nothing waits past --timeout.
 * - `102 Processing` every 200 ms and never a final answer: undici restarts its header timer on
 *   each 1xx; the engine's sweep still ends the request as a header timeout.
 * - `100 Continue` before the answer: the raw HTTP/1.1 client skips it and counts the answer;
 *   undici refuses it, counted as an unexpected response, not as a reset (reset counts the
 *   server's resets).
 * - Status 999 is counted in the status tally (it was left out); 099 is not HTTP and gets a reason
 *   of its own (it failed with ERR_ASSERTION).
 * - h2c to a server that speaks only HTTP/1.1: the connections are not counted as HTTP/2.
 * - A path holding spaces or text past U+00FF failed every request with UND_ERR_INVALID_ARG.
 */
import {createServer, type Server, type Socket} from 'node:net'
import {afterEach, describe, expect, it} from 'vitest'
import {resolveRunOptions} from '../../src/config/run/resolve-run-options.js'
import {startRun} from '../../src/core/engine/run-load.js'
import {runAgainst} from '../helpers/run-against.js'

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))))
})

/** A raw server answering each chunk of request bytes with `answer(socket)`; resolves to its URL. */
async function rawServer(answer: (socket: Socket) => void): Promise<string> {
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => {})
    socket.on('close', () => sockets.delete(socket))
    socket.on('data', () => answer(socket))
  })
  const close = server.close.bind(server)
  server.close = ((callback?: (error?: Error) => void) => {
    for (const socket of sockets) socket.destroy()
    return close(callback)
  }) as Server['close']
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as {port: number}).port}/`
}

const plain = (status: string) => (socket: Socket) =>
  socket.write(`HTTP/1.1 ${status} Whatever\r\nContent-Length: 2\r\n\r\nok`)

describe('misbehaving servers (issue 35)', () => {
  it('102 Processing every 200 ms never holds a request past --timeout', async () => {
    const url = await rawServer((socket) => {
      const timer = setInterval(() => socket.write('HTTP/1.1 102 Processing\r\n\r\n'), 200)
      socket.on('close', () => clearInterval(timer))
    })
    const result = await runAgainst(url, {connections: '1', amount: '2', timeout: '1s'})
    expect(result.totals.sent).toBe(2)
    expect(result.errors.timeout).toBe(2)
    expect(result.errorCodes).toEqual({UND_ERR_HEADERS_TIMEOUT: 2})
    expect(result.statusCodes).toEqual({})
    // Each request ended within its timeout plus one sweep (a quarter of it) and generous slack
    // for a busy machine; before, the run never ended at all.
    expect(result.durationMs).toBeLessThan(2 * (1000 + 250) + 5000)
  })

  it('an unsolicited 100 Continue: the raw client counts the final answer; undici refuses it as unexpected, not a reset', async () => {
    const url = await rawServer((socket) =>
      socket.write('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'),
    )
    const raw = await runAgainst(url, {connections: '1', amount: '3'})
    expect(raw.statusCodes).toEqual({'200': 3})
    const result = await runAgainst(url, {connections: '1', amount: '3', client: 'undici'})
    expect(result.totals.sent).toBe(3)
    expect(result.errors.reset).toBe(0)
    expect(result.errorCodes).toEqual({LOADPLAN_UNEXPECTED_RESPONSE: 3})
  })

  it('status 999 is counted; status 099 is refused with its own reason', async () => {
    const high = await runAgainst(await rawServer(plain('999')), {connections: '1', amount: '3'})
    expect(high.statusCodes).toEqual({'999': 3})
    expect(high.totals.completed).toBe(3)
    expect(high.totals.httpErrors).toBe(3)
    const low = await runAgainst(await rawServer(plain('099')), {connections: '1', amount: '3'})
    expect(low.statusCodes).toEqual({})
    expect(low.errorCodes).toEqual({LOADPLAN_INVALID_STATUS: 3})
  })

  it('a path with spaces and text past U+00FF reaches the server as UTF-8 percent-escapes', async () => {
    const seen: string[] = []
    const url = await rawServer(plain('200'))
    const server = servers.at(-1) as Server
    server.on('connection', (socket: Socket) =>
      socket.once('data', (chunk: Buffer) => seen.push(chunk.toString('latin1').split('\r\n')[0] as string)),
    )
    // From a service file: a URL on the command line is encoded by URL parsing already.
    const options = resolveRunOptions({
      file: {target: url, request: {path: '/café/日本 x'}, load: {model: 'connections', connections: 1, amount: 2}},
      fileName: 'service.yaml',
      flags: {},
      defaultSeed: 1,
    })
    const result = await startRun(options, {toolVersion: 'test'}).done
    expect(result.errorCodes).toEqual({})
    expect(result.totals.completed).toBe(2)
    expect(seen[0]).toBe('GET /caf%C3%A9/%E6%97%A5%E6%9C%AC%20x HTTP/1.1')
  })

  it('h2c to an HTTP/1.1-only server counts no HTTP/2 connection', async () => {
    const url = await rawServer(plain('200'))
    const result = await runAgainst(url, {connections: '1', amount: '2', http2: true})
    expect(result.totals.connectionsOpened).toBeGreaterThan(0)
    expect(result.totals.http2Connections).toBe(0)
  })
})
