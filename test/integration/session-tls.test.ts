/**
 * WebSocket and gRPC over TLS (issue 34): wss:// and grpcs:// against local servers with a
 * self-signed certificate: refused as TLS errors by default, carried with --insecure.
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:https'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import * as grpc from '@grpc/grpc-js'
import {loadSync} from '@grpc/proto-loader'
import {WebSocketServer} from 'ws'
import {afterAll, describe, expect, it} from 'vitest'
import type {RunResult} from '../../src/contracts/results/run-result.js'
import {ECHO_PROTO} from '../helpers/grpc-echo-server.js'
import {runCli} from '../helpers/cli.js'
import {runInProcess} from '../helpers/in-process.js'
import {selfSignedCertificate} from '../helpers/self-signed.js'

const dir = mkdtempSync(join(tmpdir(), 'loadplan-session-tls-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))
const certificate = selfSignedCertificate()

/** Runs the file; a run where nothing got through exits 3 (no response at all), one that worked 0. */
async function run(name: string, service: string, args: string[], expectedCode = 0): Promise<RunResult> {
  const file = join(dir, `${name}.yaml`)
  writeFileSync(file, service)
  const out = join(dir, `${name}.json`)
  const {code, stderr} = await runInProcess(['run', file, '--out', out, ...args])
  expect(code, stderr).toBe(expectedCode)
  return JSON.parse(readFileSync(out, 'utf8')) as RunResult
}

describe('sessions over TLS', () => {
  it('wss://: a self-signed certificate is a tls error, accepted with --insecure', async () => {
    const server = createServer(certificate)
    const wss = new WebSocketServer({server})
    wss.on('connection', (socket) => socket.on('message', (data) => socket.send(data.toString())))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const service = `target: wss://127.0.0.1:${(server.address() as AddressInfo).port}\nscenarios:\n  - name: echo\n    ws: {messages: 5}\n`
    try {
      const refused = await run('wss-refused', service, ['-c', '2', '-a', '4'], 3)
      expect(refused.sessions).toMatchObject({started: 4, failed: 4})
      expect(refused.errors.tls).toBe(4)
      const carried = await run('wss', service, ['-c', '2', '-a', '4', '--insecure'])
      expect(carried.sessions).toMatchObject({started: 4, completed: 4, messagesReceived: 20})
      expect(carried.totals.errors).toBe(0)
    } finally {
      wss.close()
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('grpcs://: the same, on a gRPC server with TLS credentials', async () => {
    const echo = (grpc.loadPackageDefinition(loadSync(ECHO_PROTO)).loadtest as grpc.GrpcObject)
      .Echo as grpc.ServiceClientConstructor
    const server = new grpc.Server()
    server.addService(echo.service, {
      Unary: (call: grpc.ServerUnaryCall<{text: string}, unknown>, callback: grpc.sendUnaryData<unknown>) =>
        callback(null, {text: call.request.text}),
    })
    const credentials = grpc.ServerCredentials.createSsl(null, [
      {private_key: Buffer.from(certificate.key), cert_chain: Buffer.from(certificate.cert)},
    ])
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', credentials, (error, bound) => (error ? reject(error) : resolve(bound))),
    )
    const service = `target: grpcs://127.0.0.1:${port}\nscenarios:\n  - name: call\n    grpc: {proto: ${ECHO_PROTO}, method: loadtest.Echo/Unary, message: {text: hi}}\n`
    try {
      const refused = await run('grpcs-refused', service, ['-c', '2', '-a', '4', '--timeout', '2s'], 3)
      expect(refused.sessions).toMatchObject({started: 4, failed: 4})
      expect(refused.errors.tls, JSON.stringify(refused.errorCodes)).toBe(4)
      const carried = await run('grpcs', service, ['-c', '2', '-a', '20', '--insecure'])
      expect(carried.sessions).toMatchObject({started: 20, completed: 20, closeCodes: {OK: 20}})
      // In a process of its own: Node warns once per process (DEP0123) when TLS is given an IP
      // address as its server name, as grpc-js does; the user cannot change that, so it is not shown.
      const own = await runCli(['run', join(dir, 'grpcs.yaml'), '-c', '1', '-a', '2', '--insecure', '--json'])
      expect(own.code, own.stderr).toBe(0)
      expect(own.stderr).not.toContain('DEP0123')
    } finally {
      server.forceShutdown()
    }
  })
})
