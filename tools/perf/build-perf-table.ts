/**
 * Builds the per-type performance table (src/core/catalog/data/perf-table.json) from a local clone of
 * the public repository SpareCores/sc-inspector-data (CC BY-SA 4.0), pinned by commit:
 *
 *   npm run build && node dist/tools/perf/build-perf-table.js --repo <clone of SpareCores/sc-inspector-data> [--commit SHA]
 *
 * For every instance type of the shipped catalog that the repository measured, it keeps:
 * stress-ng `cpu` bogo-ops/s on one core and on 1..n cores (sampled at 1, 2, 4, … and n), the
 * static web benchmark's best requests/s (binserve + wrk), redis' best requests/s and the memory
 * read bandwidth of the largest block (bw_mem). The source, commit, date and licence go with it.
 */
import {execFileSync, spawnSync} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'
import {shippedCatalog} from '../../src/core/catalog/shipped-catalog.js'
import {PERF_TABLE_LICENSE, type PerfRecord, type PerfTable} from '../../src/core/catalog/perf-table-schema.js'
import {parseStressNgCpu} from '../../src/adapters/host/stress-ng.js'

const REPOSITORY = 'SpareCores/sc-inspector-data'
const TASKS = [
  'stressngsinglecore/stdout',
  'stressngsinglecore/meta.json',
  'stressngfull/stdout',
  'static_web/stdout',
  'redis/stdout',
  'bw_mem/stdout',
] as const

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', ['-C', repo, ...args], {encoding: 'utf8', maxBuffer: 256 * 1024 * 1024})
}

/** Reads many blobs in one `git cat-file --batch` (one process, not one per file). */
function readBlobs(repo: string, specs: readonly string[]): Map<string, string> {
  const out = spawnSync('git', ['-C', repo, 'cat-file', '--batch'], {
    input: `${specs.join('\n')}\n`,
    maxBuffer: 1024 * 1024 * 1024,
  })
  const buffer = out.stdout
  const blobs = new Map<string, string>()
  let at = 0
  for (const spec of specs) {
    const headerEnd = buffer.indexOf(10, at)
    const header = buffer.subarray(at, headerEnd).toString()
    at = headerEnd + 1
    if (header.endsWith(' missing')) continue
    const size = Number(header.split(' ')[2])
    blobs.set(spec, buffer.subarray(at, at + size).toString('utf8'))
    at += size + 1
  }
  return blobs
}

/** `cores,bogo-ops/s` lines → scores by core count. */
export function parseStressNgFull(stdout: string): Array<[number, number]> {
  return stdout
    .trim()
    .split('\n')
    .map((line) => line.split(',').map(Number) as [number, number])
    .filter(([cores, score]) => Number.isInteger(cores) && cores > 0 && Number.isFinite(score) && score > 0)
}

/** Keeps 1, 2, 4, 8, … and n: enough to interpolate the curve, a fraction of the size. */
export function sampleCurve(points: Array<[number, number]>): Array<[number, number]> {
  const n = Math.max(...points.map(([c]) => c))
  return points.filter(([cores]) => cores === n || (cores & (cores - 1)) === 0).map(([c, s]) => [c, Math.round(s)])
}

