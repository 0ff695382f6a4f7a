/**
 * The built binary, spawned as users run it, for what only a real process shows and what takes
 * real time: signals (Ctrl-C keeps the partial result), kill -9 of the monitor, worker threads,
 * and the demo end to end. Help and one call of every command: test/cli/commands.test.ts.
 */
import {existsSync, mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import type {CapacityPlanDocument} from '../../src/contracts/results/plan-document.js'
import type {RunResult} from '../../src/contracts/results/run-result.js'
import {MetricsStore} from '../../src/adapters/store/metrics-store.js'
import {runCli, startCli, waitUntil} from '../helpers/cli.js'
import {startServer, type LocalServer} from '../helpers/local-server.js'

let server: LocalServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const tmp = () => mkdtempSync(join(tmpdir(), 'loadplan-smoke-'))

/** Periods with a cpu.busy row in a monitor database that another process is writing. */
function storedPeriods(db: string): number {
  if (!existsSync(db)) return 0
  const store = new MetricsStore(db)
  try {
    return store.read({metricPrefix: 'cpu.busy'}).length
  } catch {
    return 0
  } finally {
    store.close()
  }
}

describe('loadplan run', () => {
  it('splits the load over --workers 2 and merges the totals exactly', async () => {
    server = await startServer()
    const {code, stdout} = await runCli(['run', `${server.url}/`, '-a', '1000', '-c', '4', '-w', '2', '--json'])
    expect(code).toBe(0)
    const result = JSON.parse(stdout) as RunResult
    expect(server.count).toBe(1000)
    expect(result.totals.completed).toBe(1000)
    expect(result.latency.corrected.count).toBe(1000)
    expect(result.options.workers).toBe(2)
  })

  // Every terminating signal a terminal or supervisor sends keeps the partial result (issue 35: SIGHUP lost it).
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    it(`on ${signal} stops, writes the partial result to every output path and exits 130`, async () => {
      server = await startServer((_q, s) => setTimeout(() => s.end('ok'), 5))
      const folder = tmp()
      const [out, junit, markdown] = ['partial.json', 'partial.xml', 'partial.md'].map((name) => join(folder, name))
      const {child, done} = startCli([
        'run',
        `${server.url}/`,
        '-d',
        '60s',
        '-c',
        '4',
        '--out',
        out as string,
        '--junit',
        junit as string,
        '--markdown',
        markdown as string,
      ])
      // When it is interrupted once load is flowing (not after a fixed time).
      await waitUntil(() => (server as LocalServer).count >= 100, 60_000, '100 requests at the server')
      child.kill(signal)
      const {code, stdout} = await done
      expect(code).toBe(130)
      expect(stdout).toContain('interrupted: partial result')
      // Every output path gets the partial result, not only --out.
      expect(readFileSync(junit as string, 'utf8')).toMatch(/^<\?xml[\s\S]*<\/testsuites>\s*$/)
      expect(readFileSync(markdown as string, 'utf8')).toContain('interrupted')
      const result = JSON.parse(readFileSync(out as string, 'utf8')) as RunResult
      expect(result.stopReason).toBe('interrupted')
      expect(result.totals.completed).toBeGreaterThan(50)
      expect(result.durationMs).toBeLessThan(10_000)
    })

  it('a second SIGINT cuts off hung in-flight requests at once and still writes the result', async () => {
    // Answers the first 100 requests, then hangs: the graceful stop (60 s) would wait for the rest.
    server = await startServer((_q, s, index) => {
      if (index < 100) s.end('ok')
    })
    const out = join(tmp(), 'cut-off.json')
    const {child, done, output} = startCli([
      'run',
      `${server.url}/`,
      '-d',
      '120s',
      '-c',
      '4',
      '--graceful-stop',
      '60s',
      '-t',
      '120s',
      '--out',
      out,
    ])
    await waitUntil(() => (server as LocalServer).count >= 104, 60_000, 'the server to hang on all 4 connections')
    child.kill('SIGINT')
    await waitUntil(() => output().stderr.includes('Stopping'), 30_000, 'the first stop message')
    const cutOffAtMs = performance.now()
    child.kill('SIGINT')
    const {code, stdout, stderr} = await done
    expect(performance.now() - cutOffAtMs).toBeLessThan(30_000) // not the 60 s graceful stop
    expect(code, stderr).toBe(130)
    expect(stderr).toContain('Cutting off in-flight requests')
    expect(stdout).toContain('interrupted: partial result')
    const result = JSON.parse(readFileSync(out, 'utf8')) as RunResult
    expect(result.totals.completed).toBe(100)
    expect(result.totals.aborted).toBe(4)
  })

  it('runs the bundled example plan against the embedded demo server', async () => {
    const {code, stdout} = await runCli(['run', '--demo', '--stage', '2s:100', '--json', '--quiet'])
    expect(code).toBe(0)
    const result = JSON.parse(stdout) as RunResult
    expect(result.service).toBe('checkout-api')
    // By hand: a ramp 0 → 100/s over 2 s is 100 arrivals.
    expect(result.totals.sent + result.totals.dropped).toBe(100)
    expect(result.thresholds.map((t) => t.expression)).toEqual(['p99 < 250ms', 'errors < 1%'])
  })
})

describe('loadplan capacity', () => {
  it('on SIGINT reports what it found so far and exits 130', async () => {
    server = await startServer()
    const {child, done, output} = startCli([
      'capacity',
      `${server.url}/`,
      '--start-rate',
      '50',
      '--step-duration',
      '1s',
      '--warmup',
      '0s',
    ])
    // When it is interrupted once its first step has finished (not after a fixed time).
    await waitUntil(() => /step 1 \(ramp\)/.test(output().stderr), 60_000, 'the first step')
    child.kill('SIGINT')
    const {code, stdout} = await done
    expect(code).toBe(130)
    expect(stdout).toMatch(/sustainable {2}\d+\/s/)
    expect(stdout).toContain('interrupted: the result above is what was found so far')
  })
})

describe('loadplan monitor', () => {
  it('refuses a second monitor on the same database while the first runs, and allows one after it stopped', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'loadplan-monitor-')), 'host.db')
    const first = startCli(['monitor', '--db', db, '--interval', '50ms', '--rollup', '250ms'])
    await waitUntil(() => first.output().stderr.includes('monitoring'), 60_000, 'the first monitor to start')
    const second = await runCli(['monitor', '--db', db, '--for', '1s'])
    expect(second.code).toBe(2)
    expect(second.stderr).toContain(`another loadplan monitor (pid ${first.child.pid}`)
    first.child.kill('SIGINT')
    expect((await first.done).code).toBe(0)
    const third = await runCli(['monitor', '--db', db, '--interval', '50ms', '--for', '200ms'])
    expect(third.code, third.stderr).toBe(0)
  })

  it('survives kill -9: earlier periods are intact, and a restart appends', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'loadplan-monitor-')), 'host.db')
    // Given a monitor sampling every 50 ms into 250 ms periods.
    const first = startCli(['monitor', '--db', db, '--interval', '50ms', '--rollup', '250ms', '--quiet'])
    // When it is killed without warning (possibly mid-transaction) once four periods are stored.
    await waitUntil(() => storedPeriods(db) >= 4, 60_000, 'four stored periods')
    first.child.kill('SIGKILL')
    await first.done

    // Then the database opens cleanly and holds every completed period.
    const store = new MetricsStore(db)
    expect(store.integrityCheck()).toBe('ok')
    const before = store.read({metricPrefix: 'cpu.busy'})
    expect(before.length).toBeGreaterThanOrEqual(4)
    for (const row of before.slice(1)) expect(row.samples).toBeGreaterThanOrEqual(3) // 250 ms / 50 ms = 5, minus timer jitter
    const periods = before.map((r) => r.periodStartMs)
    expect(new Set(periods).size).toBe(periods.length)
    for (let i = 1; i < periods.length; i++) expect((periods[i] as number) - (periods[i - 1] as number)).toBe(250)
    store.close()

    // And a restart appends to the same history.
    const second = await runCli(['monitor', '--db', db, '--interval', '50ms', '--rollup', '250ms', '--for', '1s'])
    expect(second.code).toBe(0)
    expect(second.stderr).toMatch(/appending to \d+ stored periods/)
    const after = new MetricsStore(db)
    const rows = after.read({metricPrefix: 'cpu.busy'})
    expect(rows.length).toBeGreaterThan(before.length)
    expect(rows.slice(0, before.length)).toEqual(before)
    after.close()
  })
})

