/**
 * gRPC calls (issue 34) against a local @grpc/grpc-js server with one method of each kind that
 * counts what it receives: exact counts on both sides, deadlines enforced to the millisecond, a
 * server that dies mid-stream, a known capacity found, and bad input refused before the run.
 */
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, afterEach, describe, expect, it} from 'vitest'
import type {RunResult} from '../../src/contracts/results/run-result.js'
import {decodeHistogram, percentileMs} from '../../src/contracts/stats/histogram.js'
import {resolveRunOptions} from '../../src/config/run/resolve-run-options.js'
import {describeGrpcMethod} from '../../src/adapters/io/describe-grpc-method.js'
import {parseSlo} from '../../src/core/capacity/slo.js'
import {startCapacitySearch} from '../../src/core/engine/capacity-runner.js'
import {ECHO_PROTO, startGrpcEcho, type GrpcEchoServer} from '../helpers/grpc-echo-server.js'
import {runInProcess} from '../helpers/in-process.js'

let server: GrpcEchoServer | undefined
const dir = mkdtempSync(join(tmpdir(), 'loadplan-grpc-'))
afterEach(async () => {
  await server?.close()
  server = undefined
})
afterAll(() => rmSync(dir, {recursive: true, force: true}))

const service = (url: string, grpc: string, load: string) =>
  `target: ${url}\nscenarios:\n  - name: call\n    grpc:\n      proto: ${ECHO_PROTO}\n${grpc}\n${load}\n`

let files = 0
async function run(text: string, args: string[] = []): Promise<{code: number; result: RunResult; stderr: string}> {
  const file = join(dir, `grpc-${files++}.yaml`)
  writeFileSync(file, text)
  const out = join(dir, `result-${files}.json`)
  const {code, stderr} = await runInProcess(['run', file, '--out', out, ...args])
  if (!existsSync(out)) throw new Error(`no result (exit ${code}): ${stderr}`)
  return {code, result: JSON.parse(readFileSync(out, 'utf8')) as RunResult, stderr}
}

