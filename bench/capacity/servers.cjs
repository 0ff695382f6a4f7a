// Known-answer servers for bench/capacity, in their own process (not the generator's event loop):
// two that serve N requests at a time for a fixed time each, and one CPU-bound handler. Each
// reports on /stats the capacity its own measurements imply, so the answer is measured, not assumed.
const http = require('node:http')

// A timer fires late by a millisecond or more, so each slot is held a little longer than
// `workMs`; /stats answers the mean time a slot was actually held, and the capacity is
// slots / that time.
function slotServer(slots, workMs) {
  let active = 0
  let served = 0
  let heldMs = 0
  const waiting = []
  const serve = (respond) => {
    active++
    const started = performance.now()
    setTimeout(() => {
      heldMs += performance.now() - started
      served++
      respond()
      active--
      const next = waiting.shift()
      if (next) next()
    }, workMs)
  }
  return http.createServer((request, response) => {
    if (request.url === '/stats')
      return response.end(
        JSON.stringify({requests: served, capacityPerSec: (slots * 1000) / (heldMs / Math.max(1, served))}),
      )
    const respond = () => response.end('ok')
    if (active < slots) serve(respond)
    else waiting.push(() => serve(respond))
  })
}

// Spins for SPIN_MS of CPU per request; /stats answers the mean CPU per request seen so far
// (user + system, whole process, so HTTP parsing is included).
const SPIN_MS = Number(process.env.SPIN_MS ?? 4)
let requests = 0
const cpuStart = process.cpuUsage()
const cpuServer = http.createServer((request, response) => {
  if (request.url === '/stats') {
    const used = process.cpuUsage(cpuStart)
    return response.end(
      JSON.stringify({requests, capacityPerSec: 1e6 / ((used.user + used.system) / Math.max(1, requests))}),
    )
  }
  requests++
  const until = process.cpuUsage().user + SPIN_MS * 1000
  while (process.cpuUsage().user < until) {
    // busy: the work a CPU-bound handler does
  }
  response.end('ok')
})

const servers = {'slots-4x10ms': slotServer(4, 10), 'slots-2x25ms': slotServer(2, 25), cpu: cpuServer}
let listening = 0
for (const [name, server] of Object.entries(servers)) {
  server.keepAliveTimeout = 60_000
  server.listen(0, '127.0.0.1', () => {
    servers[name] = `http://127.0.0.1:${server.address().port}`
    if (++listening === 3) process.stdout.write(`${JSON.stringify(servers)}\n`)
  })
}
