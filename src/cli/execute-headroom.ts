/** `loadplan headroom`: history from the monitor database or a CSV, judged against a profile and the catalog. */
import {analyseHeadroom, HeadroomInputError, PROFILES, type HostSize, type ProfileName, type UtilisationPoint} from '../capacity/headroom.js'
import {findInstance} from '../catalog/catalog-lookup.js'
import {PROVIDERS, type Provider} from '../catalog/catalog-schema.js'
import {ProblemList} from '../errors.js'
import type {HostInventory} from '../host/inventory.js'
import {loadCatalog} from '../io/load-catalog.js'
import {parseTimestamp} from '../io/read-series-csv.js'
import {parse} from 'csv-parse/sync'
import {renderHeadroom} from '../report/headroom-views.js'
import {MetricsStore} from '../store/metrics-store.js'
import {medianSpacingMs} from '../series/regularise.js'
import {readFileSync} from 'node:fs'
import {parseDurationMs} from '../config/units.js'
import {readPrometheusRange} from '../io/read-prometheus.js'
import {EXIT} from './exit-codes.js'
import {reportError} from './report-error.js'

export interface ExecuteHeadroomInput {
  db: string
  csv: string | undefined
  /** Prometheus base URL with a CPU and a memory query (percent of the host). */
  prometheus: string | undefined
  cpuQuery: string | undefined
  memoryQuery: string | undefined
  since: string
  step: string
  nowMs: number
  profile: string
  provider: string
  region: string | undefined
  instanceType: string | undefined
  vcpus: string | undefined
  memory: string | undefined
  families: string[] | undefined
  arch: string | undefined
  catalog: string | undefined
  json: boolean
}

/** CPU (the effective cgroup share when limited) and memory per stored period. */
function historyFromStore(store: MetricsStore): {points: UtilisationPoint[]; limits: {cpu?: number; memGiB?: number}} {
  const rows = store.read()
  const byPeriod = new Map<number, Record<string, {mean: number; max: number}>>()
  for (const r of rows) {
    const entry = byPeriod.get(r.periodStartMs) ?? {}
    entry[r.metric] = {mean: r.mean, max: r.max}
    byPeriod.set(r.periodStartMs, entry)
  }
  const points: UtilisationPoint[] = []
  let cpuLimit: number | undefined
  let memLimit: number | undefined
  for (const [timeMs, m] of [...byPeriod.entries()].sort(([a], [b]) => a - b)) {
    const cpu = m['cgroup.cpu_used_pct']?.mean ?? m['cpu.busy']?.mean
    const mem = m['cgroup.mem_used_pct']?.max ?? m['mem.used_pct']?.max
    cpuLimit = m['cgroup.cpu_limit']?.mean ?? cpuLimit
    memLimit = m['cgroup.mem_limit_bytes']?.mean ?? memLimit
    if (cpu !== undefined && mem !== undefined) points.push({timeMs, cpuPct: cpu, memPct: mem})
  }
  return {points, limits: {cpu: cpuLimit, memGiB: memLimit === undefined ? undefined : memLimit / 2 ** 30}}
}

/** A CSV of timestamp,cpu,memory (percent); a header row is skipped. */
function historyFromCsv(path: string): UtilisationPoint[] {
  const rows = parse(readFileSync(path, 'utf8'), {skip_empty_lines: true, trim: true, relax_column_count: true}) as string[][]
  return rows
    .map(([time = '', cpu = '', memory = '']) => ({timeMs: parseTimestamp(time), cpuPct: Number(cpu), memPct: Number(memory)}))
    .filter((p) => Number.isFinite(p.timeMs) && Number.isFinite(p.cpuPct) && Number.isFinite(p.memPct) && p.cpuPct >= 0)
}

