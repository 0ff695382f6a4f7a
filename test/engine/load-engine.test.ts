/**
 * The engine on a virtual clock: fake connections that answer after a scripted service time, and
 * vitest's fake timers. Every count and latency here is computed by hand, exactly.
 */
import type {Dispatcher} from 'undici'
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest'
import {resolveRunOptions} from '../../src/config/run/resolve-run-options.js'
import {type RunFlags} from '../../src/config/run/run-flags.js'
import {LoadEngine, type EngineResult} from '../../src/core/engine/load-engine.js'
import type {EngineClient} from '../../src/core/engine/undici-client.js'
import {countAtOrAbove} from '../helpers/count-at-or-above.js'
import {decodeHistogram, percentileMs} from '../../src/contracts/stats/histogram.js'

/** A connection to a server that handles one request at a time, each taking serviceMs(index). */
function fakeClientFactory(serviceMs: (index: number) => number) {
  let index = 0
  const sent: number[] = []
  return {
    sent,
    createClient(): EngineClient {
      let busyUntilMs = 0
      return {
        dispatch(_options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) {
          const now = Date.now()
          sent.push(now)
          handler.onConnect?.(() => {})
          busyUntilMs = Math.max(now, busyUntilMs) + serviceMs(index++)
          setTimeout(() => {
            handler.onHeaders?.(200, [], () => {}, 'OK')
            handler.onData?.(Buffer.from('ok'))
            handler.onComplete?.([])
          }, busyUntilMs - now)
          return true
        },
        destroy: async () => {},
      }
    },
  }
}

async function runVirtual(
  flags: RunFlags,
  serviceMs: (index: number) => number,
): Promise<EngineResult & {sentAtMs: number[]}> {
  const factory = fakeClientFactory(serviceMs)
  const options = resolveRunOptions({url: 'http://127.0.0.1:8080/', flags, defaultSeed: 1})
  const engine = new LoadEngine(options, 0, 1, {
    now: () => Date.now(),
    epochNow: () => Date.now(),
    createClient: factory.createClient,
  })
  const done = engine.run()
  await vi.advanceTimersByTimeAsync(60_000)
  return {...(await done), sentAtMs: factory.sent}
}

beforeEach(() => {
  vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'], now: 0})
})
afterEach(() => {
  vi.useRealTimers()
})

describe('open model on a virtual clock', () => {
  it('sends each arrival exactly on schedule from the origin', async () => {
    const result = await runVirtual({arrivalRate: '100/s', duration: '1s'}, () => 5)
    // By hand: 100/s for 1 s = arrivals at 0, 10, …, 990 ms.
    expect(result.sentAtMs).toEqual(Array.from({length: 100}, (_, k) => k * 10))
    expect(result.counters).toMatchObject({sent: 100, completed: 100, dropped: 0})
    const corrected = decodeHistogram(result.corrected)
    expect(percentileMs(corrected, 0)).toBeCloseTo(5, 2)
    expect(percentileMs(corrected, 100)).toBeCloseTo(5, 2)
  })

  it('leaves requests due in the warm-up out of every figure', async () => {
    // By hand: 100/s for 1.5 s is 150 arrivals; the 50 due before 500 ms are warm-up.
    const result = await runVirtual({arrivalRate: '100/s', duration: '1500ms', warmup: '500ms'}, () => 5)
    expect(result.counters).toMatchObject({sent: 150, completed: 100, warmup: 50})
    expect(result.measuredMs).toBe(1000) // the schedule's end (1500 ms) less the warm-up
    expect(decodeHistogram(result.corrected).totalCount).toBe(100)
  })

  it('drops exactly the arrivals that find the in-flight limit reached', async () => {
    // Given 25 ms per request, at most 2 in flight and an arrival every 10 ms: sends at 0, 10, 30,
    // 40, 60, 70, …; the arrivals at 20, 50, 80, … (20 + 30k ≤ 990, k = 0…32) find 2 in flight.
    const result = await runVirtual({arrivalRate: '100/s', duration: '1s', maxInFlight: '2'}, () => 25)
    expect(result.counters.dropped).toBe(33)
    expect(result.counters.sent).toBe(67)
    expect(result.sentAtMs.slice(0, 6)).toEqual([0, 10, 30, 40, 60, 70])
  })

  it('queues for a free socket inside the limit, and the wait shows in corrected latency', async () => {
    // Given one socket, 15 ms per request, arrivals every 10 ms: request k waits 5k ms for the
    // socket; its corrected latency is 15 + 5k ms, its uncorrected latency 15 ms.
    const result = await runVirtual({arrivalRate: '100/s', duration: '100ms', connections: '1'}, () => 15)
    expect(result.counters.sent).toBe(10)
    expect(result.sentAtMs).toEqual([0, 15, 30, 45, 60, 75, 90, 105, 120, 135])
    expect(percentileMs(decodeHistogram(result.corrected), 100)).toBeCloseTo(15 + 5 * 9, 1)
    expect(percentileMs(decodeHistogram(result.uncorrected), 100)).toBeCloseTo(15, 1)
  })
})