describe('loadplan demo', () => {
  it('measures, forecasts and plans in under a minute', async () => {
    const started = Date.now()
    const {code, stdout, stderr} = await runCli(['demo', '--format', 'json'])
    expect(code, stderr).toBe(0)
    expect(Date.now() - started).toBeLessThan(60_000)
    expect(stderr).toMatch(/1\/3 capacity[\s\S]*sustainable: \d+\/s per instance[\s\S]*2\/3 forecast[\s\S]*3\/3 plan/)
    const doc = JSON.parse(stdout) as CapacityPlanDocument
    expect(doc.plan.months).toHaveLength(12)
    for (const month of doc.plan.months) {
      expect(month.instances).toBeGreaterThanOrEqual(2) // n+1
      expect(month.peakHi95).toBeGreaterThanOrEqual(month.peakRps)
      expect(month.totalUsd).toBeCloseTo(month.computeUsd + month.storageUsd + month.egressUsd, 6)
    }
    expect(doc.plan.totals.totalUsd).toBeGreaterThan(0)
    expect(doc.assumptions.join(' ')).toContain('loadplan capacity')
    // The what-if's fixed fleet is the plan's month 1, hour by hour (it said 3 against the table's 5).
    const fixed = doc.autoscaling?.outcomes.find((o) => o.policy === 'fixed')
    expect(fixed?.replicas.every((n) => n === doc.plan.months[0]?.instances)).toBe(true)
  }, 90_000)

  it('finds a real knee, says what it assumes one line each, and fits 100 columns (issue 28)', async () => {
    const {code, stdout, stderr} = await runCli(['demo'], {COLUMNS: '100'})
    expect(code, stderr).toBe(0)
    const lines = `${stderr}${stdout}`.split('\n')
    const wide = lines.filter((line) => line.length > 100)
    expect(wide, 'lines over 100 columns').toEqual([])
    // The search breaks the SLO somewhere below its maximum: the knee, not its own cap.
    expect(stderr).toMatch(/\(ramp\) \d+\/s → .*breaks SLO/)
    expect(stderr).not.toMatch(/lower bound/)
    const sustainable = Number(/sustainable: (\d+)\/s per instance/.exec(stderr)?.[1])
    expect(sustainable).toBeGreaterThan(0)
    expect(sustainable).toBeLessThan(12_800)
    // Each assumption on one line of its own, the egress one measured.
    const assumed = stderr.split('\n').filter((line) => /^ {2}- (instance|traffic|egress|storage|fleet): /.test(line))
    expect(assumed).toHaveLength(5)
    expect(stderr).toMatch(/egress: \d+\.\d kB per response, as measured by the search/)
    expect(stdout).toMatch(/^month +peak\/s +sized\/s +instances/m)
  }, 90_000)
})
