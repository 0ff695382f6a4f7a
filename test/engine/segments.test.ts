/**
 * Split runs on a virtual clock: n shards (`--segment i/n`), each with its own worker threads,
 * together send exactly what one process sends — every arrival at its time, every {{seq}} and data
 * row once — and `mergeRunResults` adds their results into exactly the one process's figures.
 */
import type {Dispatcher} from 'undici'
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest'
import {resolveRunOptions} from '../../src/config/run/resolve-run-options.js'
import {type RunFlags} from '../../src/config/run/run-flags.js'
import {buildRunResult} from '../../src/core/engine/build-run-result.js'
import {LoadEngine} from '../../src/core/engine/load-engine.js'
import {mergeRunResults} from '../../src/core/engine/merge-run-results.js'
import type {RunOptions} from '../../src/core/engine/run-options.js'
import type {EngineClient} from '../../src/core/engine/undici-client.js'
import {shareOf} from '../../src/core/engine/work-slice.js'
import {InputError} from '../../src/contracts/errors.js'
import type {RunResult} from '../../src/contracts/results/run-result.js'
import {
  createLatencyHistogram,
  decodeHistogram,
  encodeHistogram,
  recordLatencyMs,
  summarizeHistogram,
} from '../../src/contracts/stats/histogram.js'

const USERS = Array.from({length: 7}, (_, i) => ({user: `u${i}`}))

/** Service time of a request, from its sequence number in the path: varied, and the same in any shard. */
const serviceMsOf = (seq: number) => 1 + ((seq * 7919) % 97)

interface Sent {
  atMs: number
  path: string
}

/** Fake connections (a socket per request slot, no queueing) that record what was sent and when. */
function recorder(sent: Sent[]) {
  return (): EngineClient => ({
    dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) {
      const path = String(options.path)
      sent.push({atMs: Date.now(), path})
      handler.onConnect?.(() => {})
      setTimeout(
        () => {
          handler.onHeaders?.(200, [], () => {}, 'OK')
          handler.onComplete?.([])
        },
        serviceMsOf(Number(path.split('/')[2])),
      )
      return true
    },
    destroy: async () => {},
  })
}

function options(flags: RunFlags): RunOptions {
  return resolveRunOptions({
    url: 'http://127.0.0.1:8080/item/{{seq}}/{{data.user}}',
    flags: {...flags, dataFile: 'users.csv'},
    defaultSeed: 1,
    loadDataFile: () => ({columns: ['user'], rows: USERS}),
  })
}

/** Runs one shard (its workers on the shared virtual clock); resolves with its result. */
function runShard(flags: RunFlags, workers: number, sent: Sent[]): Promise<RunResult> {
  const shardOptions = options({...flags, workers: String(workers)})
  const engines = Array.from(
    {length: workers},
    (_, w) =>
      new LoadEngine(shardOptions, w, workers, {
        now: () => Date.now(),
        epochNow: () => Date.now(),
        createClient: recorder(sent),
      }),
  )
  return Promise.all(engines.map((engine) => engine.run())).then((results) =>
    buildRunResult({options: shardOptions, results, toolVersion: 'test'}),
  )
}

const byTimeThenPath = (a: Sent, b: Sent) => a.atMs - b.atMs || a.path.localeCompare(b.path)

beforeEach(() => {
  vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'], now: 0})
})
afterEach(() => {
  vi.useRealTimers()
})

