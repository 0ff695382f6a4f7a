/**
 * Results per scenario on a virtual clock: two scenarios with different service times; their
 * counts and histograms add up exactly to the run's, across threads and shards, and thresholds
 * can name one of them.
 */
import type {Dispatcher} from 'undici'
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest'
import {resolveRunOptions} from '../../src/config/run/resolve-run-options.js'
import {parseServiceFile} from '../../src/config/service-file.js'
import {buildRunResult} from '../../src/core/engine/build-run-result.js'
import {LoadEngine} from '../../src/core/engine/load-engine.js'
import {mergeRunResults} from '../../src/core/engine/merge-run-results.js'
import type {EngineClient} from '../../src/core/engine/undici-client.js'
import type {RunResult} from '../../src/contracts/results/run-result.js'
import {decodeHistogram} from '../../src/contracts/stats/histogram.js'

const SERVICE = `target: http://127.0.0.1:8080
scenarios:
  - {name: fast, weight: 3, request: {path: /fast}}
  - {name: slow, weight: 1, request: {path: /slow}}
  - {name: broken, weight: 1, request: {path: /broken}}
thresholds: ["p99{scenario:fast} < 10ms", "p99{scenario:slow} < 10ms", "errors{scenario:broken} < 1%", "errors{scenario:fast} < 1%"]
`

/** /fast answers 200 after 5 ms, /slow 200 after 20 ms, /broken 500 after 1 ms. */
const createClient = (): EngineClient => ({
  dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) {
    handler.onConnect?.(() => {})
    const path = String(options.path)
    setTimeout(
      () => {
        handler.onHeaders?.(path === '/broken' ? 500 : 200, [], () => {}, '')
        handler.onComplete?.([])
      },
      path === '/fast' ? 5 : path === '/slow' ? 20 : 1,
    )
    return true
  },
  destroy: async () => {},
})

async function run(flags: {segment?: string; workers?: number}): Promise<RunResult> {
  const workers = flags.workers ?? 1
  const options = resolveRunOptions({
    file: parseServiceFile(SERVICE, 's.yaml'),
    fileName: 's.yaml',
    flags: {
      arrivalRate: '200/s',
      duration: '5s',
      workers: String(workers),
      ...(flags.segment ? {segment: flags.segment} : {}),
    },
    defaultSeed: 7,
  })
  const engines = Array.from(
    {length: workers},
    (_, w) => new LoadEngine(options, w, workers, {now: () => Date.now(), epochNow: () => Date.now(), createClient}),
  )
  const results = await Promise.all(engines.map((e) => e.run()))
  return buildRunResult({options, results, toolVersion: 'test'})
}

beforeEach(() => {
  vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'], now: 0})
})
afterEach(() => {
  vi.useRealTimers()
})

function expectAddsUp(result: RunResult): void {
  const scenarios = result.scenarios ?? []
  expect(scenarios.map((s) => s.name)).toEqual(['fast', 'slow', 'broken'])
  expect(scenarios.reduce((sum, s) => sum + s.completed, 0)).toBe(result.totals.completed)
  expect(scenarios.reduce((sum, s) => sum + s.errors, 0)).toBe(result.totals.errors)
  const union = decodeHistogram(scenarios[0]?.histogram as string)
  for (const s of scenarios.slice(1)) union.add(decodeHistogram(s.histogram))
  expect(union.totalCount).toBe(decodeHistogram(result.histograms.corrected).totalCount)
  expect(union.maxValue).toBe(decodeHistogram(result.histograms.corrected).maxValue)
}

