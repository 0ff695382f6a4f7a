/**
 * Start-up: each command loads only what its path needs (Ink and React only for a dashboard,
 * better-sqlite3 only for recordings, systeminformation only for the host inventory, the 0.9 MB
 * catalog only when prices are read, zod and YAML only for service files). Guards the import graph,
 * not the wall time (bench/startup measures that).
 */
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runCli} from '../helpers/cli.js'
import {startServer, type LocalServer} from '../helpers/local-server.js'

const TRACER = join(import.meta.dirname, '..', 'helpers', 'trace-imports.mjs')
const HEAVY = {
  ink: /node_modules\/ink\//,
  react: /node_modules\/react\//,
  sqlite: /node_modules\/better-sqlite3\//,
  systeminformation: /node_modules\/systeminformation\//,
  catalog: /cloud-catalog\.json|shipped-catalog\.js/,
  zod: /node_modules\/zod\//,
  undici: /node_modules\/undici\//,
  undiciIndex: /node_modules\/undici\/index\.js$/,
  csv: /node_modules\/csv-parse\//,
  hdrIndex: /node_modules\/hdr-histogram-js\/dist\/index\.js$/,
  perf: /perf-table\.json/,
  ws: /node_modules\/ws\//,
  grpc: /node_modules\/@grpc\//,
  commands: /dist\/commands\/\w/,
}

/** The module URLs `loadplan ARGS` loaded. */
async function modulesOf(args: string[]): Promise<string[]> {
  const trace = join(mkdtempSync(join(tmpdir(), 'loadplan-trace-')), 'modules.txt')
  // Spawned asynchronously: the test's own server must keep answering while the binary runs.
  const result = await runCli(args, {LOADPLAN_TRACE_IMPORTS: trace, NODE_OPTIONS: `--import ${TRACER}`})
  expect(result.code, result.stderr).toBe(0)
  return readFileSync(trace, 'utf8').split('\n')
}

/** The modules `loadplan ARGS` loaded, by name of the heavy ones. */
async function heavyModulesOf(args: string[]): Promise<Set<string>> {
  const loaded = await modulesOf(args)
  return new Set(
    Object.entries(HEAVY)
      .filter(([, pattern]) => loaded.some((url) => pattern.test(url)))
      .map(([name]) => name),
  )
}

let server: LocalServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

describe('start-up loads only what the command needs', () => {
  it('--version and --help read the manifest and load no command', async () => {
    expect(await heavyModulesOf(['--version'])).toEqual(new Set())
    expect(await heavyModulesOf(['--help'])).toEqual(new Set())
    expect(await heavyModulesOf(['run', '--help'])).toEqual(new Set())
  })

  it("a run against a URL loads undici's client but not its index, and no Ink, SQLite, systeminformation, catalog, zod, CSV parser, hdr-histogram-js index, ws or gRPC", async () => {
    expect(await heavyModulesOf(['run', `${server.url}/`, '-a', '1', '--quiet'])).toEqual(
      new Set(['commands', 'undici']),
    )
  })

  it('a command loads its own command file only (oclif finds it through the manifest)', async () => {
    const commands = (await modulesOf(['run', `${server.url}/`, '-a', '1', '--quiet'])).filter((url) =>
      /dist\/commands\//.test(url),
    )
    expect(commands.map((url) => url.replace(/.*dist\/commands\//, ''))).toEqual(['run.js'])
  })

  it('a forecast from CSV loads its CSV parser and none of the others', async () => {
    const csv = join(mkdtempSync(join(tmpdir(), 'loadplan-trace-')), 'series.csv')
    writeFileSync(
      csv,
      `timestamp,value\n${Array.from({length: 48}, (_, h) => `${new Date(Date.UTC(2026, 0, 1) + h * 3_600_000).toISOString()},${100 + (h % 24)}`).join('\n')}\n`,
    )
    expect(await heavyModulesOf(['forecast', csv, '--format', 'csv'])).toEqual(new Set(['commands', 'csv']))
  })

  it('a plan reads the catalog but loads no Ink, SQLite, systeminformation or undici', async () => {
    expect(
      await heavyModulesOf([
        'plan',
        '--per-instance',
        '450/s',
        '--instance-type',
        'c7g.large',
        '--peak',
        '1200/s',
        '--growth',
        '8%/mo',
        '--json',
      ]),
    ).toEqual(new Set(['commands', 'catalog', 'perf']))
  })
})
