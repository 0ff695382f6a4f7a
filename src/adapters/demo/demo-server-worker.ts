/**
 * The embedded demo target behind `loadplan run --demo`: a small HTTP service on 127.0.0.1 (a
 * random free port) that answers every request with JSON after 1–4 ms of simulated work, and now
 * and then 40 ms, so the demo shows a real latency distribution. Runs in its own thread so that
 * it does not share the load generator's event loop.
 */
import {createServer} from 'node:http'
import {parentPort} from 'node:worker_threads'

const server = createServer((request, response) => {
  request.resume()
  request.on('end', () => {
    const workMs = Math.random() < 0.01 ? 40 : 1 + Math.random() * 3
    setTimeout(() => {
      response.writeHead(request.method === 'POST' ? 201 : 200, {'content-type': 'application/json'})
      response.end(`{"ok":true,"path":${JSON.stringify(request.url)}}`)
    }, workMs)
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  parentPort?.postMessage({port: typeof address === 'object' && address ? address.port : 0})
})
parentPort?.on('message', (message: string) => {
  if (message === 'stop') {
    // Closing every handle lets the thread end by itself.
    server.closeAllConnections()
    server.close()
    parentPort?.close()
  }
})
