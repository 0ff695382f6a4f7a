/**
 * Disk full × the monitor's writer (issue 35): a filesystem that fills while `monitor` runs gave an
 * uncaught SqliteError stack trace. Now it is bad input (exit 2) with a message that names the
 * database and says the periods stored so far are kept, and they are. The end-to-end case fills a
 * real tmpfs of 1 MiB (root may mount one; where it may not, that case is skipped and says why);
 * the loop's own handling is checked with a store that fails the way SQLite does. The other writers
 * (every result file, JUnit, Markdown, the step summary, an imported service file) are tried on the
 * same full disk: each older file survives whole, each failure is named, the result still reaches
 * stdout.
 */
import {execFileSync} from 'node:child_process'
import {readdirSync, readFileSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runMonitor} from '../../src/adapters/host/run-monitor.js'
import type {MetricsStore} from '../../src/adapters/store/metrics-store.js'
import {InputError} from '../../src/contracts/errors.js'
import {startCli, waitUntil} from '../helpers/cli.js'
import {runInProcess} from '../helpers/in-process.js'
import {startServer} from '../helpers/local-server.js'

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

/** Frees what fill() took. */
function unfill(dir: string): void {
  for (const name of readdirSync(dir)) if (/^(filler|crumb)-/.test(name)) rmSync(join(dir, name))
}

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
    unfill(mountPoint)
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

  it('every file writer keeps the older file whole and names the failure (real tmpfs)', async (context) => {
    if (!mounted) return context.skip(`cannot mount a tmpfs here: ${whyNot}`)
    const server = await startServer()
    const older = {
      'r.json': '{"older": "result"}',
      'j.xml': '<testsuites/>',
      'm.md': '# older summary',
      'summary.md': '# older step summary\n',
      'shop.yaml': 'target: http://older\n',
    }
    for (const [name, text] of Object.entries(older)) writeFileSync(join(mountPoint, name), text)
    const har = join(tmpdir(), `loadplan-full-${process.pid}.har`)
    writeFileSync(
      har,
      JSON.stringify({
        log: {
          entries: [
            {
              startedDateTime: '2026-12-01T10:00:00.000Z',
              time: 5,
              request: {method: 'GET', url: 'https://shop.test/api/items', headers: []},
              response: {status: 200},
            },
          ],
        },
      }),
    )
    fill(mountPoint)
    try {
      const at = (name: string) => join(mountPoint, name)
      const run = await runInProcess(
        [
          'run',
          server.url,
          '-a',
          '20',
          '-c',
          '2',
          '--out',
          at('r.json'),
          '--junit',
          at('j.xml'),
          '--markdown',
          at('m.md'),
        ],
        {env: {GITHUB_STEP_SUMMARY: at('summary.md')}},
      )
      expect(run.code, run.stderr).toBe(2)
      for (const name of ['r.json', 'j.xml', 'm.md'])
        expect(run.stderr).toContain(`could not write ${at(name)}: ENOSPC`)
      // The step summary is appended to: it may still fit in its file's last page, else it is named.
      const summary = readFileSync(at('summary.md'), 'utf8')
      if (summary === older['summary.md']) expect(run.stderr).toContain('GITHUB_STEP_SUMMARY')
      else expect(summary).toContain('| p99')
      // The result is not lost: it goes to stdout when its file could not be written.
      expect((JSON.parse(run.stdout) as {totals: {completed: number}}).totals.completed).toBe(20)
      const imported = await runInProcess(['import', 'har', har, '--out', at('shop.yaml')])
      expect(imported.code).toBe(2)
      expect(imported.stderr).toContain(`could not write ${at('shop.yaml')}: ENOSPC`)
      for (const outcome of [run, imported]) expect(outcome.stderr).not.toMatch(/\n\s+at /)
      // Older files whole; the step summary (appended to) at most gained bytes, never lost them.
      for (const [name, text] of Object.entries(older))
        if (name === 'summary.md') expect(readFileSync(at(name), 'utf8').startsWith(text)).toBe(true)
        else expect(readFileSync(at(name), 'utf8')).toBe(text)
      expect(readdirSync(mountPoint).filter((name) => name.endsWith('.loadplan-partial'))).toEqual([])
    } finally {
      unfill(mountPoint)
      rmSync(har, {force: true})
      await server.close()
    }
  })
})
