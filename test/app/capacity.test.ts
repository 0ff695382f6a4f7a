/** `loadplan capacity`, `run --compare` and `report` in-process, against real servers on 127.0.0.1. */
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import type {CapacityResult} from '../../src/contracts/results/capacity-result.js'
import {stringifyResult} from '../../src/contracts/results/run-result.js'
import {runInProcess} from '../helpers/in-process.js'
import {capacityResultFixture, runResultFixture} from '../helpers/fixtures.js'
import {startServer, type LocalServer} from '../helpers/local-server.js'

let server: LocalServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const tmp = () => mkdtempSync(join(tmpdir(), 'loadplan-cap-'))

/**
 * Serves at most `slots` requests at a time, each taking `workMs`: capacity slots / workMs. On a
 * busy machine timers fire late and a slot is held longer, so the server also counts what its
 * slots really took: `impliedRatePerSec()` is the capacity its own timings imply.
 */
async function slotServer(slots: number, workMs: number): Promise<LocalServer & {impliedRatePerSec(): number}> {
  let active = 0
  let served = 0
  let busyMs = 0
  const waiting: Array<() => void> = []
  const serve = (respond: () => void) => {
    active++
    const startMs = performance.now()
    setTimeout(() => {
      respond()
      served++
      busyMs += performance.now() - startMs
      active--
      waiting.shift()?.()
    }, workMs)
  }
  const local = await startServer((_q, response) => {
    const respond = () => response.end('ok')
    if (active < slots) serve(respond)
    else waiting.push(() => serve(respond))
  })
  return Object.assign(local, {impliedRatePerSec: () => (slots * served * 1000) / busyMs})
}

