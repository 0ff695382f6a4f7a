/** `loadplan monitor` as a user runs it, including a kill -9 in the middle of writing. */
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {MetricsStore} from '../../src/store/metrics-store.js'
import {runCli, startCli} from '../helpers/cli.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('loadplan monitor', () => {
  it('survives kill -9: earlier periods are intact, and a restart appends', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'loadplan-monitor-')), 'host.db')
    // Given a monitor sampling every 50 ms into 250 ms periods.
    const first = startCli(['monitor', '--db', db, '--interval', '50ms', '--rollup', '250ms', '--quiet'])
    await sleep(2500)
    // When it is killed without warning (possibly mid-transaction).
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

  it('exports the history as CSV', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'loadplan-monitor-')), 'host.db')
    const run = await runCli(['monitor', '--db', db, '--interval', '100ms', '--rollup', '500ms', '--for', '1200ms'])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^\S+Z {2}cpu mean [\d.]+% p95 [\d.]+% max [\d.]+% {2}mem max [\d.]+%/m)
    const {code, stdout} = await runCli(['monitor', 'export', '--db', db, '--metric', 'mem.used_pct'])
    expect(code).toBe(0)
    const lines = stdout.trim().split('\n')
    expect(lines[0]).toBe('timestamp,metric,mean,max,p95,samples')
    expect(lines.length).toBeGreaterThanOrEqual(3)
    expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z,mem\.used_pct,[\d.]+,[\d.]+,[\d.]+,\d+$/)
  })

  it('rejects bad settings with exit 2', async () => {
    const {code, stderr} = await runCli(['monitor', '--interval', 'often', '--rollup', '1ms', '--db', join(tmpdir(), 'never.db')])
    expect(code).toBe(2)
    expect(stderr).toContain('--interval')
    expect(stderr).toContain('--rollup')
  })
})
