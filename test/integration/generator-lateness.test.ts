/**
 * The open model's own delay: arrivals must go out on time, not a timer tick late, so that the
 * corrected latency of a fast server is the server's, not loadplan's (issue 28: at 2,000/s the
 * corrected p50 was 953 µs against 178 µs uncorrected). The server runs in a process of its own.
 */
import {spawn, type ChildProcess} from 'node:child_process'
import {once} from 'node:events'
import {afterEach, describe, expect, it} from 'vitest'
import {resolveRunOptions} from '../../src/config/run/resolve-run-options.js'
import {startRun} from '../../src/core/engine/run-load.js'

let server: ChildProcess | undefined
afterEach(() => {
  if (server?.pid) process.kill(server.pid)
  server = undefined
})

/** A Node HTTP server that answers at once, on a port from the OS, in a child process. */
async function fastServer(): Promise<string> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      "const s = require('http').createServer((q, r) => r.end('ok')); s.keepAliveTimeout = 60000; s.listen(0, '127.0.0.1', () => console.log(s.address().port))",
    ],
    {stdio: ['ignore', 'pipe', 'inherit']},
  )
  server = child
  const [chunk] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer]
  return `http://127.0.0.1:${chunk.toString().trim()}/`
}

describe('generator lateness', () => {
  it('sends arrivals at 2,000/s within a fraction of a millisecond of their due time, and reports it', async () => {
    const url = await fastServer()
    const options = resolveRunOptions({
      url,
      flags: {arrivalRate: '2000/s', duration: '3s', warmup: '1s'},
      defaultSeed: 1,
    })
    const cpuBefore = process.cpuUsage()
    const wallBefore = performance.now()
    const result = await startRun(options, {toolVersion: 'test'}).done
    const cpu = process.cpuUsage(cpuBefore)
    const cpuShare = (cpu.user + cpu.system) / 1000 / (performance.now() - wallBefore)
    expect(result.totals.completed).toBeGreaterThan(3000)
    const schedule = result.schedule
    expect(schedule, 'the result reports the generator delay').toBeDefined()
    const correctedP50 = result.latency.corrected.percentilesMs['50'] as number
    const uncorrectedP50 = result.latency.uncorrected.percentilesMs['50'] as number
    const detail = `corrected p50 ${correctedP50} ms, uncorrected ${uncorrectedP50} ms, ${JSON.stringify(schedule)}, CPU ${(cpuShare * 100).toFixed(0)} % of a core`
    // Timers alone: late by 0.5–0.7 ms at the median (a timer tick). On an idle machine the
    // corrected and uncorrected p50 then differ by about 8 µs (bin/run.js against nginx); on a busy
    // one by more, from connections opened after the process was descheduled (in both the corrected
    // latency and the real world), so that difference is measured in the closing note, not here.
    // Polling for due times keeps loadplan busy: given a core (80 % of one or more; 111 % here when
    // quiet), it sends on time. On a machine that does not give it one (stress-ng on both cores:
    // 74 %, 0.003–0.38 ms at p50 over three runs, 35–51 ms at p99), no code sends on time; the delay
    // must then stay under the millisecond timer tick it replaced, and be reported in order.
    if (cpuShare >= 0.8) expect(schedule?.lateP50Ms, detail).toBeLessThan(0.1)
    else expect(schedule?.lateP50Ms, detail).toBeLessThan(1)
    expect(schedule?.lateP50Ms, detail).toBeLessThanOrEqual(schedule?.lateP99Ms as number)
    expect(schedule?.lateP99Ms, detail).toBeLessThanOrEqual(schedule?.lateMaxMs as number)
    expect(correctedP50, detail).toBeGreaterThanOrEqual(uncorrectedP50)
  })
})