describe('loadplan capacity', () => {
  it('finds about 400/s on a server that does 4 × 10 ms at a time', async () => {
    // By hand: 4 slots / 10 ms = 400 requests/s at most (a little less: timers fire late).
    const slots = await slotServer(4, 10)
    server = slots
    const dir = tmp()
    const {code, stdout, stderr} = await runInProcess([
      'capacity',
      `${server.url}/`,
      '--slo',
      'p99<100ms',
      '--start-rate',
      '300',
      '--growth-factor',
      '1.5',
      '--precision',
      '10%',
      '--step-duration',
      '1s',
      '--warmup',
      '300ms',
      '--json',
      '--junit',
      join(dir, 'cap.xml'),
      '--markdown',
      join(dir, 'cap.md'),
      '--instance-type',
      'test.large',
    ])
    expect(code, stderr).toBe(0)
    const result = JSON.parse(stdout) as CapacityResult
    expect(result.schema).toBe('loadplan/capacity-result')
    // Within 15 % of what the server's own timings allow (400/s on a quiet machine; less when the
    // machine is busy and its timers fire late), and never above the nominal 400/s by more. When
    // loadplan itself did not get the CPU to send on time (stress-ng on both cores), the steps say
    // so and the figure is only bounded above.
    const impliedRatePerSec = Math.min(400, slots.impliedRatePerSec())
    if (result.steps.every((s) => !s.unreliable))
      expect(result.sustainableRatePerSec).toBeGreaterThanOrEqual(0.85 * impliedRatePerSec)
    else expect(stderr).toMatch(/\(unreliable: /)
    expect(result.sustainableRatePerSec).toBeLessThanOrEqual(460)
    expect(result.breakingRatePerSec).toBeGreaterThan(result.sustainableRatePerSec as number)
    // The latency-vs-load curve: every step with its rate, latency and verdict.
    expect(result.steps.length).toBeGreaterThanOrEqual(5)
    expect(result.steps.map((s) => s.phase)).toContain('bisect')
    expect(result.steps.at(-1)?.phase).toBe('confirm')
    for (const step of result.steps)
      expect(step).toMatchObject({
        offeredRatePerSec: expect.any(Number),
        p99Ms: expect.any(Number),
        passed: expect.any(Boolean),
        generator: {cpuPct: expect.any(Number), eventLoopLagP99Ms: expect.any(Number)},
      })
    expect(result.host).toMatchObject({
      instanceType: 'test.large',
      vCpus: expect.any(Number),
      memoryGiB: expect.any(Number),
    })
    expect(stderr).toContain('warning: --instance-type test.large is not in the catalog')
    expect(stderr).toMatch(
      /^capacity search of http:\/\/127\.0\.0\.1:\d+: SLO p99<100ms; from 300\/s ×1.5 up to at most 10000\/s/,
    )
    expect(readFileSync(join(dir, 'cap.xml'), 'utf8')).toContain('<testcase name="a sustainable rate meets the SLO"')
    expect(readFileSync(join(dir, 'cap.md'), 'utf8')).toMatch(/### loadplan capacity: .* ✅ \d+\/s sustainable/)
  })

  it('fits the USL over a concurrency sweep', async () => {
    server = await slotServer(4, 10)
    // A type of the other architecture than this machine's, for a target on this machine (issue 18).
    const otherArch = process.arch === 'arm64' ? 'm7i.large' : 'c7g.large'
    const {code, stdout, stderr} = await runInProcess([
      'capacity',
      `${server.url}/`,
      '--start-rate',
      '50',
      '--max-rate',
      '50',
      '--no-confirm',
      '--step-duration',
      '500ms',
      '--warmup',
      '200ms',
      '--concurrency',
      '1,2,4,8',
      '--json',
      '--quiet',
      '--instance-type',
      otherArch,
    ])
    expect(code).toBe(0)
    expect(stderr).toMatch(
      new RegExp(
        `warning: the target is on this machine, yet ${otherArch.replace('.', '\\.')} is (arm64|x86_64) but this host is`,
      ),
    )
    const result = JSON.parse(stdout) as CapacityResult
    expect(result.usl?.sweep.map((p) => p.concurrency)).toEqual([1, 2, 4, 8])
    // By hand: 1 slot busy → ~100/s; 4 and 8 both hit the 4-slot ceiling of ~400/s.
    const [c1, , c4, c8] = result.usl?.sweep.map((p) => p.throughput) ?? []
    expect(c1).toBeGreaterThan(70)
    expect(c1).toBeLessThan(101)
    // Neither passes the 4-slot ceiling (what a busy machine can lower, but never raise).
    expect(c4).toBeLessThanOrEqual(410)
    expect(c8).toBeLessThanOrEqual(410)
    // The 4-slot ceiling shows as a throughput peak somewhere past 4 concurrent requests, at the
    // ceiling the sweep measured (near 400/s on a quiet machine; 325/s with stress-ng on both cores,
    // where the server's timers fire late: the fit must follow what was measured).
    const fit = result.usl?.fit
    expect(fit?.rSquared).toBeGreaterThan(0.9)
    expect(fit?.peakConcurrency).toBeGreaterThan(4)
    expect(fit?.peakConcurrency).toBeLessThan(12)
    const measuredCeiling = Math.max(c4 as number, c8 as number)
    expect(Math.abs((fit?.peakThroughput as number) / measuredCeiling - 1)).toBeLessThan(0.15)
  })

  it('ends a step early when errors pass the limit, and exits 3 when nothing meets the SLO', async () => {
    server = await startServer((_q, s) => {
      s.statusCode = 500
      s.end()
    })
    const {code, stdout, stderr} = await runInProcess([
      'capacity',
      `${server.url}/`,
      '--start-rate',
      '200',
      '--growth-factor',
      '10',
      '--step-duration',
      '2s',
      '--warmup',
      '0s',
      '--json',
    ])
    expect(code).toBe(3)
    const result = JSON.parse(stdout) as CapacityResult
    expect(result.sustainableRatePerSec).toBeNull()
    expect(result.stopReason).toBe('nothing-sustainable')
    const first = result.steps[0]
    expect(first?.failures).toContain('error ratio passed 20%: step ended early')
    expect(first?.durationMs).toBeLessThan(1000)
    expect(stderr).toContain('no rate met the SLO')
  })

  it('reports every bad setting at once and exits 2', async () => {
    const {code, stderr} = await runInProcess([
      'capacity',
      'http://127.0.0.1:1/',
      '--concurrency',
      '1,2',
      '--growth-factor',
      '0.5',
      '--slo',
      'rps>1',
      '--max-duration',
      '1s',
    ])
    expect(code).toBe(2)
    for (const field of ['--concurrency', '--growth-factor', '--max-duration']) expect(stderr).toContain(field)
    expect(stderr).not.toMatch(/\n\s+at /)
  })
})

describe('loadplan run --compare', () => {
  it('exits 3 and prints the side-by-side table when p99 regressed', async () => {
    const dir = tmp()
    const baseline = join(dir, 'baseline.json')
    writeFileSync(baseline, stringifyResult(runResultFixture([], 0.05))) // p99 ≈ 5 ms
    server = await startServer((_q, s) => setTimeout(() => s.end('ok'), 20))
    const {code, stdout, stderr} = await runInProcess([
      'run',
      `${server.url}/`,
      '-a',
      '100',
      '-c',
      '2',
      '--compare',
      baseline,
    ])
    expect(code).toBe(3)
    expect(stdout).toMatch(/p99\s+4\.95 ms\s+\d+(\.\d+)? ms\s+\+\d+\.\d%\s+REGRESSION/)
    expect(stderr).toMatch(/regression: p99 worse than the baseline by more than 10%/)
  })

  it('rejects a baseline that is not a run result', async () => {
    const dir = tmp()
    writeFileSync(join(dir, 'x.json'), '{"hello": 1}')
    const {code, stderr} = await runInProcess([
      'run',
      'http://127.0.0.1:1/',
      '--compare',
      join(dir, 'x.json'),
      '--regression',
      'lots',
    ])
    expect(code).toBe(2)
    expect(stderr).toContain('--compare: not a loadplan result')
    expect(stderr).toContain('--regression: expected a percentage')
  })
})

describe('loadplan report', () => {
  it('re-renders saved results in every format', async () => {
    const dir = tmp()
    writeFileSync(join(dir, 'run.json'), stringifyResult(runResultFixture(['p99<50ms'])))
    writeFileSync(join(dir, 'cap.json'), stringifyResult(capacityResultFixture()))
    expect((await runInProcess(['report', join(dir, 'run.json')])).stdout).toMatch(/latency\s+│\s+p50/)
    expect((await runInProcess(['report', join(dir, 'run.json'), '--format', 'md'])).stdout).toContain(
      '### loadplan run',
    )
    expect((await runInProcess(['report', join(dir, 'run.json'), '-f', 'junit'])).stdout).toContain(
      '<failure message="p99 was 99.0 ms, limit &lt; 50.0 ms"',
    )
    expect(JSON.parse((await runInProcess(['report', join(dir, 'cap.json'), '-f', 'json'])).stdout)).toMatchObject({
      sustainableRatePerSec: 388,
    })
    expect((await runInProcess(['report', join(dir, 'cap.json')])).stdout).toContain('sustainable  388/s')
  })

  it('says what is wrong with the file or the format', async () => {
    const {code, stderr} = await runInProcess(['report', '/nonexistent.json', '--format', 'pdf'])
    expect(code).toBe(2)
    expect(stderr).toContain('file: cannot read it (ENOENT)')
    expect(stderr).toContain('--format: expected table, markdown (md), junit or json (got "pdf")')
  })
})