/** A server that accepts every request and never answers; destroying a connection fails its requests. */
function hungClientFactory() {
  return {
    createClient(): EngineClient {
      const pending: Dispatcher.DispatchHandler[] = []
      return {
        dispatch(_options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) {
          handler.onConnect?.(() => {})
          pending.push(handler)
          return true
        },
        destroy: async () => {
          for (const handler of pending.splice(0))
            handler.onError?.(Object.assign(new Error('destroyed'), {code: 'UND_ERR_DESTROYED'}))
        },
      }
    },
  }
}

describe('graceful stop against a server that never answers', () => {
  for (const [model, flags] of [
    ['open', {arrivalRate: '10/s'}],
    ['closed', {connections: '3'}],
  ] as const) {
    it(`${model} model: ends at duration + graceful stop and counts the hung requests as cut off, not errors`, async () => {
      const options = resolveRunOptions({
        url: 'http://127.0.0.1:8080/',
        flags: {...flags, duration: '3s', gracefulStop: '1s', timeout: '10s'},
        defaultSeed: 1,
      })
      const engine = new LoadEngine(options, 0, 1, {
        now: () => Date.now(),
        epochNow: () => Date.now(),
        createClient: hungClientFactory().createClient,
      })
      const done = engine.run()
      await vi.advanceTimersByTimeAsync(60_000)
      const result = await done
      // By hand: the run stops at 3000 ms and its grace ends at 4000 ms, before the 10 s timeout.
      expect(result.elapsedMs).toBe(4000)
      expect(result.stopReason).toBe('duration')
      expect(result.counters.transportErrors).toBe(0)
      expect(result.counters.completed).toBe(0)
      // Open: 30 arrivals (0, 100, …, 2900 ms), each on its own connection; closed: 3 connections.
      expect(result.counters.aborted).toBe(model === 'open' ? 30 : 3)
    })
  }
})

describe('closed model with a rate cap on a virtual clock', () => {
  it('corrects for coordinated omission by the hand-computed amount', async () => {
    // Given one connection capped at 100/s (a request due every 10 ms), 1 ms per request, but
    // request 10 (due at 100 ms) takes 1000 ms. Requests 11, 12, … were due at 110, 120, … and
    // are sent back to back from 1100 ms; request j completes at 1100 + (j − 10) ms, so its
    // corrected latency is 1090 − 9j ms: ≥ 500 ms for j = 11…65. With request 10: 56 samples.
    const result = await runVirtual({rate: '100/s', connections: '1', duration: '1995ms'}, (i) => (i === 10 ? 1000 : 1))
    expect(result.counters.sent).toBe(200)
    expect(countAtOrAbove(result.corrected, 500)).toBe(56)
    expect(countAtOrAbove(result.uncorrected, 500)).toBe(1)
    // Request 11: due at 110 ms, done at 1101 ms.
    expect(percentileMs(decodeHistogram(result.corrected), 100)).toBeCloseTo(1000, 0)
    expect(result.sentAtMs.slice(9, 14)).toEqual([90, 100, 1100, 1101, 1102])
  })

  it('keeps the pace of the cap when the server is fast', async () => {
    const result = await runVirtual({rate: '50/s', connections: '2', duration: '1s'}, () => 1)
    // By hand: 2 slots, each due every 40 ms, staggered by 20 ms: sends at 0, 20, 40, … 980.
    expect(result.sentAtMs).toEqual(Array.from({length: 50}, (_, k) => k * 20))
  })
})
