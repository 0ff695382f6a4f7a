/**
 * Real HTTP servers on 127.0.0.1 (port 0) for integration tests. Each counts the requests it
 * received, so tests compare loadplan's counts with the server's own.
 */
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import {createServer as createNetServer} from 'node:net'

export interface LocalServer {
  url: string
  port: number
  /** Requests received (counted when the request arrives, before the handler answers). */
  readonly count: number
  close(): Promise<void>
}

export type Handler = (request: IncomingMessage, response: ServerResponse, index: number, body: string) => void

export async function startServer(handler: Handler = (_q, s) => s.end('ok')): Promise<LocalServer> {
  let count = 0
  const server: Server = createServer((request, response) => {
    const index = count++
    let body = ''
    request.setEncoding('utf8')
    request.on('data', (chunk: string) => (body += chunk))
    request.on('end', () => handler(request, response, index, body))
  })
  server.keepAliveTimeout = 60_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as {port: number}
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get count() {
      return count
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A port with nothing listening on it (bound, then released). */
export async function unusedPort(): Promise<number> {
  const server = createNetServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as {port: number}
  await new Promise((resolve) => server.close(resolve))
  return port
}
