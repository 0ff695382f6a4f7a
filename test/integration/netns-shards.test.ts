/**
 * A split run across hosts, on this machine: the target in one network namespace behind a bridge,
 * three shards in three others, each joined to it by a veth pair (Debian's iproute2; needs root,
 * which CI has). The shards start with one --start-at. The target counts what it receives per
 * source address: each shard's count is its segment's exact share with the {{seq}} values of that
 * share, the total is the one-process plan, and `loadplan merge` adds their results exactly.
 */
import {execFileSync, spawn, type ChildProcess} from 'node:child_process'
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {shareOf} from '../../src/core/engine/work-slice.js'
import type {RunResult} from '../../src/contracts/results/run-result.js'
import {decodeHistogram, percentileMs} from '../../src/contracts/stats/histogram.js'
import {BIN, runCli, waitUntil} from '../helpers/cli.js'

const canUseNetns = (() => {
  if (process.getuid?.() !== 0) return false
  try {
    execFileSync('ip', ['netns', 'list'], {stdio: 'ignore'})
    return true
  } catch {
    return false
  }
})()

const SHARDS = 3
const AMOUNT = 1200
const RATE = '400/s'
const TAG = `lp${process.pid % 100_000}`
const TARGET_NS = `${TAG}-target`
const shardNs = (i: number) => `${TAG}-s${i}`
const shardAddress = (i: number) => `10.77.0.${10 + i}`
const TARGET = 'http://10.77.0.1:8080'
const SERVER = join(import.meta.dirname, '..', 'fixtures', 'services', 'count-by-source.cjs')

const ip = (...args: string[]) => execFileSync('ip', args, {stdio: ['ignore', 'ignore', 'pipe']})
const inNs = (ns: string, ...args: string[]) => ip('netns', 'exec', ns, ...args)

interface SourceStats {
  count: number
  seqs: number[]
  firstMs: number
}

let server: ChildProcess | undefined
let serverOutput = ''

function createNetwork(): void {
  ip('netns', 'add', TARGET_NS)
  inNs(TARGET_NS, 'ip', 'link', 'set', 'lo', 'up')
  inNs(TARGET_NS, 'ip', 'link', 'add', 'br0', 'type', 'bridge')
  inNs(TARGET_NS, 'ip', 'addr', 'add', '10.77.0.1/24', 'dev', 'br0')
  inNs(TARGET_NS, 'ip', 'link', 'set', 'br0', 'up')
  for (let i = 0; i < SHARDS; i++) {
    const ns = shardNs(i)
    ip('netns', 'add', ns)
    inNs(ns, 'ip', 'link', 'set', 'lo', 'up')
    // One veth pair per shard, made directly inside the two namespaces (no name in the host's).
    ip('link', 'add', `v${i}`, 'netns', ns, 'type', 'veth', 'peer', 'name', `t${i}`, 'netns', TARGET_NS)
    inNs(ns, 'ip', 'addr', 'add', `${shardAddress(i)}/24`, 'dev', `v${i}`)
    inNs(ns, 'ip', 'link', 'set', `v${i}`, 'up')
    inNs(TARGET_NS, 'ip', 'link', 'set', `t${i}`, 'master', 'br0')
    inNs(TARGET_NS, 'ip', 'link', 'set', `t${i}`, 'up')
  }
}

function removeNetwork(): void {
  for (const ns of [TARGET_NS, ...Array.from({length: SHARDS}, (_, i) => shardNs(i))]) {
    try {
      ip('netns', 'del', ns)
    } catch {
      // Not created.
    }
  }
}

async function serverStats(): Promise<Record<string, SourceStats>> {
  const before = serverOutput.length
  server?.stdin?.write('stats\n')
  await waitUntil(() => serverOutput.slice(before).includes('\n'), 10_000, 'the target to print its counts')
  return JSON.parse(serverOutput.slice(before).split('\n')[0] as string) as Record<string, SourceStats>
}

beforeAll(async () => {
  if (!canUseNetns) return
  removeNetwork()
  createNetwork()
  server = spawn('ip', ['netns', 'exec', TARGET_NS, process.execPath, SERVER], {stdio: ['pipe', 'pipe', 'inherit']})
  server.stdout?.on('data', (chunk: Buffer) => (serverOutput += chunk.toString()))
  await waitUntil(() => serverOutput.includes('ready\n'), 20_000, 'the target in its namespace')
  serverOutput = ''
}, 60_000)

