/**
 * `--http2` against local node:http2 servers, over TLS (ALPN) and cleartext (h2c): the server
 * counts sessions, streams open at once per session and requests, and loadplan's result reports
 * the same connections, all HTTP/2.
 */
import {
  createSecureServer,
  createServer,
  type Http2Server,
  type Http2SecureServer,
  type ServerHttp2Session,
} from 'node:http2'
import type {AddressInfo} from 'node:net'
import {afterEach, describe, expect, it} from 'vitest'
import type {RunResult} from '../../src/contracts/results/run-result.js'
import {runInProcess} from '../helpers/in-process.js'
import {selfSignedCertificate} from '../helpers/self-signed.js'

interface Counts {
  sessions: number
  maxStreamsPerSession: number
  requests: number
  protocols: Set<string>
}

let server: Http2Server | Http2SecureServer | undefined
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined))
  server = undefined
})

/** Answers every stream after 5 ms, counting what it sees. */
async function start(tls: boolean): Promise<{url: string; counts: Counts}> {
  const counts: Counts = {sessions: 0, maxStreamsPerSession: 0, requests: 0, protocols: new Set()}
  const created = tls ? createSecureServer({...selfSignedCertificate(), allowHTTP1: true}) : createServer()
  created.on('session', (session: ServerHttp2Session) => {
    counts.sessions++
    counts.protocols.add(session.alpnProtocol ?? 'none')
    let open = 0
    session.on('stream', (stream) => {
      open++
      counts.requests++
      counts.maxStreamsPerSession = Math.max(counts.maxStreamsPerSession, open)
      stream.on('close', () => open--)
      setTimeout(() => {
        stream.respond({':status': 200})
        stream.end('ok')
      }, 5)
    })
  })
  server = created
  await new Promise<void>((resolve) => created.listen(0, '127.0.0.1', resolve))
  return {url: `${tls ? 'https' : 'http'}://127.0.0.1:${(created.address() as AddressInfo).port}/`, counts}
}

async function run(args: string[]): Promise<RunResult> {
  const {code, stdout, stderr} = await runInProcess(['run', ...args, '--json'])
  expect(code, stderr).toBe(0)
  return JSON.parse(stdout) as RunResult
}

describe('--http2', () => {
  for (const tls of [true, false]) {
    it(`${tls ? 'TLS (ALPN h2)' : 'cleartext (h2c)'}: 2 connections × 8 streams carry 400 requests, as the server counts them`, async () => {
      const {url, counts} = await start(tls)
      const result = await run([url, '--http2', '-c', '2', '--streams', '8', '-a', '400', ...(tls ? ['-k'] : [])])
      expect(result.totals.completed).toBe(400)
      expect(counts.requests).toBe(400)
      expect(counts.sessions).toBe(2)
      expect(counts.maxStreamsPerSession).toBe(8)
      expect([...counts.protocols]).toEqual([tls ? 'h2' : 'h2c'])
      expect(result.totals).toMatchObject({connectionsOpened: 2, http2Connections: 2, maxStreamsPerConnection: 8})
      expect(result.options).toMatchObject({http2: true, pipelining: 8})
    })
  }

  it('open model: arrivals share connections up to --streams each', async () => {
    const {url, counts} = await start(false)
    // 400/s with 5 ms answers keeps about 2 in flight; 4 streams per connection need 1 or 2 connections.
    const result = await run([url, '--http2', '--streams', '4', '-R', '400/s', '-a', '400'])
    expect(result.totals.completed).toBe(400)
    expect(counts.requests).toBe(400)
    expect(counts.sessions).toBe(result.totals.connectionsOpened)
    expect(counts.sessions).toBeLessThan(10)
    // At least as many streams at once on one connection as the server saw (a stream is open at the
    // client from sending until the answer arrives), never more than --streams.
    expect(result.totals.maxStreamsPerConnection).toBeGreaterThanOrEqual(counts.maxStreamsPerSession)
    expect(result.totals.maxStreamsPerConnection).toBeLessThanOrEqual(4)
    expect(result.options).toMatchObject({http2: true, streams: 4})
  })

  it("node:http2 and undici's HTTP/2 agree: the same counts, statuses and connections, each named (issue 33)", async () => {
    for (const tls of [true, false]) {
      const {url} = await start(tls)
      const args = [url, '--http2', '-c', '2', '--streams', '4', '-a', '200', ...(tls ? ['-k'] : [])]
      const own = await run(args)
      const undici = await run([...args, '--client', 'undici'])
      const seen = (r: RunResult) => ({
        completed: r.totals.completed,
        statusCodes: r.statusCodes,
        errors: Object.values(r.errors).reduce((a, b) => a + b, 0),
        connectionsOpened: r.totals.connectionsOpened,
        http2Connections: r.totals.http2Connections,
        maxStreamsPerConnection: r.totals.maxStreamsPerConnection,
      })
      expect(seen(own)).toEqual(seen(undici))
      expect(seen(own)).toMatchObject({completed: 200, statusCodes: {'200': 200}, errors: 0, http2Connections: 2})
      expect([own.totals.client, undici.totals.client]).toEqual(['raw', 'undici'])
      await new Promise((resolve) => server?.close(resolve))
      server = undefined
    }
  })

  it('refuses --streams without --http2 and --pipelining with it', async () => {
    const {code, stderr} = await runInProcess(['run', 'http://127.0.0.1:1/', '--streams', '4', '-p', '2', '--http2'])
    expect(code).toBe(2)
    expect(stderr).toMatch(/--pipelining: HTTP\/2 multiplexes instead of pipelining: use --streams N/)
    const other = await runInProcess(['run', 'http://127.0.0.1:1/', '--streams', '4'])
    expect(other.stderr).toMatch(/--streams: streams are HTTP\/2/)
  })
})
