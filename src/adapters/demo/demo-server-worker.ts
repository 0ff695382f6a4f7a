/**
 * The embedded demo target behind `loadplan demo` and `run --demo`: a small HTTP service on
 * 127.0.0.1 (a random free port) with a real capacity. It works on at most WORKER_SLOTS requests
 * at a time, each for 2–5 ms (and one in 200 for 25 ms, a slow query); the others wait their turn,
 * as in a service with a fixed pool of workers. So it has a knee a short capacity search reaches
 * (about 4 / 3.6 ms ≈ 1,100/s, less with timer overhead), with latency rising towards it. It answers
 * a JSON page of about 2 kB, the size of a typical API response, so the plan's egress is measured.
 * Runs in its own thread so that it does not share the load generator's event loop.
 */
import {createServer, type ServerResponse} from 'node:http'
import {parentPort} from 'node:worker_threads'

const WORKER_SLOTS = 4
const ITEMS = Array.from({length: 24}, (_, i) => ({
  id: 1000 + i,
  name: `item ${i + 1}`,
  priceUsd: Math.round((9.5 + i * 3.25) * 100) / 100,
  inStock: i % 5 !== 0,
  tags: ['demo', i % 2 === 0 ? 'even' : 'odd'],
}))

let busy = 0
const waiting: Array<() => void> = []

function work(respond: () => void): void {
  busy++
  const workMs = Math.random() < 0.005 ? 25 : 2 + Math.random() * 3
  setTimeout(() => {
    respond()
    busy--
    waiting.shift()?.()
  }, workMs)
}

function answer(path: string | undefined, status: number, response: ServerResponse): void {
  response.writeHead(status, {'content-type': 'application/json'})
  response.end(JSON.stringify({ok: true, path, items: ITEMS}))
}

const server = createServer((request, response) => {
  request.resume()
  request.on('end', () => {
    const respond = () => answer(request.url, request.method === 'POST' ? 201 : 200, response)
    if (busy < WORKER_SLOTS) work(respond)
    else waiting.push(() => work(respond))
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
