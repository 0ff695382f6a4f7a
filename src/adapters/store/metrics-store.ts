/**
 * The monitor's history: one SQLite file (better-sqlite3, WAL) with a row per period and metric.
 * Each period is written in one transaction, so a crash (even kill -9) loses at most the period
 * being collected and never corrupts the ones before; reopening appends to the same history.
 */
import {existsSync, mkdirSync} from 'node:fs'
import {hostname} from 'node:os'
import {dirname} from 'node:path'
import Database from 'better-sqlite3'
import {InputError} from '../../contracts/errors.js'
import type {RollupRow} from '../../contracts/stats/rollup.js'

/**
 * Creates the database's missing folders one level at a time. (Node's recursive mkdir spins
 * forever under /proc, where a folder can neither be found nor created.)
 */
function makeParents(path: string): void {
  const missing: string[] = []
  for (let dir = dirname(path); !existsSync(dir) && dirname(dir) !== dir; dir = dirname(dir)) missing.unshift(dir)
  for (const dir of missing) mkdirSync(dir)
}

/** Why a database could not be opened, in the user's terms (better-sqlite3's codes). */
function describeOpenError(error: unknown, readonly: boolean): string {
  const code = (error as {code?: string}).code ?? ''
  if (code === 'SQLITE_NOTADB') return 'is not a SQLite database (give a file written by loadplan monitor)'
  if (code.startsWith('SQLITE_CANTOPEN'))
    return readonly
      ? 'cannot be opened: no such database file (record one with loadplan monitor --db FILE)'
      : 'cannot be opened or created (is it a folder, or is its folder missing or not writable?)'
  if (code.startsWith('SQLITE_READONLY'))
    return 'is read-only: loadplan monitor needs to write to it (choose another --db or fix its permissions)'
  if (code.startsWith('SQLITE_IOERR')) return 'cannot be used as a database (a device or special file?)'
  if (code === 'ENOENT' || code === 'EACCES' || code === 'EROFS' || code === 'ENOTDIR')
    return `its folder cannot be created (${code})`
  return `cannot be opened (${code || (error as Error).message})`
}

/**
 * A write that failed for want of space or a working disk is the user's to fix (free space, another
 * --db), not a bug: an InputError naming the file, which runMonitor turns into a clean stop with
 * every period written before it kept (SQLite rolls the failed transaction back).
 */
function storageError(error: unknown, path: string): unknown {
  const code = (error as {code?: string}).code ?? ''
  const problem = code.startsWith('SQLITE_FULL')
    ? 'the disk holding it is full'
    : code.startsWith('SQLITE_IOERR')
      ? `the disk failed a write (${code})`
      : code.startsWith('SQLITE_READONLY')
        ? 'it became read-only'
        : code === 'SQLITE_CORRUPT'
          ? 'it is damaged (SQLITE_CORRUPT)'
          : undefined
  if (problem === undefined) return error
  return new InputError(`Cannot store into ${path}:`, [
    {field: '--db', value: path, message: `${problem}; free space or choose another --db, then run again`},
  ])
}

/** The monitor writing to a database: one at a time, or their periods would overwrite each other's. */
export interface WriterLease {
  pid: number
  host: string
  startedAtMs: number
  /** When it last wrote a period. */
  renewedAtMs: number
  rollupMs: number
}

/** Grace beyond two periods before a silent writer's lease counts as abandoned. */
const LEASE_SLACK_MS = 60_000

/**
 * Whether a lease's writer is still running: on this host its process must exist; on any host it
 * must have written within two of its periods (a reused pid, or a writer on another machine that
 * died, then does not block the database for ever).
 */
export function isLiveWriter(lease: WriterLease, nowMs: number, thisHost = hostname()): boolean {
  if (nowMs - lease.renewedAtMs > 2 * lease.rollupMs + LEASE_SLACK_MS) return false
  if (lease.host !== thisHost) return true
  try {
    process.kill(lease.pid, 0)
    return true
  } catch (error) {
    return (error as {code?: string}).code === 'EPERM' // exists, owned by another user
  }
}

export class MetricsStore {
  private readonly db: Database.Database
  private readonly insert: Database.Statement
  private readonly writeRows: (rows: readonly RollupRow[]) => void

