/**
 * WebSocket sessions (issue 34) against a local `ws` echo server that counts what it receives:
 * exact counts on both sides, the p90/p99 step a slow 10th message must make, a server that
 * closes mid-session, expect/extract, the open model, thresholds, and bad input.
 */
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {WebSocketServer} from 'ws'
import {afterAll, afterEach, describe, expect, it} from 'vitest'
import type {RunResult} from '../../src/contracts/results/run-result.js'
import {decodeHistogram, percentileMs} from '../../src/contracts/stats/histogram.js'
import {runInProcess} from '../helpers/in-process.js'

interface EchoServer {
  url: string
  /** Messages received, sessions opened and closes received (with their codes). */
  counts: {messages: number; sessions: number; closes: Record<string, number>}
  close(): Promise<void>
}

let server: EchoServer | undefined
const dir = mkdtempSync(join(tmpdir(), 'loadplan-ws-'))
afterEach(async () => {
  await server?.close()
  server = undefined
})
afterAll(() => rmSync(dir, {recursive: true, force: true}))

/** Echoes every message; `behave` (given the server's n-th message, the session's k-th) may delay an answer (ms) or close instead. */
async function startEcho(
  behave: (n: number, k: number, text: string) => number | 'close' = () => 0,
  greet?: string,
): Promise<EchoServer> {
  const wss = new WebSocketServer({port: 0, host: '127.0.0.1'})
  await new Promise<void>((resolve) => wss.once('listening', resolve))
  const counts = {messages: 0, sessions: 0, closes: {} as Record<string, number>}
  wss.on('connection', (socket) => {
    counts.sessions++
    if (greet !== undefined) socket.send(greet)
    let k = 0
    socket.on('message', (data, isBinary) => {
      const n = ++counts.messages
      const action = behave(n, ++k, data.toString())
      if (action === 'close') return socket.close(1011, 'going away')
      if (action === 0) socket.send(data, {binary: isBinary})
      else setTimeout(() => socket.send(data, {binary: isBinary}), action)
    })
    socket.on('close', (code) => (counts.closes[code] = (counts.closes[code] ?? 0) + 1))
  })
  const {port} = wss.address() as AddressInfo
  return {
    url: `ws://127.0.0.1:${port}`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate()
        wss.close(() => resolve())
      }),
  }
}

let files = 0
async function run(service: string, args: string[] = []): Promise<{code: number; result: RunResult; stderr: string}> {
  const file = join(dir, `ws-${files++}.yaml`)
  writeFileSync(file, service)
  const out = join(dir, `result-${files}.json`)
  const {code, stderr} = await runInProcess(['run', file, '--out', out, ...args])
  if (!existsSync(out)) throw new Error(`no result (exit ${code}): ${stderr}`)
  return {code, result: JSON.parse(readFileSync(out, 'utf8')) as RunResult, stderr}
}

const echoService = (url: string, ws: string, load = 'load: {connections: 10, amount: 100}') =>
  `target: ${url}\nscenarios:\n  - name: echo\n    ws:\n${ws}\n${load}\n`

