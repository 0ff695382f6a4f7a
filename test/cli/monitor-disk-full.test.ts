/**
 * Disk full × the monitor's writer (issue 35): a filesystem that fills while `monitor` runs gave an
 * uncaught SqliteError stack trace. Now it is bad input (exit 2) with a message that names the
 * database and says the periods stored so far are kept, and they are. The end-to-end case fills a
 * real tmpfs of 1 MiB (root may mount one; where it may not, that case is skipped and says why);
 * the loop's own handling is checked with a store that fails the way SQLite does.
 */
import {execFileSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runMonitor} from '../../src/adapters/host/run-monitor.js'
import type {MetricsStore} from '../../src/adapters/store/metrics-store.js'
import {InputError} from '../../src/contracts/errors.js'
import {startCli, waitUntil} from '../helpers/cli.js'

const mountPoint = mkdtempSync(join(tmpdir(), 'loadplan-full-'))
let mounted = false
let whyNot = ''

beforeAll(() => {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mountPoint], {stdio: 'pipe'})
    mounted = true
  } catch (error) {
    whyNot = String((error as {stderr?: Buffer}).stderr ?? error).trim()
  }
})
afterAll(() => {
  if (mounted) execFileSync('umount', [mountPoint])
  rmSync(mountPoint, {recursive: true, force: true})
})

/** Fills the filesystem holding `dir` until it refuses a byte more. */
function fill(dir: string): void {
  const chunk = Buffer.alloc(16 * 1024, 1)
  for (let i = 0; ; i++) {
    try {
      writeFileSync(join(dir, `filler-${i}`), chunk)
    } catch (error) {
      if ((error as {code?: string}).code === 'ENOSPC') break
      throw error
    }
  }
  // Then the last bytes, a page at a time.
  for (let i = 0; ; i++) {
    try {
      writeFileSync(join(dir, `crumb-${i}`), Buffer.alloc(512, 1))
    } catch {
      return
    }
  }
}

describe('monitor on a disk that fills', () => {
  it('stops with exit 2, names the database, keeps the periods stored before (real tmpfs)', async (context) => {
    if (!mounted) return context.skip(`cannot mount a tmpfs here: ${whyNot}`)
    const db = join(mountPoint, 'host.db')
    const started = startCli(['monitor', '--db', db, '--interval', '20ms', '--rollup', '100ms'])
    const periodLines = () => started.output().stdout.match(/^\S+Z {2}cpu mean/gm)?.length ?? 0
    try {
      await waitUntil(() => periodLines() >= 3, 30_000, 'three stored periods')
      fill(mountPoint)
      const outcome = await Promise.race([
        started.done,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('monitor did not stop')), 30_000)),
      ])
      expect(outcome.code, outcome.stderr).toBe(2)
      expect(outcome.stderr).toContain(db)
      expect(outcome.stderr).toMatch(/disk holding it is full|disk failed a write/)
      expect(outcome.stderr).toMatch(/the \d+ periods stored before are kept/)
      expect(outcome.stderr).not.toMatch(/SqliteError|\n\s+at /)
    } finally {
      if (started.child.exitCode === null) started.child.kill('SIGKILL')
    }
    // Room again: the database opens, is whole, and holds at least the periods seen stored.
    for (const name of execFileSync('ls', [mountPoint]).toString().split('\n'))
      if (/^(filler|crumb)-/.test(name)) rmSync(join(mountPoint, name))
    const reader = new Database(db, {readonly: true})
    try {
      expect(reader.pragma('integrity_check', {simple: true})).toBe('ok')
      const periods = reader.prepare('SELECT COUNT(DISTINCT period_start_ms) AS n FROM rollups').get() as {n: number}
      expect(periods.n).toBeGreaterThanOrEqual(3)
    } finally {
      reader.close()
    }
  })

  it('the loop stops cleanly on a failing write and reports the failure with the count before it', async () => {
    let clock = 0
    let writes = 0
    const full = new InputError('Cannot store into x.db:', [{field: '--db', message: 'the disk holding it is full'}])
    const store = {
      write: () => {
        if (++writes > 2) throw full
      },
      prune: () => 0,
      renewWriter: () => {},
    } as unknown as MetricsStore
    const sampler = {method: 'test', notes: [], sample: () => ({'cpu.util_pct': 1})}
    const handle = runMonitor(sampler, store, {intervalMs: 1, rollupMs: 10, retentionMs: 1e9}, {}, () => (clock += 3))
    const outcome = await handle.done
    expect(outcome.failure).toBe(full)
    expect(outcome.periodsWritten).toBe(2)
  })
})