  /**
   * @param readonly open an existing database for reading only (never creates one)
   * @throws InputError when the file is missing (read-only), not SQLite, or cannot be written
   */
  constructor(
    private readonly path: string,
    {readonly = false}: {readonly?: boolean} = {},
  ) {
    try {
      if (!readonly && path !== ':memory:') makeParents(path)
      this.db = new Database(path, {readonly, fileMustExist: readonly})
      if (readonly) {
        const tables = this.db
          .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('rollups', 'meta')")
          .all()
        if (tables.length < 2) throw Object.assign(new Error('no rollups table'), {code: 'LOADPLAN_NOT_MONITOR'})
      } else {
        this.db.pragma('journal_mode = WAL')
        // In WAL mode NORMAL keeps every committed transaction across an application crash; only
        // an OS crash or power loss may roll back the last one.
        this.db.pragma('synchronous = NORMAL')
        this.db.exec(`
          CREATE TABLE IF NOT EXISTS rollups (
            period_start_ms INTEGER NOT NULL,
            metric TEXT NOT NULL,
            mean REAL NOT NULL,
            max REAL NOT NULL,
            p95 REAL NOT NULL,
            samples INTEGER NOT NULL,
            PRIMARY KEY (period_start_ms, metric)
          ) WITHOUT ROWID;
          CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        `)
      }
    } catch (error) {
      const message =
        (error as {code?: string}).code === 'LOADPLAN_NOT_MONITOR'
          ? 'is a SQLite database but not one loadplan monitor wrote (no rollups table)'
          : describeOpenError(error, readonly)
      throw new InputError(`Cannot open the database ${path}:`, [{field: path, message}])
    }
    this.insert = this.db.prepare(
      'INSERT OR REPLACE INTO rollups (period_start_ms, metric, mean, max, p95, samples) VALUES (?, ?, ?, ?, ?, ?)',
    )
    this.writeRows = this.db.transaction((rows: readonly RollupRow[]) => {
      for (const r of rows) this.insert.run(r.periodStartMs, r.metric, r.mean, r.max, r.p95, r.samples)
    })
  }

  /** Writes one period's rows atomically; a full or failing disk is an InputError (storageError). */
  write(rows: readonly RollupRow[]): void {
    if (rows.length > 0) this.guarded(() => this.writeRows(rows))
  }

  private guarded<T>(work: () => T): T {
    try {
      return work()
    } catch (error) {
      throw storageError(error, this.path)
    }
  }

  /**
   * Makes `lease` the database's writer unless a live one (per `isLive`) holds it; returns that
   * holder then. Atomic across processes (an immediate transaction takes SQLite's write lock).
   */
  claimWriter(lease: WriterLease, isLive: (holder: WriterLease) => boolean): WriterLease | undefined {
    return this.db
      .transaction(() => {
        const holder = this.getMeta<WriterLease>('writer')
        if (holder && holder.pid !== lease.pid && isLive(holder)) return holder
        this.setMeta('writer', lease)
        return undefined
      })
      .immediate()
  }

  /** Records that the writer `pid` is still alive (after each period it writes). */
  renewWriter(pid: number, nowMs: number): void {
    const holder = this.getMeta<WriterLease>('writer')
    if (holder?.pid === pid) this.setMeta('writer', {...holder, renewedAtMs: nowMs})
  }

  /** Gives the database up, if `pid` holds it. */
  releaseWriter(pid: number): void {
    try {
      const holder = this.getMeta<WriterLease>('writer')
      if (holder?.pid === pid) this.db.prepare("DELETE FROM meta WHERE key = 'writer'").run()
    } catch {
      // A full disk cannot take even the delete; the lease lapses by itself (its pid is gone).
    }
  }

  /** Deletes periods older than `beforeMs`; returns how many rows went. */
  prune(beforeMs: number): number {
    return this.guarded(() => this.db.prepare('DELETE FROM rollups WHERE period_start_ms < ?').run(beforeMs).changes)
  }

  setMeta(key: string, value: unknown): void {
    this.guarded(() =>
      this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, JSON.stringify(value)),
    )
  }

  /** The stored value, or undefined when it is missing or not JSON (a database edited by hand). */
  getMeta<T>(key: string): T | undefined {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as {value: unknown} | undefined
    if (typeof row?.value !== 'string') return undefined
    try {
      return JSON.parse(row.value) as T
    } catch {
      return undefined
    }
  }

  /**
   * Rows in time order, optionally for metrics matching a prefix and since a time. Rows whose
   * figures are not finite numbers (SQLite keeps whatever a hand edit stored) are left out.
   */
  read(options: {metricPrefix?: string; sinceMs?: number} = {}): RollupRow[] {
    const rows = this.db
      .prepare(
        `SELECT period_start_ms AS periodStartMs, metric, mean, max, p95, samples FROM rollups WHERE period_start_ms >= ? AND metric LIKE ? ESCAPE '\\'
         AND typeof(period_start_ms) = 'integer' AND typeof(metric) = 'text' AND typeof(samples) = 'integer'
         AND typeof(mean) IN ('real', 'integer') AND typeof(max) IN ('real', 'integer') AND typeof(p95) IN ('real', 'integer') ORDER BY period_start_ms, metric`,
      )
      .all(options.sinceMs ?? 0, `${(options.metricPrefix ?? '').replace(/[%_]/g, (c) => `\\${c}`)}%`) as RollupRow[]
    return rows.filter((r) => Number.isFinite(r.mean) && Number.isFinite(r.max) && Number.isFinite(r.p95))
  }

  /** Number of stored periods and the time they span. */
  summary(): {periods: number; firstMs: number | null; lastMs: number | null} {
    const row = this.db
      .prepare(
        'SELECT COUNT(DISTINCT period_start_ms) AS periods, MIN(period_start_ms) AS firstMs, MAX(period_start_ms) AS lastMs FROM rollups',
      )
      .get() as {periods: number; firstMs: number | null; lastMs: number | null}
    return row
  }

  integrityCheck(): string {
    return (this.db.pragma('integrity_check', {simple: true}) as string) ?? 'unknown'
  }

  close(): void {
    this.db.close()
  }
}