afterAll(() => {
  if (server?.pid) process.kill(server.pid, 'SIGTERM')
  if (canUseNetns) removeNetwork()
})

describe.skipIf(!canUseNetns)('a run split over three hosts (network namespaces)', () => {
  it('each shard sends its exact share from its own address, starting together; the merge is exact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadplan-netns-'))
    // Far enough ahead for three Node.js processes to start on a busy machine.
    const startAt = new Date(Date.now() + 8_000).toISOString()
    const outcomes = await Promise.all(
      Array.from(
        {length: SHARDS},
        (_, i) =>
          new Promise<{code: number | null; stderr: string}>((resolve) => {
            const child = spawn(
              'ip',
              [
                'netns',
                'exec',
                shardNs(i),
                process.execPath,
                BIN,
                'run',
                `${TARGET}/item/{{seq}}`,
                '-R',
                RATE,
                '-a',
                String(AMOUNT),
                '--segment',
                `${i}/${SHARDS}`,
                '--start-at',
                startAt,
                '--quiet',
                '--out',
                join(dir, `shard-${i}.json`),
              ],
              {
                env: {...process.env, CI: 'true', NO_COLOR: '1'},
                stdio: ['ignore', 'ignore', 'pipe'],
              },
            )
            let stderr = ''
            child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
            child.on('close', (code) => resolve({code, stderr}))
          }),
      ),
    )
    for (const outcome of outcomes) expect(outcome.code, outcome.stderr).toBe(0)

    const stats = await serverStats()
    const sources = Object.keys(stats).sort()
    expect(sources).toEqual(Array.from({length: SHARDS}, (_, i) => shardAddress(i)))
    let total = 0
    for (let i = 0; i < SHARDS; i++) {
      const seen = stats[shardAddress(i)] as SourceStats
      // Shard i's exact share: the requests k of the plan with k mod 3 = i, each once.
      expect(seen.count).toBe(shareOf(AMOUNT, SHARDS, i))
      expect([...seen.seqs].sort((a, b) => a - b)).toEqual(
        Array.from({length: shareOf(AMOUNT, SHARDS, i)}, (_, k) => k * SHARDS + i),
      )
      total += seen.count
    }
    expect(total).toBe(AMOUNT)
    // One start for all: the first requests of the three shards (due 2.5 ms apart) reached the
    // target within a fraction of a second of each other, by the target's one clock.
    const firsts = sources.map((s) => (stats[s] as SourceStats).firstMs)
    expect(Math.max(...firsts) - Math.min(...firsts)).toBeLessThan(500)

    const shards = Array.from(
      {length: SHARDS},
      (_, i) => JSON.parse(readFileSync(join(dir, `shard-${i}.json`), 'utf8')) as RunResult,
    )
    for (const shard of shards) expect(shard.startedAt).toBe(startAt)
    const merged = await runCli(['merge', ...shards.map((_, i) => join(dir, `shard-${i}.json`)), '--json'])
    expect(merged.code, merged.stderr).toBe(0)
    const result = JSON.parse(merged.stdout) as RunResult
    expect(result.totals.completed).toBe(AMOUNT)
    expect(result.merged).toMatchObject({count: SHARDS, segments: [0, 1, 2], missing: [], startSpreadMs: 0})
    // The shards share this machine's clock: the skew measured through the target's Date headers is zero within its bounds.
    expect(result.merged?.clockSkewMs).toBeLessThanOrEqual(result.merged?.clockSkewUncertaintyMs as number)
    // The merged percentiles are those of all the samples together (the shards' histograms added here independently).
    const union = decodeHistogram(shards[0]?.histograms.corrected as string)
    for (const shard of shards.slice(1)) union.add(decodeHistogram(shard.histograms.corrected))
    expect(union.totalCount).toBe(AMOUNT)
    for (const p of [50, 90, 99, 99.9])
      expect(result.latency.corrected.percentilesMs[String(p)]).toBe(percentileMs(union, p))
  }, 90_000)
})
