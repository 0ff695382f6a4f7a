/**
 * The README's WebSocket and gRPC service files (issue 34) are the files in plans/, and each runs
 * as it is against a local server of its kind, only the target and the amount given as flags.
 */
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import * as grpc from '@grpc/grpc-js'
import {loadSync} from '@grpc/proto-loader'
import {WebSocketServer} from 'ws'
import {afterAll, describe, expect, it} from 'vitest'
import type {RunResult} from '../../src/contracts/results/run-result.js'
import {runInProcess} from '../helpers/in-process.js'

const ROOT = join(import.meta.dirname, '..', '..')
const README = readFileSync(join(ROOT, 'README.md'), 'utf8')
const dir = mkdtempSync(join(tmpdir(), 'loadplan-readme-sessions-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

async function run(plan: string, target: string, amount: number): Promise<RunResult> {
  const out = join(dir, `${plan}.json`)
  // The plans keep a rate, so a generator starved by the tests running beside this one would fail
  // the run (exit 3, saturation-guard.test.ts); what this test judges is the plan's counts.
  const {code, stderr} = await runInProcess([
    'run',
    join('plans', plan),
    '--target',
    target,
    '-a',
    String(amount),
    '--out',
    out,
    '--allow-saturated',
  ])
  expect(code, stderr).toBe(0)
  return JSON.parse(readFileSync(out, 'utf8')) as RunResult
}

describe('README: WebSockets and gRPC', () => {
  for (const plan of ['chat-ws.yaml', 'greeter-grpc.yaml'])
    it(`shows plans/${plan} whole`, () => {
      expect(README).toContain(`\`\`\`yaml\n${readFileSync(join(ROOT, 'plans', plan), 'utf8')}\`\`\``)
    })

  it('runs plans/chat-ws.yaml against a chat room that announces each user', async () => {
    const wss = new WebSocketServer({port: 0, host: '127.0.0.1'})
    await new Promise<void>((resolve) => wss.once('listening', resolve))
    const rooms = new Set<string>()
    wss.on('connection', (socket, request) => {
      rooms.add(new URL(request.url ?? '/', 'ws://x').searchParams.get('room') ?? '')
      socket.send(JSON.stringify({type: 'presence', joined: true}))
      socket.on('message', (data) => socket.send(data.toString()))
    })
    try {
      const result = await run('chat-ws.yaml', `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, 6)
      expect(rooms.size).toBe(6)
      expect(result.sessions).toMatchObject({started: 6, completed: 6, messagesSent: 60, messagesReceived: 66})
      expect(result.totals).toMatchObject({completed: 60, errors: 0})
      expect(result.thresholds.every((t) => t.passed)).toBe(true)
    } finally {
      await new Promise((resolve) => wss.close(resolve))
    }
  })

  it('runs plans/greeter-grpc.yaml against a Greeter server', async () => {
    const definition = loadSync(join(ROOT, 'plans', 'greeter.proto'))
    const greeter = (grpc.loadPackageDefinition(definition).greeter as grpc.GrpcObject)
      .Greeter as grpc.ServiceClientConstructor
    const server = new grpc.Server()
    const seen = {hello: 0, chat: 0, tenants: new Set<string>()}
    server.addService(greeter.service, {
      SayHello(call: grpc.ServerUnaryCall<{name: string}, unknown>, callback: grpc.sendUnaryData<unknown>) {
        seen.hello++
        seen.tenants.add(String(call.metadata.get('x-tenant')[0]))
        callback(null, {message: `hello ${call.request.name}`})
      },
      Chat(call: grpc.ServerDuplexStream<unknown, unknown>) {
        seen.chat++
        call.on('data', (message) => call.write(message))
        call.on('end', () => call.end())
      },
    })
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
    )
    try {
      const result = await run('greeter-grpc.yaml', `grpc://127.0.0.1:${port}`, 100)
      expect(seen.hello + seen.chat).toBe(100)
      expect(seen.chat).toBeGreaterThan(0)
      expect([...seen.tenants].every((t) => /^t[1-5]$/.test(t))).toBe(true)
      // A greeting is one round trip, a chat ten.
      expect(result.totals).toMatchObject({completed: seen.hello + 10 * seen.chat, errors: 0})
      expect(result.sessions).toMatchObject({started: 100, completed: 100, closeCodes: {OK: 100}})
    } finally {
      server.forceShutdown()
    }
  })
})
