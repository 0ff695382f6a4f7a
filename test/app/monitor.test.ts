/** `loadplan monitor` in-process (its kill -9 test spawns the binary: test/cli/smoke.test.ts). */
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {runInProcess} from '../helpers/in-process.js'

describe('loadplan monitor', () => {
  it('exports the history as CSV', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'loadplan-monitor-')), 'host.db')
    const run = await runInProcess([
      'monitor',
      '--db',
      db,
      '--interval',
      '100ms',
      '--rollup',
      '500ms',
      '--for',
      '1200ms',
    ])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^\S+Z {2}cpu mean [\d.]+% p95 [\d.]+% max [\d.]+% {2}mem max [\d.]+%/m)
    const {code, stdout} = await runInProcess(['monitor', 'export', '--db', db, '--metric', 'mem.used_pct'])
    expect(code).toBe(0)
    const lines = stdout.trim().split('\n')
    expect(lines[0]).toBe('timestamp,metric,mean,max,p95,samples')
    expect(lines.length).toBeGreaterThanOrEqual(3)
    expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z,mem\.used_pct,[\d.]+,[\d.]+,[\d.]+,\d+$/)
  })

  it('rejects bad settings with exit 2', async () => {
    const {code, stderr} = await runInProcess([
      'monitor',
      '--interval',
      'often',
      '--rollup',
      '1ms',
      '--db',
      join(tmpdir(), 'never.db'),
    ])
    expect(code).toBe(2)
    expect(stderr).toContain('--interval')
    expect(stderr).toContain('--rollup')
  })
})