describe('results per scenario', () => {
  it('counts, errors and latency per scenario add up to the run; thresholds judge the named one', async () => {
    const done = run({workers: 2})
    await vi.advanceTimersByTimeAsync(60_000)
    const result = await done
    expectAddsUp(result)
    const [fast, slow, broken] = result.scenarios as [
      RunResultScenarioLike,
      RunResultScenarioLike,
      RunResultScenarioLike,
    ]
    // Weights 3:1:1 of 1,000 requests: about 600/200/200.
    expect(fast.share).toBeGreaterThan(0.5)
    // Each scenario's own service time (a timer may fire a millisecond or two after a fractional due time).
    expect(fast.latency.minMs).toBeCloseTo(5, 1)
    expect(fast.latency.percentilesMs['99']).toBeLessThan(8)
    expect(slow.latency.minMs).toBeCloseTo(20, 1)
    expect(slow.latency.percentilesMs['99']).toBeLessThan(23)
    expect(broken.errors).toBe(broken.completed)
    expect(fast.errors).toBe(0)
    expect(result.thresholds.map((t) => [t.expression, t.passed])).toEqual([
      ['p99{scenario:fast} < 10ms', true],
      ['p99{scenario:slow} < 10ms', false],
      ['errors{scenario:broken} < 1%', false],
      ['errors{scenario:fast} < 1%', true],
    ])
    expect(result.thresholds[1]).toMatchObject({scenario: 'slow', name: 'p99{scenario:slow}'})
  })

  it('survive the merge of shards exactly', async () => {
    const done = Promise.all([run({segment: '0/2'}), run({segment: '1/2', workers: 2})])
    await vi.advanceTimersByTimeAsync(60_000)
    const shards = await done
    const merged = mergeRunResults({results: shards.map((result, i) => ({name: `s${i}`, result})), toolVersion: 'test'})
    expectAddsUp(merged)
    for (const [i, s] of (merged.scenarios ?? []).entries())
      expect(s.completed).toBe(
        (shards[0]?.scenarios?.[i]?.completed ?? 0) + (shards[1]?.scenarios?.[i]?.completed ?? 0),
      )
    expect(merged.thresholds.find((t) => t.scenario === 'slow')?.passed).toBe(false)
  })

  it('a threshold naming an unknown scenario is bad input listing the scenarios', () => {
    expect(() =>
      resolveRunOptions({
        file: parseServiceFile(SERVICE, 's.yaml'),
        fileName: 's.yaml',
        flags: {threshold: ['p99{scenario:checkout}<1s', '2xx{scenario:fast}>99%']},
      }),
    ).toThrow(
      /no scenario is named "checkout"; the scenarios are fast, slow, broken[\s\S]*2xx is judged on the whole run/,
    )
  })
})

type RunResultScenarioLike = NonNullable<RunResult['scenarios']>[number]

describe('journeys on a virtual clock', () => {
  const JOURNEY = `target: http://127.0.0.1:8080
scenarios:
  - name: j
    steps:
      - {name: a, request: {path: /fast}, think: 300ms}
      - {name: b, request: {path: /slow}, think: 300ms}
      - {name: c, request: {path: /fast}}
`
  async function runJourney(
    flags: Record<string, string>,
    client: () => EngineClient = createClient,
  ): Promise<{result: RunResult; ended: boolean}> {
    const options = resolveRunOptions({
      file: parseServiceFile(JOURNEY, 'j.yaml'),
      fileName: 'j.yaml',
      flags,
      defaultSeed: 1,
    })
    const engine = new LoadEngine(options, 0, 1, {
      now: () => Date.now(),
      epochNow: () => Date.now(),
      createClient: client,
    })
    let ended = false
    const done = engine.run().then((r) => {
      ended = true
      return buildRunResult({options, results: [r], toolVersion: 'test'})
    })
    await vi.advanceTimersByTimeAsync(60_000)
    return {result: await done, ended}
  }

  it('a fixed amount of journeys all finish, think times included', async () => {
    const {result} = await runJourney({connections: '2', amount: '5'})
    // By hand: 5 journeys × 3 steps; each takes 5 + 300 + 20 + 300 + 5 ms.
    expect(result.scenarios?.[0]?.steps?.map((s) => s.completed)).toEqual([5, 5, 5])
    expect(result.totals.completed).toBe(15)
  })

  it('when time is up, users thinking leave at once and the run ends on time', async () => {
    const {result, ended} = await runJourney({arrivalRate: '20/s', duration: '1s'})
    expect(ended).toBe(true)
    // Arrivals at 0, 50, …, 950 ms; the ones still thinking at 1 s leave: fewer c's than a's.
    const [a, , c] = result.scenarios?.[0]?.steps ?? []
    expect(a?.completed).toBe(20)
    expect(c?.completed).toBeLessThan(20)
    expect(result.durationMs).toBeLessThan(1100)
  })

  it('a server that never answers: the graceful stop cuts the journeys off and the run ends', async () => {
    const hangingClient = (): EngineClient => {
      const pending: Dispatcher.DispatchHandler[] = []
      return {
        dispatch(_options, handler) {
          handler.onConnect?.(() => {})
          pending.push(handler)
          return true
        },
        destroy: async () => {
          for (const handler of pending.splice(0))
            handler.onError?.(Object.assign(new Error('destroyed'), {code: 'UND_ERR_DESTROYED'}))
        },
      }
    }
    const {ended, result} = await runJourney(
      {connections: '2', duration: '1s', gracefulStop: '1s', timeout: '10s'},
      hangingClient,
    )
    expect(ended).toBe(true)
    expect(result.totals.aborted).toBe(2)
  })
})
