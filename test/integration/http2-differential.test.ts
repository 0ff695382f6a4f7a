/**
 * The raw HTTP/2 client (raw-http2-client.ts) against undici's HTTP/2, the same amount-bounded
 * runs through both, on node:http2 servers that exercise the protocol's corners: informational
 * responses, trailers, padding, bodies over many frames and reads, header blocks continued in
 * CONTINUATION, request bodies past the server's flow-control window, streams reset mid-body,
 * sessions sent away, silence. Both must count the same completions, statuses and error classes.
 */
import {constants, createServer, type Http2Server, type ServerHttp2Stream} from 'node:http2'
import type {AddressInfo} from 'node:net'
import {afterEach, describe, expect, it} from 'vitest'
import type {RunResult} from '../../src/contracts/results/run-result.js'
import {runInProcess} from '../helpers/in-process.js'

let server: Http2Server | undefined
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined))
  server = undefined
})

interface Seen {
  streams: number
  sessions: number
  bodyBytes: number
}

async function start(
  answer: (stream: ServerHttp2Stream, n: number, seen: Seen) => void,
  options: object = {},
): Promise<{url: string; seen: Seen}> {
  const seen: Seen = {streams: 0, sessions: 0, bodyBytes: 0}
  const created = createServer(options)
  created.on('session', () => seen.sessions++)
  created.on('stream', (stream) => {
    stream.on('error', () => {})
    answer(stream, ++seen.streams, seen)
  })
  server = created
  await new Promise<void>((resolve) => created.listen(0, '127.0.0.1', resolve))
  return {url: `http://127.0.0.1:${(created.address() as AddressInfo).port}/`, seen}
}

async function run(url: string, args: string[]): Promise<RunResult> {
  const {code, stdout, stderr} = await runInProcess(['run', url, '--http2', '--json', ...args])
  expect([0, 3], stderr).toContain(code)
  return JSON.parse(stdout) as RunResult
}

const outcome = (r: RunResult) => ({
  completed: r.totals.completed,
  statusCodes: r.statusCodes,
  errors: Object.fromEntries(Object.entries(r.errors).filter(([, n]) => n > 0)),
})

/** The same run through both clients, the raw one named in its result. */
async function both(url: string, args: string[]) {
  const raw = await run(url, args)
  const undici = await run(url, [...args, '--client', 'undici'])
  expect(raw.totals.client).toBe('raw')
  expect(raw.totals.declinedRequests).toBeUndefined()
  return {raw: outcome(raw), undici: outcome(undici)}
}

const amount = ['-c', '2', '--streams', '4', '-a', '40']

describe('raw HTTP/2 and undici agree (issue 33)', () => {
  it('103 Early Hints before the answer, trailers after it', async () => {
    const {url} = await start((stream, n) => {
      stream.additionalHeaders({':status': 103, link: '</app.css>; rel=preload'})
      stream.respond({':status': n % 2 ? 200 : 404}, {waitForTrailers: true})
      stream.on('wantTrailers', () => stream.sendTrailers({'x-checksum': String(n)}))
      stream.end('body')
    })
    const {raw, undici} = await both(url, amount)
    expect(raw).toEqual(undici)
    expect(raw).toMatchObject({completed: 40, statusCodes: {'200': 20, '404': 20}, errors: {}})
  })

  it('1 MiB bodies over many frames and reads, a 40 KB header in CONTINUATION frames, the server padding what it may', async () => {
    const body = Buffer.alloc(1024 * 1024, 'x')
    const {url} = await start(
      (stream) => {
        stream.respond({':status': 200, 'x-big': 'v'.repeat(40_000), 'content-type': 'text/plain'})
        stream.end(body)
      },
      {paddingStrategy: constants.PADDING_STRATEGY_MAX},
    )
    const raw = await run(url, amount)
    const undici = await run(url, [...amount, '--client', 'undici'])
    expect(outcome(raw)).toEqual(outcome(undici))
    expect(outcome(raw)).toMatchObject({completed: 40, statusCodes: {'200': 40}, errors: {}})
    // Every body byte arrived (counted off the sockets, so framing adds a little on top).
    expect(raw.totals.bytesReceived).toBeGreaterThan(40 * body.length)
  })

  it('request bodies past the server’s 64 KiB window go out as it opens it', async () => {
    const {url, seen} = await start((stream, _n, counts) => {
      let bytes = 0
      stream.on('data', (chunk: Buffer) => (bytes += chunk.length))
      stream.on('end', () => {
        counts.bodyBytes += bytes
        stream.respond({':status': bytes === 200_000 ? 201 : 400})
        stream.end()
      })
    })
    const args = [...amount, '-m', 'POST', '-b', 'y'.repeat(200_000)]
    const {raw, undici} = await both(url, args)
    expect(raw).toEqual(undici)
    expect(raw).toMatchObject({completed: 40, statusCodes: {'201': 40}, errors: {}})
    expect(seen.bodyBytes).toBe(80 * 200_000)
  })

  it('streams reset mid-body and streams never answered: the same error classes', async () => {
    const {url} = await start((stream, n) => {
      if (n % 4 === 0) return // silent: a headers timeout
      stream.respond({':status': 200})
      if (n % 4 === 1) stream.end('ok')
      else {
        stream.write('part')
        // A stream destroyed with an error is reset (RST_STREAM INTERNAL_ERROR); close() would end it.
        setTimeout(() => stream.destroy(new Error('gone')), 5)
      }
    })
    const {raw, undici} = await both(url, [...amount, '-t', '300ms'])
    expect(raw.errors).toEqual(undici.errors)
    expect(raw.completed + Object.values(raw.errors).reduce((a, b) => a + b, 0)).toBe(40)
    expect(raw.errors).toMatchObject({reset: expect.any(Number), timeout: expect.any(Number)})
  })

  it('a server that sends each session away after 10 streams: unprocessed streams go again on a new connection', async () => {
    const {url, seen} = await start((stream, n) => {
      stream.respond({':status': 200})
      stream.end('ok')
      // Graceful: GOAWAY names the last stream taken; later ones are refused unprocessed.
      if (n % 10 === 0) stream.session?.close()
    })
    const result = await run(url, ['-c', '1', '--streams', '4', '-a', '60'])
    expect(outcome(result)).toEqual({completed: 60, statusCodes: {'200': 60}, errors: {}})
    expect(seen.sessions).toBeGreaterThanOrEqual(6)
    expect(result.totals.connectionsOpened).toBe(seen.sessions)
  })
})