describe('segments on a virtual clock', () => {
  const ramp: RunFlags = {stage: ['1s:300', '1s:100'], maxInFlight: '500'}
  const workersPerShard = [1, 2, 3]

  async function single(plan: RunFlags): Promise<{result: RunResult; sent: Sent[]}> {
    vi.setSystemTime(0)
    const sent: Sent[] = []
    const done = runShard(plan, 1, sent)
    await vi.advanceTimersByTimeAsync(60_000)
    return {result: await done, sent}
  }

  async function sharded(plan: RunFlags): Promise<{results: RunResult[]; sent: Sent[][]}> {
    vi.setSystemTime(0)
    const sent: Sent[][] = workersPerShard.map(() => [])
    const done = Promise.all(
      workersPerShard.map((workers, i) =>
        runShard({...plan, segment: `${i}/${workersPerShard.length}`}, workers, sent[i] as Sent[]),
      ),
    )
    await vi.advanceTimersByTimeAsync(60_000)
    return {results: await done, sent}
  }

  it('open model: the shards send every arrival of the ramp at its time, each {{seq}} and row once', async () => {
    const whole = await single(ramp)
    const {results, sent} = await sharded(ramp)
    // By hand: a ramp 0→300/s over 1 s then 300→100/s over 1 s is 150 + 200 = 350 arrivals.
    expect(whole.sent).toHaveLength(350)
    expect(sent.flat().sort(byTimeThenPath)).toEqual([...whole.sent].sort(byTimeThenPath))
    const seqs = sent.flat().map((s) => Number(s.path.split('/')[2]))
    expect(seqs.sort((a, b) => a - b)).toEqual(Array.from({length: 350}, (_, k) => k))
    // Each shard's count is its exact share: the arrivals k with k mod 3 = i.
    sent.forEach((shard, i) => expect(shard).toHaveLength(shareOf(350, 3, i)))
    // Row k mod 7 goes with sequence number k, as in one process.
    for (const s of sent.flat()) expect(s.path.split('/')[3]).toBe(`u${Number(s.path.split('/')[2]) % 7}`)
    expect(results.map((r) => r.segment?.planDigest)).toEqual(Array(3).fill(results[0]?.segment?.planDigest))
  })

  it('merge: totals, percentiles and per-second series equal one process and the union of all samples', async () => {
    // Arrivals every 5 ms, on whole milliseconds of the virtual clock, so each corrected latency is its service time.
    const steady: RunFlags = {arrivalRate: '200/s', duration: '2s', maxInFlight: '500'}
    const whole = await single(steady)
    const {results} = await sharded(steady)
    const merged = mergeRunResults({
      results: results.map((result, i) => ({name: `shard-${i}.json`, result})),
      toolVersion: 'test',
    })
    expect(merged.totals).toEqual(whole.result.totals)
    expect(merged.statusCodes).toEqual(whole.result.statusCodes)
    // The union of all samples, recorded independently of the engine: each latency is its service time.
    const union = createLatencyHistogram()
    for (let seq = 0; seq < 400; seq++) recordLatencyMs(union, serviceMsOf(seq))
    // (Through the encoding every result uses, which keeps bucket counts, not exact maxima.)
    expect(merged.latency.corrected).toEqual(summarizeHistogram(decodeHistogram(encodeHistogram(union))))
    expect(merged.latency.corrected).toEqual(whole.result.latency.corrected)
    expect(merged.seconds.map(({histogram: _, ...s}) => s)).toEqual(
      whole.result.seconds.map(({histogram: _, ...s}) => s),
    )
    expect(merged.merged).toMatchObject({count: 3, segments: [0, 1, 2], missing: [], startSpreadMs: 0})
    expect(decodeHistogram(merged.histograms.corrected).totalCount).toBe(400)
  })

  it('closed model with --amount: connections and amount split into whole shares, every {{seq}} once', async () => {
    const flags: RunFlags = {connections: '7', amount: '1000'}
    const sent: Sent[][] = [[], [], []]
    const done = Promise.all([0, 1, 2].map((i) => runShard({...flags, segment: `${i}/3`}, 1, sent[i] as Sent[])))
    await vi.advanceTimersByTimeAsync(60_000)
    const results = await done
    expect(results.map((r) => r.totals.completed)).toEqual([334, 333, 333])
    const seqs = sent.flat().map((s) => Number(s.path.split('/')[2]))
    expect(seqs.sort((a, b) => a - b)).toEqual(Array.from({length: 1000}, (_, k) => k))
    // At most 3, 2 and 2 requests in flight: each shard's share of the 7 connections.
    for (const [i, connections] of [3, 2, 2].entries()) {
      const shard = sent[i] as Sent[]
      expect(shard.filter((s) => s.atMs === 0)).toHaveLength(connections)
    }
  })

  it('--start-at: every thread starts the schedule at that wall-clock moment', async () => {
    const sent: Sent[] = []
    const done = runShard({arrivalRate: '100/s', duration: '100ms', segment: '1/2', startAt: '@5'}, 2, sent)
    await vi.advanceTimersByTimeAsync(60_000)
    const result = await done
    // By hand: arrivals at 5000, 5010, …, 5090 ms; shard 1 of 2 takes 5010, 5030, …, 5090.
    expect(sent.map((s) => s.atMs).sort((a, b) => a - b)).toEqual([5010, 5030, 5050, 5070, 5090])
    expect(result.startedAt).toBe(new Date(5000).toISOString())
    expect(result.segment).toMatchObject({index: 1, count: 2, startAt: new Date(5000).toISOString(), startLagMs: 0})
  })
})

describe('--start-at already past (a shard that started late)', () => {
  it('sends the arrivals it missed at once and still ends at the shared origin + duration', async () => {
    vi.setSystemTime(10_000)
    const sent: Sent[] = []
    const done = runShard({arrivalRate: '100/s', duration: '3s', startAt: '@8'}, 1, sent)
    await vi.advanceTimersByTimeAsync(60_000)
    const result = await done
    // By hand: arrivals every 10 ms from 8,000 ms; those due before 10,000 (200) go at once.
    expect(sent).toHaveLength(300)
    expect(sent.filter((s) => s.atMs === 10_000)).toHaveLength(201)
    expect(Math.max(...sent.map((s) => s.atMs))).toBe(10_990)
    expect(result.segment).toBeUndefined()
    expect(result.startedAt).toBe(new Date(8000).toISOString())
    expect(result.durationMs).toBeLessThan(3200) // ended by 11,000 ms plus the last response, not 13,000
  })
})

