/** `loadplan run --segment` and `loadplan merge` in-process against a real server on 127.0.0.1. */
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runInProcess} from '../helpers/in-process.js'
import {startServer, type LocalServer} from '../helpers/local-server.js'
import type {RunResult} from '../../src/contracts/results/run-result.js'

let server: LocalServer
const dir = mkdtempSync(join(tmpdir(), 'loadplan-merge-'))
const shardFile = (i: number) => join(dir, `shard-${i}.json`)

beforeAll(async () => {
  server = await startServer()
  // Two shards of 301 requests over 3 connections, with a threshold each shard passes.
  for (const i of [0, 1]) {
    const {code, stderr} = await runInProcess([
      'run',
      `${server.url}/`,
      '-a',
      '301',
      '-c',
      '3',
      '--segment',
      `${i}/2`,
      '--threshold',
      'errors<1%',
      '--out',
      shardFile(i),
    ])
    expect(code, stderr).toBe(0)
  }
})
afterAll(async () => {
  await server.close()
})

const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as RunResult

describe('loadplan merge', () => {
  it('adds the shards: 151 + 150 requests, every count and histogram; thresholds judged again', async () => {
    const shards = [read(shardFile(0)), read(shardFile(1))]
    expect(shards.map((s) => s.totals.completed)).toEqual([151, 150])
    const out = join(dir, 'merged.json')
    const {code, stdout} = await runInProcess(['merge', shardFile(1), shardFile(0), '--out', out])
    expect(code).toBe(0)
    expect(stdout).toMatch(/merged 2 of 2 shards of plan [0-9a-f]{16}/)
    const merged = read(out)
    expect(merged.totals.completed).toBe(301)
    expect(merged.statusCodes).toEqual({200: 301})
    expect(merged.latency.corrected.count).toBe(301)
    expect(merged.thresholds.map((t) => [t.expression, t.passed])).toEqual([['errors<1%', true]])
    expect(merged.merged).toMatchObject({count: 2, segments: [0, 1], missing: []})
  })

  it('exits 3 when a threshold fails on the merged result', async () => {
    const {code, stderr} = await runInProcess(['merge', shardFile(0), shardFile(1), '--threshold', 'p50<1us'])
    expect(code).toBe(3)
    expect(stderr).toMatch(/threshold failed: p50<1us/)
  })

  it('warns when a shard is missing', async () => {
    const {code, stderr} = await runInProcess(['merge', shardFile(1)])
    expect(code).toBe(0)
    expect(stderr).toMatch(/shard 0 of 2 missing/)
  })

  it('refuses overlapping shards, a damaged file and a missing file at once, with exit 2 and no stack trace', async () => {
    const damaged = join(dir, 'damaged.json')
    const result = read(shardFile(1))
    result.histograms.corrected = 'HISTFAAAAnot-a-histogram'
    writeFileSync(damaged, JSON.stringify(result))
    const {code, stderr} = await runInProcess(['merge', shardFile(0), shardFile(0), damaged, join(dir, 'absent.json')])
    expect(code).toBe(2)
    expect(stderr).toMatch(/overlaps/)
    expect(stderr).toMatch(/damaged\.json: has a histogram that does not decode/)
    expect(stderr).toMatch(/absent\.json/)
    expect(stderr).not.toMatch(/\n\s+at /)
  })

  it('refuses a shard whose counters were edited to disagree with its histograms, for every counter (issue 35)', async () => {
    const edits: Array<[string, (r: RunResult) => void, RegExp]> = [
      ['completed', (r) => (r.totals.completed += 1000), /completed is 1150 but its corrected histogram hold 150/],
      ['status', (r) => (r.statusCodes['200'] = 9), /its status codes hold 9/],
      ['second', (r) => ((r.seconds[0] as {requests: number}).requests += 1), /its seconds hold 151/],
      ['transport', (r) => (r.totals.transportErrors = 5), /transportErrors is 5 but its error classes add to 0/],
      ['httpErrors', (r) => ((r.totals.httpErrors = 151), (r.totals.errors = 151)), /httpErrors \(151\) exceeds/],
    ]
    for (const [name, edit, expected] of edits) {
      const edited = join(dir, `edited-${name}.json`)
      const result = read(shardFile(1))
      edit(result)
      writeFileSync(edited, JSON.stringify(result))
      const {code, stderr} = await runInProcess(['merge', shardFile(0), edited])
      expect(code, name).toBe(2)
      expect(stderr, name).toMatch(/contradicts itself/)
      expect(stderr, name).toMatch(expected)
    }
  })

  it('run refuses a bad --segment and a --start-at in the past, with every problem at once', async () => {
    const {code, stderr} = await runInProcess([
      'run',
      `${server.url}/`,
      '-c',
      '2',
      '--segment',
      '3/3',
      '--start-at',
      '2020-01-01T00:00:00Z',
    ])
    expect(code).toBe(2)
    expect(stderr).toMatch(/--segment: i must be below n/)
    expect(stderr).toMatch(/--start-at: is .* in the past/)
  })
})
