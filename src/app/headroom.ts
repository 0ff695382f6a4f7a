/** `loadplan headroom`: history from the monitor database, a CSV or Prometheus, judged against a profile and the catalog. */
import {analyseHeadroom, type HeadroomResult, type HostSize, type UtilisationPoint} from '../core/capacity/headroom.js'
import {findInstance} from '../core/catalog/catalog-lookup.js'
import {resolveHeadroomOptions, type HeadroomFlags} from '../config/headroom-options.js'
import {EXIT, ProblemList} from '../contracts/errors.js'
import {loadCatalog} from '../adapters/io/load-catalog.js'
import {readUtilisationCsv, readUtilisationRecording} from '../adapters/io/read-utilisation.js'
import type {HostInventory} from '../contracts/results/capacity-result.js'
import {medianSpacingMs} from '../core/series/regularise.js'
import {allCoresScore, findPerf, shippedPerfTable} from '../core/catalog/perf-table.js'
import type {AppResult} from './app-result.js'

export async function judgeHeadroom(flags: HeadroomFlags, nowMs: number): Promise<AppResult<HeadroomResult>> {
  const options = resolveHeadroomOptions(flags)
  const problems = new ProblemList()
  const catalog = await loadCatalog(options.catalog)
  const {provider} = options
  const region = options.region ?? catalog.defaultRegions[provider]
  const warnings: string[] = []

  let points: UtilisationPoint[]
  let inventory: HostInventory | undefined
  let limits: {cpu?: number; memGiB?: number} = {}
  const {source} = options
  if (source.kind === 'csv') points = readUtilisationCsv(source.path)
  else if (source.kind === 'prometheus') {
    const {readPrometheusRange} = await import('../adapters/io/read-prometheus.js')
    const range = {url: source.url, startMs: nowMs - source.sinceMs, endMs: nowMs, stepMs: source.stepMs}
    const [cpu, mem] = await Promise.all([
      readPrometheusRange({...range, query: source.cpuQuery}),
      readPrometheusRange({...range, query: source.memoryQuery}),
    ])
    const memAt = new Map(mem.observations.map((o) => [o.timeMs, o.value]))
    points = cpu.observations
      .filter((o) => memAt.has(o.timeMs))
      .map((o) => ({timeMs: o.timeMs, cpuPct: o.value, memPct: memAt.get(o.timeMs) as number}))
    for (const warning of [...cpu.warnings, ...mem.warnings]) warnings.push(`warning: ${warning}`)
  } else {
    ;({points, limits, inventory} = await readUtilisationRecording(source.path))
  }
  const named = options.instanceType ? findInstance(catalog, options.instanceType, provider) : undefined
  if (options.instanceType && !named)
    problems.add('--instance-type', `not in the ${provider} catalog; see loadplan catalog list`, options.instanceType)
  const vcpu =
    options.vcpus ??
    named?.vcpu ??
    (limits.cpu !== undefined && inventory ? Math.min(limits.cpu, inventory.vCpus) : inventory?.vCpus)
  const memoryGiB =
    options.memoryGiB ??
    named?.memoryGiB ??
    (limits.memGiB !== undefined && inventory ? Math.min(limits.memGiB, inventory.memoryGiB) : inventory?.memoryGiB)
  if (vcpu === undefined || memoryGiB === undefined)
    problems.add(
      '--vcpus',
      'the size of the measured host is unknown (a CSV or Prometheus has none): give --instance-type, or --vcpus and --memory',
    )
  problems.throwIfAny('Cannot judge headroom:')
  const current: HostSize = {vcpu: vcpu as number, memoryGiB: memoryGiB as number}
  if (named) current.type = named.type
  const result = analyseHeadroom({
    planningHorizonDays: options.horizonDays,
    allCoresScore: (p, type) => allCoresScore(findPerf(shippedPerfTable, p, type) ?? {}),
    history: points,
    periodMs: medianSpacingMs(points.map((p) => p.timeMs)),
    current,
    profile: options.profile,
    catalog,
    provider,
    region,
    families: options.families,
    arch: options.arch,
  })
  warnings.push(...result.warnings.map((w) => `warning: ${w}`))
  return {document: result, warnings, exitCode: EXIT.ok}
}