describe("the target's clock, from Date headers", () => {
  it('bounds a server clock 3.7 s ahead to within its uncertainty, and the merge reports two shards’ skew', async () => {
    // Two shards whose clocks differ by 250 ms, against one server 3,700 ms ahead of the first.
    const run = (segment: string, ourSkewMs: number) => {
      const shardOptions = options({arrivalRate: '100/s', duration: '8s', segment})
      const createClient = (): EngineClient => ({
        dispatch(_options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) {
          handler.onConnect?.(() => {})
          setTimeout(() => {
            // The server stamps its answer 2 ms after receiving it; the answer takes 3 ms more.
            const serverMs = Date.now() + 3700
            handler.onHeaders?.(
              200,
              [Buffer.from('Date'), Buffer.from(new Date(serverMs).toUTCString())] as unknown as Buffer[],
              () => {},
              'OK',
            )
            handler.onComplete?.([])
          }, 5)
          return true
        },
        destroy: async () => {},
      })
      return new LoadEngine(shardOptions, 0, 1, {
        now: () => Date.now(),
        epochNow: () => Date.now() + ourSkewMs,
        createClient,
      })
        .run()
        .then((result) => buildRunResult({options: shardOptions, results: [result], toolVersion: 'test'}))
    }
    const done = Promise.all([run('0/2', 0), run('1/2', 250)])
    await vi.advanceTimersByTimeAsync(60_000)
    const [a, b] = (await done) as [RunResult, RunResult]
    // 400 responses per shard: the first and every 32nd after it are sampled (1, 33, …, 385).
    expect(a.clock?.samples).toBe(13)
    for (const [result, trueOffsetMs] of [
      [a, 3700],
      [b, 3450],
    ] as const) {
      const clock = result.clock as NonNullable<RunResult['clock']>
      expect(Math.abs(clock.targetOffsetMs - trueOffsetMs)).toBeLessThanOrEqual(clock.uncertaintyMs)
      expect(clock.uncertaintyMs).toBeLessThan(150)
    }
    const merged = mergeRunResults({
      results: [
        {name: 'a', result: a},
        {name: 'b', result: b},
      ],
      toolVersion: 'test',
    })
    const skew = merged.merged as NonNullable<RunResult['merged']>
    expect(Math.abs((skew.clockSkewMs as number) - 250)).toBeLessThanOrEqual(skew.clockSkewUncertaintyMs as number)
  })
})

describe('merge refuses what would not add up', () => {
  const shard = (segment: string, flags: RunFlags = {arrivalRate: '100/s', duration: '100ms'}): RunResult =>
    buildRunResult({options: options({...flags, segment}), results: [], toolVersion: 'test'})

  function problemsOf(results: RunResult[]): string[] {
    try {
      mergeRunResults({results: results.map((result, i) => ({name: `r${i}.json`, result})), toolVersion: 'test'})
    } catch (error) {
      if (error instanceof InputError) return error.problems.map((p) => `${p.field}: ${p.message}`)
      throw error
    }
    return []
  }

  it('different plans, overlapping shards, shard counts and whole runs, all reported at once', () => {
    const whole = buildRunResult({
      options: options({arrivalRate: '100/s', duration: '100ms'}),
      results: [],
      toolVersion: 'test',
    })
    const problems = problemsOf([
      shard('0/3'),
      shard('1/3', {arrivalRate: '200/s', duration: '100ms'}),
      shard('0/3'),
      shard('2/4'),
      whole,
    ])
    expect(problems).toHaveLength(4)
    expect(problems[0]).toMatch(/^r1\.json: is a shard of a different plan/)
    expect(problems[1]).toMatch(/^r2\.json: overlaps r0\.json/)
    expect(problems[2]).toMatch(/^r3\.json: is shard 2\/4, not of 3 shards/)
    expect(problems[3]).toMatch(/^r4\.json: is not a shard/)
  })

  it('merges the shards present and lists the missing ones', () => {
    const merged = mergeRunResults({
      results: [
        {name: 'a', result: shard('2/3')},
        {name: 'b', result: shard('0/3')},
      ],
      thresholds: ['p99<1s'],
      toolVersion: 'test',
    })
    expect(merged.merged).toMatchObject({segments: [0, 2], missing: [1]})
    expect(merged.thresholds.map((t) => t.expression)).toEqual(['p99<1s'])
  })
})