describe('gRPC calls', () => {
  it('unary: 200 calls on 4 channels, counted on both sides', async () => {
    server = await startGrpcEcho()
    const {code, result} = await run(
      service(
        server.url,
        '      method: loadtest.Echo/Unary\n      message: {text: "hi {{seq}}"}',
        'load: {connections: 4, amount: 200}',
      ),
    )
    expect(code).toBe(0)
    expect(server.counts).toEqual({calls: 200, messages: 200})
    expect(result.totals).toMatchObject({sent: 200, completed: 200, errors: 0})
    expect(result.sessions).toMatchObject({
      kind: 'grpc',
      started: 200,
      completed: 200,
      failed: 0,
      closeCodes: {OK: 200},
    })
    expect(result.sessions?.messagesReceived).toBe(200)
    expect(result.sessions?.connect.count).toBe(4)
  })

  it('server-streaming: each streamed message is a round trip', async () => {
    server = await startGrpcEcho()
    const {result} = await run(
      service(
        server.url,
        '      method: loadtest.Echo/ServerStream\n      message: {count: 10, delayMs: 1}',
        'load: {connections: 2, amount: 20}',
      ),
    )
    expect(server.counts.calls).toBe(20)
    expect(result.totals).toMatchObject({completed: 200, errors: 0})
    expect(result.sessions).toMatchObject({completed: 20, messagesSent: 20, messagesReceived: 200})
  })

  it('client-streaming: 5 messages a call, one answer', async () => {
    server = await startGrpcEcho()
    const {result} = await run(
      service(
        server.url,
        '      method: loadtest.Echo/ClientStream\n      messages: 5\n      message: {text: "{{msg}}"}',
        'load: {connections: 2, amount: 20}',
      ),
    )
    expect(server.counts).toEqual({calls: 20, messages: 100})
    expect(result.totals).toMatchObject({sent: 100, completed: 20, errors: 0})
    expect(result.sessions).toMatchObject({completed: 20, messagesSent: 100, messagesReceived: 20})
  })

  it('bidirectional: each message and its echo, ping-pong and on a schedule', async () => {
    server = await startGrpcEcho()
    const pingPong = await run(
      service(server.url, '      method: loadtest.Echo/Bidi\n      messages: 10', 'load: {connections: 2, amount: 20}'),
    )
    expect(server.counts).toEqual({calls: 20, messages: 200})
    expect(pingPong.result.totals).toMatchObject({sent: 200, completed: 200, errors: 0})
    const scheduled = await run(
      service(
        server.url,
        '      method: loadtest.Echo/Bidi\n      messages: 5\n      every: 20ms',
        'load: {connections: 1, amount: 2}',
      ),
    )
    expect(scheduled.result.totals).toMatchObject({sent: 10, completed: 10, errors: 0})
    // Five messages 20 ms apart: a call lasts at least 80 ms.
    expect(scheduled.result.sessions?.duration.minMs).toBeGreaterThanOrEqual(80)
  })

  it('the deadline is the timeout, to the millisecond', async () => {
    server = await startGrpcEcho()
    const {code, result} = await run(
      service(
        server.url,
        '      method: loadtest.Echo/Unary\n      message: {delayMs: 400}',
        'load: {connections: 5, amount: 10}',
      ),
      ['--timeout', '100ms', '--threshold', 'errors<1%'],
    )
    expect(code).toBe(3)
    expect(result.errors.timeout).toBe(10)
    expect(result.errorCodes).toEqual({GRPC_DEADLINE_EXCEEDED: 10})
    expect(result.sessions?.closeCodes).toEqual({DEADLINE_EXCEEDED: 10})
    // Every call ended at its deadline: not before, and within a few milliseconds after.
    const durations = decodeHistogram(result.sessions?.histograms.duration as string)
    expect(durations.minNonZeroValue / 1000).toBeGreaterThanOrEqual(99)
    expect(percentileMs(durations, 50)).toBeLessThan(110)
  })

  it('a server that dies mid-stream: classified errors and a saved result', async () => {
    let calls = 0
    server = await startGrpcEcho({onCall: () => ++calls === 4 && setTimeout(() => server?.kill(), 50)})
    const {result} = await run(
      service(
        server.url,
        '      method: loadtest.Echo/ServerStream\n      message: {count: 1000, delayMs: 5}',
        'load: {connections: 4, amount: 4}',
      ),
      ['--timeout', '5s'],
    )
    expect(result.sessions).toMatchObject({started: 4, failed: 4})
    expect(result.totals.completed).toBeGreaterThan(0)
    expect(result.totals.transportErrors).toBe(4)
    expect(result.errors.reset).toBe(4)
    expect(Object.keys(result.sessions?.closeCodes ?? {})).not.toContain('OK')
  })

  it('capacity finds a server of 4 slots × 20 ms (200 calls/s) within ±5 %', async () => {
    server = await startGrpcEcho({slots: 4})
    const file = join(dir, 'capacity.yaml')
    writeFileSync(
      file,
      `target: ${server.url}\nscenarios:\n  - name: call\n    grpc: {proto: ${ECHO_PROTO}, method: loadtest.Echo/Unary, message: {delayMs: 20}}\n`,
    )
    const {parseServiceFile} = await import('../../src/config/service-file.js')
    const base = resolveRunOptions({
      file: parseServiceFile(readFileSync(file, 'utf8'), file),
      fileName: file,
      flags: {timeout: '2s'},
      defaultSeed: 1,
      describeGrpcMethod,
    })
    const steps: string[] = []
    const result = await startCapacitySearch({
      base,
      slo: parseSlo('p99<100ms', undefined),
      settings: {
        startRatePerSec: 120,
        growthFactor: 1.5,
        maxRatePerSec: 1000,
        precision: 0.02,
        confirm: false,
        minRatePerSec: 1,
        stepDurationMs: 2000,
        warmupMs: 500,
        maxDurationMs: 120_000,
        maxErrorRatio: 0.2,
        maxInFlight: 1000,
        maxDroppedRatio: 0.01,
      },
      concurrency: [],
      host: {vCpus: 2, physicalCores: 2, memoryGiB: 1, cpuModel: 'test', os: 'test'},
      toolVersion: 'test',
      onStep: (line) => steps.push(line),
    }).done
    const found = result.sustainableRatePerSec as number
    if (result.steps.some((s) => s.unreliable)) expect(found, steps.join('\n')).toBeLessThanOrEqual(210)
    else {
      expect(found, steps.join('\n')).toBeGreaterThanOrEqual(190)
      expect(found, steps.join('\n')).toBeLessThanOrEqual(210)
    }
  })

  it('refuses a missing .proto, an unknown method or field, and streams of one, all at once', async () => {
    const bad = join(dir, 'bad.yaml')
    writeFileSync(
      bad,
      [
        'target: grpc://127.0.0.1:1',
        'scenarios:',
        `  - name: a`,
        `    grpc: {proto: ${ECHO_PROTO}, method: loadtest.Echo/Nope}`,
        `  - name: b`,
        `    grpc: {proto: ${ECHO_PROTO}, method: loadtest.Echo/Unary, messages: 3, message: {txt: "x", delay_ms: 1}}`,
        `  - name: c`,
        `    grpc: {proto: ${join(dir, 'missing.proto')}, method: a.B/C}`,
      ].join('\n'),
    )
    const {code, stderr} = await runInProcess(['run', bad])
    expect(code).toBe(2)
    for (const text of [
      'has no method "Nope"; it has Unary, ServerStream, ClientStream, Bidi',
      'no field "txt"',
      'no field "delay_ms"',
      'a unary call: it sends one message',
      'cannot read the .proto file (ENOENT)',
    ])
      expect(stderr).toContain(text)
  })
})