/** The best `rps` of a CSV with an "rps" column (static_web, redis). */
export function bestRps(csv: string): number | undefined {
  const [header, ...rows] = csv.trim().split('\n')
  const column = (header ?? '')
    .split(',')
    .map((h) => h.replace(/"/g, ''))
    .indexOf('rps')
  if (column < 0) return undefined
  const values = rows.map((row) => Number(row.split(',')[column])).filter((v) => Number.isFinite(v) && v > 0)
  return values.length > 0 ? Math.max(...values) : undefined
}

/** bw_mem `rd <MB> <MB/s>` → the read bandwidth of the largest block (past every cache). */
export function memoryReadMBps(stdout: string): number | undefined {
  const reads = stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f[0] === 'rd' && f.length === 3)
    .map(([, size, rate]) => [Number(size), Number(rate)] as const)
    .filter(([size, rate]) => Number.isFinite(size) && rate > 0)
  if (reads.length === 0) return undefined
  return Math.round(reads.reduce((best, r) => (r[0] > best[0] ? r : best))[1])
}

/** The CC BY-SA 4.0 attribution that ships with the derived table. */
function attribution(source: PerfTable['source']): string {
  return `# perf-table.json: attribution and licence

perf-table.json is derived from [Spare Cores Inspector Data](https://github.com/${REPOSITORY})
by Spare Cores, commit [${source.commit}](${source.url}) (${source.committedAt}), licensed under
[CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/).

Changes: for each instance type of loadplan's catalog, only summary figures were extracted (stress-ng
cpu bogo-ops/s on one core and on 1, 2, 4, … and all cores; the best requests/s of the static web and
redis benchmarks; the memory read bandwidth of the largest block), by tools/perf/build-perf-table.ts.

perf-table.json is licensed under CC BY-SA 4.0 as well; the rest of loadplan is not affected.
`
}

function main(): void {
  const {values} = parseArgs({options: {repo: {type: 'string'}, commit: {type: 'string'}, out: {type: 'string'}}})
  if (!values.repo) throw new Error('--repo <clone of SpareCores/sc-inspector-data> is required')
  const repo = values.repo
  const commit = values.commit ?? git(repo, 'rev-parse', 'HEAD').trim()
  const committedAt = git(repo, 'log', '-1', '--format=%cI', commit).trim()
  const measured = new Set(
    git(repo, 'ls-tree', '-d', '--name-only', `${commit}:data/aws`)
      .split('\n')
      .map((t) => `aws/${t}`),
  )
  for (const vendor of ['gcp', 'azure'])
    for (const t of git(repo, 'ls-tree', '-d', '--name-only', `${commit}:data/${vendor}`).split('\n'))
      measured.add(`${vendor}/${t}`)

  const wanted = shippedCatalog.instances.map((i) => `${i.provider}/${i.type}`).filter((key) => measured.has(key))
  const specs = wanted.flatMap((key) => TASKS.map((task) => `${commit}:data/${key}/${task}`))
  const blobs = readBlobs(repo, specs)
  const types: Record<string, PerfRecord> = {}
  const versions = new Map<string, number>()
  for (const key of wanted) {
    const blob = (task: (typeof TASKS)[number]) => blobs.get(`${commit}:data/${key}/${task}`)
    const record: PerfRecord = {}
    const single = parseStressNgCpu(blob('stressngsinglecore/stdout') ?? '')
    if (single !== undefined) record.stressngSingleCore = Math.round(single)
    const full = parseStressNgFull(blob('stressngfull/stdout') ?? '')
    if (full.length > 0) record.stressngCores = sampleCurve(full)
    const web = bestRps(blob('static_web/stdout') ?? '')
    if (web !== undefined) record.staticWebRps = web
    const redis = bestRps(blob('redis/stdout') ?? '')
    if (redis !== undefined) record.redisRps = redis
    const memory = memoryReadMBps(blob('bw_mem/stdout') ?? '')
    if (memory !== undefined) record.memoryReadMBps = memory
    try {
      const version = (JSON.parse(blob('stressngsinglecore/meta.json') ?? '{}') as {version?: string}).version
      if (version) versions.set(version, (versions.get(version) ?? 0) + 1)
    } catch {
      // no meta: the version is unknown for this type
    }
    if (Object.keys(record).length > 0) types[key.replace('/', ':')] = record
  }
  const table: PerfTable = {
    schemaVersion: 1,
    source: {
      repository: REPOSITORY,
      commit,
      committedAt,
      license: PERF_TABLE_LICENSE,
      url: `https://github.com/${REPOSITORY}/tree/${commit}`,
    },
    stressngVersions: Object.fromEntries(versions),
    types,
  }
  const out =
    values.out ??
    join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'src', 'core', 'catalog', 'data', 'perf-table.json')
  writeFileSync(out, `${JSON.stringify(table)}\n`)
  writeFileSync(out.replace(/\.json$/, '.LICENSE.md'), attribution(table.source))
  const byProvider = (provider: string) => Object.keys(types).filter((k) => k.startsWith(`${provider}:`)).length
  console.log(
    `wrote ${out}: ${Object.keys(types).length} types (aws ${byProvider('aws')}, gcp ${byProvider('gcp')}, azure ${byProvider('azure')}) of ${shippedCatalog.instances.length} in the catalog; stress-ng versions ${JSON.stringify(Object.fromEntries(versions))}`,
  )
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main()
