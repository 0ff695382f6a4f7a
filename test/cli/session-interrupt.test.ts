/**
 * Interrupting a WebSocket run (issue 34) keeps what it measured: the first SIGINT stops new
 * messages and closes each session once its replies are in (exit 130, the partial result
 * written); a second cuts off sessions still waiting, counted as aborted, not as errors.
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {WebSocketServer} from 'ws'
import {afterAll, afterEach, describe, expect, it} from 'vitest'
import type {RunResult} from '../../src/contracts/results/run-result.js'
import {startCli, waitUntil} from '../helpers/cli.js'

const dir = mkdtempSync(join(tmpdir(), 'loadplan-session-interrupt-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))
let wss: WebSocketServer | undefined
afterEach(async () => {
  for (const client of wss?.clients ?? []) client.terminate()
  await new Promise((resolve) => (wss ? wss.close(resolve) : resolve(undefined)))
  wss = undefined
})

/** Echoes the first `answered` messages of the whole server, then answers nothing. */
async function echo(answered: number): Promise<{url: string; received: () => number; closes: number[]}> {
  const server = new WebSocketServer({port: 0, host: '127.0.0.1'})
  wss = server
  await new Promise<void>((resolve) => server.once('listening', resolve))
  let received = 0
  const closes: number[] = []
  server.on('connection', (socket) => {
    socket.on('message', (data) => ++received <= answered && socket.send(data.toString()))
    socket.on('close', (code) => closes.push(code))
  })
  return {url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`, received: () => received, closes}
}

function serviceFile(url: string): string {
  const file = join(dir, `ws-${Math.random().toString(36).slice(2)}.yaml`)
  writeFileSync(file, `target: ${url}\nscenarios:\n  - name: chat\n    ws: {messages: 10000, every: 20ms}\n`)
  return file
}

describe('interrupting WebSocket sessions', () => {
  it('SIGINT: sessions close normally once answered, the partial result is written, exit 130', async () => {
    const server = await echo(Number.POSITIVE_INFINITY)
    const out = join(dir, 'partial.json')
    const {child, done} = startCli(['run', serviceFile(server.url), '-c', '4', '-d', '10m', '--out', out])
    await waitUntil(() => server.received() >= 40, 60_000, '40 messages at the server')
    child.kill('SIGINT')
    const {code, stderr} = await done
    expect(code, stderr).toBe(130)
    const result = JSON.parse(readFileSync(out, 'utf8')) as RunResult
    expect(result.stopReason).toBe('interrupted')
    expect(result.sessions).toMatchObject({started: 4, completed: 4, failed: 0, closeCodes: {1000: 4}})
    expect(result.totals.errors).toBe(0)
    expect(result.totals.completed).toBe(result.totals.sent)
    expect(server.closes).toEqual([1000, 1000, 1000, 1000])
  })

  it('a second SIGINT cuts off sessions still waiting for replies: aborted, not errors', async () => {
    const server = await echo(40)
    const out = join(dir, 'cut-off.json')
    const {child, done, output} = startCli([
      'run',
      serviceFile(server.url),
      '-c',
      '4',
      '-d',
      '10m',
      '--graceful-stop',
      '60s',
      '-t',
      '120s',
      '--out',
      out,
    ])
    await waitUntil(() => server.received() >= 60, 60_000, 'the server to stop answering')
    child.kill('SIGINT')
    await waitUntil(() => output().stderr.includes('Stopping'), 30_000, 'the first stop message')
    child.kill('SIGINT')
    const {code, stderr} = await done
    expect(code, stderr).toBe(130)
    const result = JSON.parse(readFileSync(out, 'utf8')) as RunResult
    expect(result.totals.completed).toBe(40)
    expect(result.totals.errors).toBe(0)
    expect(result.totals.aborted).toBe(result.totals.sent - 40)
    expect(result.sessions).toMatchObject({started: 4, failed: 4})
  })
})
