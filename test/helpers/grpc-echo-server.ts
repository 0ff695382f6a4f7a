/**
 * A gRPC server from @grpc/grpc-js on 127.0.0.1 (port 0) with one method of each kind
 * (test/fixtures/grpc/echo.proto), counting every call and message it receives; optionally at
 * most `slots` unary calls served at a time, for capacity.
 */
import {join} from 'node:path'
import * as grpc from '@grpc/grpc-js'
import {loadSync} from '@grpc/proto-loader'

export const ECHO_PROTO = join(import.meta.dirname, '..', 'fixtures', 'grpc', 'echo.proto')

interface Msg {
  text?: string
  delayMs?: number
  count?: number
}

export interface GrpcEchoServer {
  url: string
  counts: {calls: number; messages: number}
  /** Ends every call at once, as a crash would. */
  kill(): void
  close(): Promise<void>
}

export async function startGrpcEcho(options: {slots?: number; onCall?: () => void} = {}): Promise<GrpcEchoServer> {
  const definition = loadSync(ECHO_PROTO, {keepCase: false, defaults: true})
  const echo = (grpc.loadPackageDefinition(definition).loadtest as grpc.GrpcObject)
    .Echo as grpc.ServiceClientConstructor
  const counts = {calls: 0, messages: 0}
  const server = new grpc.Server()
  let active = 0
  const waiting: Array<() => void> = []
  const slotted = (work: (done: () => void) => void) => {
    if (options.slots === undefined) return work(() => {})
    const run = () => {
      active++
      work(() => {
        active--
        waiting.shift()?.()
      })
    }
    if (active < options.slots) run()
    else waiting.push(run)
  }
  const received = () => {
    counts.messages++
  }
  server.addService(echo.service, {
    Unary(call: grpc.ServerUnaryCall<Msg, Msg>, callback: grpc.sendUnaryData<Msg>) {
      counts.calls++
      received()
      options.onCall?.()
      slotted((done) =>
        setTimeout(() => {
          done()
          callback(null, {text: call.request.text ?? ''})
        }, call.request.delayMs ?? 0),
      )
    },
    ServerStream(call: grpc.ServerWritableStream<Msg, Msg>) {
      counts.calls++
      received()
      options.onCall?.()
      const total = call.request.count ?? 1
      let sent = 0
      const next = () => {
        if (call.cancelled) return
        if (sent === total) return call.end()
        call.write({text: String(sent++)})
        setTimeout(next, call.request.delayMs ?? 0)
      }
      next()
    },
    ClientStream(call: grpc.ServerReadableStream<Msg, Msg>, callback: grpc.sendUnaryData<Msg>) {
      counts.calls++
      let n = 0
      call.on('data', () => {
        n++
        received()
      })
      call.on('end', () => callback(null, {count: n}))
    },
    Bidi(call: grpc.ServerDuplexStream<Msg, Msg>) {
      counts.calls++
      call.on('data', (message: Msg) => {
        received()
        setTimeout(() => call.write({text: message.text ?? ''}), message.delayMs ?? 0)
      })
      call.on('end', () => call.end())
    },
  })
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  )
  return {
    url: `grpc://127.0.0.1:${port}`,
    counts,
    kill: () => server.forceShutdown(),
    close: () =>
      new Promise<void>((resolve) => {
        server.forceShutdown()
        resolve()
      }),
  }
}
