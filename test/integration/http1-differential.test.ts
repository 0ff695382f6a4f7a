/**
 * The fast HTTP/1.1 path against undici (issue 33): the same amount-bounded runs through both
 * clients, against servers on raw sockets that frame their answers every way HTTP/1.1 allows,
 * give the same counts, status tallies, error classes and bytes received. Each server writes
 * every response in random pieces (its own seeded split) so that reads split anywhere.
 */
import {createServer, type Server, type Socket} from 'node:net'
import {afterEach, describe, expect, it} from 'vitest'
import type {RunFlags} from '../../src/config/run/run-flags.js'
import type {RunResult} from '../../src/contracts/results/run-result.js'
import {runAgainst} from '../helpers/run-against.js'
import {splitBytes} from '../helpers/split-bytes.js'

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))))
})

type Respond = (request: {method: string; index: number}) => Array<string | number>

/** A deterministic random split of `bytes` into 1–4 pieces. */
function pieces(bytes: Buffer, seed: number): Buffer[] {
  let state = seed * 2654435761 + 1
  const rand = () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state / 2147483648
  }
  const cuts = Array.from({length: Math.floor(rand() * 4)}, () => Math.floor(rand() * bytes.length))
  return splitBytes(bytes, cuts).filter((p) => p.length > 0)
}

/**
 * A server reading request heads (pipelined ones too) and answering each in order with the steps
 * `respond` gives: bytes (split and written a turn apart), a pause in ms, an orderly close or a reset.
 */
async function server(respond: Respond): Promise<string> {
  let index = 0
  const sockets = new Set<Socket>()
  const srv = createServer((socket) => {
    sockets.add(socket)
    socket.setNoDelay(true)
    socket.on('error', () => {})
    socket.on('close', () => sockets.delete(socket))
    let buffered = ''
    let chain = Promise.resolve()
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1')
      let end = buffered.indexOf('\r\n\r\n')
      while (end >= 0) {
        const method = buffered.slice(0, buffered.indexOf(' '))
        buffered = buffered.slice(end + 4)
        const request = {method, index: index++}
        chain = chain.then(() => play(socket, respond(request), request.index))
        end = buffered.indexOf('\r\n\r\n')
      }
    })
  })
  const close = srv.close.bind(srv)
  srv.close = ((callback?: (error?: Error) => void) => {
    for (const socket of sockets) socket.destroy()
    return close(callback)
  }) as Server['close']
  servers.push(srv)
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(srv.address() as {port: number}).port}/`
}

async function play(socket: Socket, steps: ReturnType<Respond>, seed: number): Promise<void> {
  for (const step of steps) {
    if (socket.destroyed) return
    if (step === 'close') socket.end()
    else if (step === 'reset') socket.resetAndDestroy()
    else if (typeof step === 'number') await new Promise((resolve) => setTimeout(resolve, step))
    else
      for (const piece of pieces(Buffer.from(step, 'latin1'), seed)) {
        socket.write(piece)
        await new Promise((resolve) => setImmediate(resolve))
      }
  }
}

/** What must agree between the two clients. */
function observed(result: RunResult) {
  return {
    sent: result.totals.sent,
    completed: result.totals.completed,
    statusCodes: result.statusCodes,
    errors: Object.fromEntries(Object.entries(result.errors).filter(([, n]) => n > 0)),
    bytesReceived: result.totals.bytesReceived,
  }
}

async function both(url: string, flags: RunFlags) {
  const raw = await runAgainst(url, {...flags, client: 'raw'})
  const undici = await runAgainst(url, {...flags, client: 'undici'})
  return {raw: observed(raw), undici: observed(undici), rawResult: raw, undiciResult: undici}
}

const ok = (body: string, extra = '') => `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n${extra}\r\n${body}`
const BIG_HEADER = `X-Big: ${'h'.repeat(8000)}\r\n`

const CORPUS: Array<{name: string; respond: Respond; flags?: RunFlags}> = [
  {name: 'content-length', respond: () => [ok('hello world')]},
  {
    name: 'chunked with extensions and trailers',
    respond: () => [
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;a=1\r\nhello\r\n6;b\r\n world\r\n0\r\nX-Sum: 1\r\n\r\n',
    ],
  },
  {
    name: 'close-delimited',
    respond: () => ['HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end', 'close'],
  },
  {name: 'connection: close', respond: () => [ok('bye', 'Connection: close\r\n'), 'close']},
  {name: '103 early hints', respond: () => ['HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n', ok('ok')]},
  {
    name: 'HEAD',
    respond: () => ['HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n'],
    flags: {method: 'HEAD'},
  },
  {
    name: '204 and 304',
    respond: ({index}) => [
      index % 2 ? 'HTTP/1.1 204 No Content\r\n\r\n' : 'HTTP/1.1 304 Not Modified\r\nETag: "x"\r\n\r\n',
    ],
  },
  {name: 'pipelined', respond: ({index}) => [ok(`reply ${index % 10}`)], flags: {pipelining: '4'}},
  {name: 'slow body', respond: () => ['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello', 30, 'world']},
  {name: 'large headers', respond: () => [ok('big', BIG_HEADER)]},
  {
    name: 'status tally',
    respond: ({index}) => [`HTTP/1.1 ${[200, 404, 503][index % 3]} X\r\nContent-Length: 0\r\n\r\n`],
  },
  {name: 'reset mid-body', respond: () => ['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhel', 20, 'reset']},
]

describe('fast HTTP/1.1 path against undici (issue 33)', () => {
  for (const c of CORPUS)
    it(`${c.name}: the same counts, statuses, error classes and bytes`, async () => {
      const url = await server(c.respond)
      const {raw, undici, rawResult} = await both(url, {connections: '2', amount: '24', timeout: '5s', ...c.flags})
      expect(raw).toEqual(undici)
      expect(raw.sent).toBe(24)
      expect(rawResult.totals.client).toBe('raw')
    })

  it('a slow body shows in both latency histograms alike', async () => {
    const url = await server(() => ['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello', 40, 'world'])
    const {rawResult, undiciResult} = await both(url, {connections: '1', amount: '10'})
    // Every request waits 40 ms for its second half: both clients see it, from the write and corrected alike.
    for (const result of [rawResult, undiciResult]) {
      expect(result.latency.uncorrected.minMs).toBeGreaterThanOrEqual(39)
      expect(result.latency.corrected.percentilesMs['50']).toBeGreaterThanOrEqual(39)
    }
    // The two agree to a few milliseconds (timer resolution and scheduling on a busy machine).
    const median = (r: RunResult) => r.latency.uncorrected.percentilesMs['50'] as number
    expect(Math.abs(median(rawResult) - median(undiciResult))).toBeLessThan(15)
  })

  it("counts a 304 that states its representation's length (RFC 9110 §8.6), which undici fails", async () => {
    const url = await server(() => ['HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n'])
    const {raw, undici} = await both(url, {connections: '1', amount: '3'})
    expect(raw.statusCodes).toEqual({'304': 3})
    expect(raw.errors).toEqual({})
    expect(undici.completed).toBeLessThan(3)
  })

  it('counts the final response after an unsolicited 100 Continue, which undici refuses', async () => {
    const url = await server(() => ['HTTP/1.1 100 Continue\r\n\r\n', ok('ok')])
    const {raw, undici} = await both(url, {connections: '1', amount: '3'})
    expect(raw.statusCodes).toEqual({'200': 3})
    expect(undici.statusCodes).toEqual({})
    expect(undici.errors).toEqual({other: 3})
  })
})