describe('WebSocket sessions', () => {
  it('100 sessions × 50 messages: 5,000 round trips counted on both sides', async () => {
    server = await startEcho()
    const {code, result} = await run(echoService(server.url, '      messages: 50\n      send: "hello {{msg}}"'))
    expect(code).toBe(0)
    expect(server.counts.messages).toBe(5000)
    expect(server.counts.sessions).toBe(100)
    expect(server.counts.closes).toEqual({1000: 100})
    expect(result.totals).toMatchObject({sent: 5000, completed: 5000, errors: 0, connectionsOpened: 100})
    expect(result.sessions).toMatchObject({
      kind: 'ws',
      started: 100,
      completed: 100,
      failed: 0,
      messagesSent: 5000,
      messagesReceived: 5000,
      closeCodes: {1000: 100},
    })
    expect(result.sessions?.connect.count).toBe(100)
    expect(result.sessions?.duration.count).toBe(100)
    // "hello 0" … "hello 49": 7 or 8 bytes each way.
    expect(result.totals.bytesSent).toBe(100 * (10 * 7 + 40 * 8))
  })

  it('a server that delays every 10th message by 200 ms makes the p90 → p99 step the law predicts', async () => {
    server = await startEcho((n) => (n % 10 === 0 ? 200 : 0))
    const {result} = await run(echoService(server.url, '      messages: 20'), ['-c', '5', '-a', '25'])
    expect(result.totals.completed).toBe(500)
    const histogram = decodeHistogram(result.histograms.corrected)
    // Exactly 10 % of round trips wait 200 ms: below p90 none of them, above it all (to the
    // timers' whole milliseconds: a 200 ms timer may fire a fraction of one early).
    expect(percentileMs(histogram, 89)).toBeLessThan(150)
    expect(percentileMs(histogram, 91)).toBeGreaterThanOrEqual(198)
    expect(result.latency.corrected.percentilesMs['99']).toBeGreaterThanOrEqual(198)
    expect(result.latency.corrected.percentilesMs['99']).toBeLessThan(400)
  })

  it('messages on a schedule (every:) are corrected against it; binary frames are counted alike', async () => {
    server = await startEcho()
    const {result} = await run(
      echoService(
        server.url,
        '      messages: 10\n      every: 20ms\n      binary: true',
        'load: {connections: 4, amount: 8}',
      ),
    )
    expect(result.totals).toMatchObject({sent: 80, completed: 80, errors: 0})
    expect(server.counts.messages).toBe(80)
    // Ten messages 20 ms apart: each session lasts at least 180 ms.
    expect(result.sessions?.duration.minMs).toBeGreaterThanOrEqual(180)
    expect(result.latency.corrected.maxMs).toBeGreaterThanOrEqual(result.latency.uncorrected.maxMs)
  })

  it('a fixed amount waits for its last sessions, however far they outlast the timeout', async () => {
    server = await startEcho()
    // 15 messages 100 ms apart: 1.4 s a session. The third starts as the first ends; the amount is
    // reached as the second ends, 1.4 s before the third does: beyond the 200 ms timeout plus the
    // second a request would get.
    const {result} = await run(
      echoService(server.url, '      messages: 15\n      every: 100ms', 'load: {connections: 2, amount: 3}'),
      ['--timeout', '200ms'],
    )
    expect(result.sessions).toMatchObject({started: 3, completed: 3, failed: 0, closeCodes: {1000: 3}})
    expect(result.totals).toMatchObject({sent: 45, completed: 45, aborted: 0})
  })

  it('expect: picks the replies out of what arrives, extract: feeds later messages', async () => {
    const seen: string[] = []
    server = await startEcho((_n, _k, text) => (seen.push(text), 0), 'welcome token=t0k3n')
    const ws = [
      '      messages: 3',
      '      send: "{{msg}}:{{vars.token}}"',
      '      expect: {body: "^\\\\d"}',
      '      extract: {token: {regex: "token=(\\\\w+)"}}',
    ].join('\n')
    const {result} = await run(echoService(server.url, ws, 'load: {connections: 1, amount: 1}'))
    expect(result.totals).toMatchObject({sent: 3, completed: 3, errors: 0})
    // The greeting is received but is no reply; its token is not extracted (extract reads replies).
    expect(result.sessions).toMatchObject({messagesReceived: 4, messagesSent: 3})
    expect(seen).toEqual(['0:', '1:', '2:'])
  })

  it('a server that closes mid-session: classified errors, the close code, and a saved result', async () => {
    server = await startEcho((_n, k) => (k === 5 ? 'close' : 0))
    const {code, result, stderr} = await run(
      echoService(server.url, '      messages: 10', 'load: {connections: 2, amount: 10}'),
      ['--threshold', 'session_errors<1%'],
    )
    expect(code, stderr).toBe(3)
    // Each session's 5th message gets no answer: the session ends with 1011 and that round trip fails.
    expect(result.sessions).toMatchObject({started: 10, completed: 0, failed: 10, closeCodes: {1011: 10}})
    expect(result.totals).toMatchObject({completed: 40, transportErrors: 10})
    expect(result.errors.reset).toBe(10)
    expect(result.errorCodes).toEqual({LOADPLAN_WS_CLOSED: 10})
    expect(result.thresholds[0]).toMatchObject({name: 'session_errors', passed: false, value: 1})
  })

  it('a message never answered times out and the session goes on; a refused connection is a refused error', async () => {
    server = await startEcho((_n, k) => (k === 3 ? 60_000 : 0))
    const {result} = await run(echoService(server.url, '      messages: 5', 'load: {connections: 2, amount: 4}'), [
      '--timeout',
      '300ms',
    ])
    // Each session's 3rd message is swallowed: it times out, the 4th and 5th are answered, the session closes normally.
    expect(result.totals).toMatchObject({sent: 20, completed: 16, transportErrors: 4})
    expect(result.errorCodes).toEqual({LOADPLAN_REPLY_TIMEOUT: 4})
    expect(result.errors.timeout).toBe(4)
    expect(result.sessions).toMatchObject({completed: 4, failed: 0, closeCodes: {1000: 4}})
    await server.close()
    const refused = await run(echoService(server.url, '      messages: 5', 'load: {connections: 2, amount: 6}'))
    server = undefined
    expect(refused.code).toBe(3)
    expect(refused.result.errors.refused).toBe(6)
    expect(refused.result.sessions).toMatchObject({started: 6, failed: 6, closeCodes: {1006: 6}})
  })

  it('open model: sessions arrive at a rate; thresholds judge connect time and messages per second', async () => {
    server = await startEcho()
    const {code, result} = await run(
      echoService(server.url, '      messages: 5', 'load: {arrivalRate: 100/s, amount: 30}'),
      [
        '--threshold',
        'connect_p99<5s',
        '--threshold',
        'received/s>1',
        '--threshold',
        'p99<5s',
        '--junit',
        join(dir, 'ws.xml'),
        // A rate to keep on a busy machine: the saturation guard would fail the run (its own test).
        '--allow-saturated',
      ],
    )
    expect(code).toBe(0)
    expect(readFileSync(join(dir, 'ws.xml'), 'utf8')).toMatch(/<testcase name="connect_p99&lt;5s"/)
    expect(result.options.model).toBe('open')
    expect(result.sessions).toMatchObject({started: 30, completed: 30, messagesReceived: 150})
    expect(result.thresholds.map((t) => [t.name, t.passed])).toEqual([
      ['connect_p99', true],
      ['received/s', true],
      ['p99', true],
    ])
  })

  it('two shards merge into exactly the sessions of one run', async () => {
    server = await startEcho()
    const text = echoService(server.url, '      messages: 10', 'load: {connections: 4, amount: 40}')
    const shard0 = await run(text, ['--segment', '0/2'])
    const shard1 = await run(text, ['--segment', '1/2'])
    const files = [0, 1].map((i) => join(dir, `shard-${i}.json`))
    writeFileSync(files[0] as string, JSON.stringify(shard0.result))
    writeFileSync(files[1] as string, JSON.stringify(shard1.result))
    const merged = await runInProcess(['merge', ...files, '--json'])
    expect(merged.code, merged.stderr).toBe(0)
    const result = JSON.parse(merged.stdout) as RunResult
    expect(server.counts).toMatchObject({sessions: 40, messages: 400})
    expect(shard0.result.sessions?.started).toBe(20)
    expect(result.sessions).toMatchObject({started: 40, completed: 40, messagesSent: 400, closeCodes: {1000: 40}})
    expect(result.sessions?.duration.count).toBe(40)
    expect(result.totals.completed).toBe(400)
  })

  it('refuses bad input all at once, before connecting', async () => {
    const file = join(dir, 'bad.yaml')
    writeFileSync(
      file,
      [
        'target: ws://127.0.0.1:1',
        'scenarios:',
        '  - name: a',
        '    ws: {send: "{{msg}} {{nope}}", close: 999, every: fast, expect: {status: 200}}',
        '  - name: b',
        '    request: {path: /}',
        'load: {pipelining: 2}',
        'thresholds: ["connect_p99{scenario:a}<1s"]',
      ].join('\n'),
    )
    const {code, stderr} = await runInProcess(['run', file])
    expect(code).toBe(2)
    for (const text of [
      '{{nope}}',
      'close',
      'every',
      'no status or headers',
      'one protocol per run',
      'not per scenario',
    ])
      expect(stderr).toContain(text)
    expect(stderr).not.toMatch(/\n\s+at /)
  })
})