export async function executeHeadroom(input: ExecuteHeadroomInput): Promise<number> {
  let store: MetricsStore | undefined
  try {
    const problems = new ProblemList()
    if (!(input.profile in PROFILES)) problems.add('--profile', `expected one of ${Object.keys(PROFILES).join(', ')}`, input.profile)
    if (!(PROVIDERS as readonly string[]).includes(input.provider)) problems.add('--provider', `expected one of ${PROVIDERS.join(', ')}`, input.provider)
    const vcpus = input.vcpus === undefined ? undefined : Number(input.vcpus)
    const memory = input.memory === undefined ? undefined : Number(input.memory)
    if (vcpus !== undefined && !(vcpus > 0)) problems.add('--vcpus', 'expected a positive number', input.vcpus)
    if (memory !== undefined && !(memory > 0)) problems.add('--memory', 'expected GiB as a positive number', input.memory)
    if (input.arch !== undefined && input.arch !== 'x86_64' && input.arch !== 'arm64') problems.add('--arch', 'expected x86_64 or arm64', input.arch)
    if (input.csv !== undefined && input.prometheus !== undefined) problems.add('--prometheus', 'give either --csv or --prometheus, not both', input.prometheus)
    if (input.prometheus !== undefined && (input.cpuQuery === undefined || input.memoryQuery === undefined)) problems.add('--cpu-query', 'with --prometheus give --cpu-query and --memory-query (both in percent)')
    const sinceMs = parseDurationMs(input.since)
    const stepMs = parseDurationMs(input.step)
    if (input.prometheus !== undefined && !(sinceMs && sinceMs > 0)) problems.add('--since', 'expected a duration such as 14d', input.since)
    if (input.prometheus !== undefined && !(stepMs && stepMs >= 1000)) problems.add('--step', 'expected a duration of at least 1s, such as 1m', input.step)
    problems.throwIfAny('Cannot judge headroom:')
    const catalog = loadCatalog(input.catalog)
    const provider = input.provider as Provider
    const region = input.region ?? catalog.defaultRegions[provider]

    let points: UtilisationPoint[]
    let inventory: HostInventory | undefined
    let limits: {cpu?: number; memGiB?: number} = {}
    if (input.csv !== undefined) points = historyFromCsv(input.csv)
    else if (input.prometheus !== undefined) {
      const range = {url: input.prometheus, startMs: input.nowMs - (sinceMs as number), endMs: input.nowMs, stepMs: stepMs as number}
      const [cpu, mem] = await Promise.all([readPrometheusRange({...range, query: input.cpuQuery as string}), readPrometheusRange({...range, query: input.memoryQuery as string})])
      const memAt = new Map(mem.observations.map((o) => [o.timeMs, o.value]))
      points = cpu.observations.filter((o) => memAt.has(o.timeMs)).map((o) => ({timeMs: o.timeMs, cpuPct: o.value, memPct: memAt.get(o.timeMs) as number}))
      for (const warning of [...cpu.warnings, ...mem.warnings]) process.stderr.write(`warning: ${warning}\n`)
    } else {
      store = new MetricsStore(input.db)
      ;({points, limits} = historyFromStore(store))
      inventory = store.getMeta<HostInventory>('inventory')
    }
    const named = input.instanceType ? findInstance(catalog, input.instanceType, provider) : undefined
    if (input.instanceType && !named) problems.add('--instance-type', `not in the ${provider} catalog; see loadplan catalog list`, input.instanceType)
    const vcpu = vcpus ?? named?.vcpu ?? (limits.cpu !== undefined && inventory ? Math.min(limits.cpu, inventory.vCpus) : inventory?.vCpus)
    const memoryGiB = memory ?? named?.memoryGiB ?? (limits.memGiB !== undefined && inventory ? Math.min(limits.memGiB, inventory.memoryGiB) : inventory?.memoryGiB)
    if (vcpu === undefined || memoryGiB === undefined) problems.add('--vcpus', 'the size of the measured host is unknown (a CSV or Prometheus has none): give --instance-type, or --vcpus and --memory')
    problems.throwIfAny('Cannot judge headroom:')
    const current: HostSize = {vcpu: vcpu as number, memoryGiB: memoryGiB as number}
    if (named) current.type = named.type
    const result = analyseHeadroom({
      history: points,
      periodMs: medianSpacingMs(points.map((p) => p.timeMs)),
      current,
      profile: input.profile as ProfileName,
      catalog,
      provider,
      region,
      families: input.families?.flatMap((f) => f.split(',')),
      arch: input.arch as 'x86_64' | 'arm64' | undefined,
    })
    for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`)
    process.stdout.write(input.json ? `${JSON.stringify({schema: 'loadplan/headroom', version: 1, ...result}, null, 2)}\n` : renderHeadroom(result))
    return EXIT.ok
  } catch (error) {
    if (error instanceof HeadroomInputError) {
      process.stderr.write(`Cannot judge headroom: ${error.message}. Keep loadplan monitor running longer.\n`)
      return EXIT.badInput
    }
    return reportError(error)
  } finally {
    store?.close()
  }
}
