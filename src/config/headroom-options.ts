/** `loadplan headroom` options: every flag checked at once. Pure. */
import {DEFAULT_PLANNING_HORIZON_DAYS, PROFILES, type ProfileName} from '../core/capacity/headroom.js'
import {PROVIDERS, type Provider} from '../core/catalog/providers.js'
import {ProblemList} from '../contracts/errors.js'
import {parseDurationMs} from '../contracts/parse/parse-units.js'

export interface HeadroomFlags {
  db: string
  csv?: string
  prometheus?: string
  cpuQuery?: string
  memoryQuery?: string
  since: string
  horizon?: string
  step: string
  profile: string
  provider: string
  region?: string
  instanceType?: string
  vcpus?: string
  memory?: string
  families?: string[]
  arch?: string
  catalog?: string
}

/** Where the utilisation history comes from. */
export type UtilisationSource =
  | {kind: 'db'; path: string}
  | {kind: 'csv'; path: string}
  | {kind: 'prometheus'; url: string; cpuQuery: string; memoryQuery: string; sinceMs: number; stepMs: number}

export interface HeadroomOptions {
  source: UtilisationSource
  profile: ProfileName
  provider: Provider
  region?: string
  instanceType?: string
  vcpus?: number
  memoryGiB?: number
  families?: string[]
  arch?: 'x86_64' | 'arm64'
  catalog?: string
  /** Days ahead a recommendation must hold (see capacity/headroom.ts). */
  horizonDays: number
}

/** @throws InputError listing every problem */
export function resolveHeadroomOptions(flags: HeadroomFlags): HeadroomOptions {
  const problems = new ProblemList()
  if (!(flags.profile in PROFILES))
    problems.add('--profile', `expected one of ${Object.keys(PROFILES).join(', ')}`, flags.profile)
  if (!(PROVIDERS as readonly string[]).includes(flags.provider))
    problems.add('--provider', `expected one of ${PROVIDERS.join(', ')}`, flags.provider)
  const vcpus = flags.vcpus === undefined ? undefined : Number(flags.vcpus)
  const memory = flags.memory === undefined ? undefined : Number(flags.memory)
  if (vcpus !== undefined && !(vcpus > 0)) problems.add('--vcpus', 'expected a positive number', flags.vcpus)
  if (memory !== undefined && !(memory > 0)) problems.add('--memory', 'expected GiB as a positive number', flags.memory)
  if (flags.arch !== undefined && flags.arch !== 'x86_64' && flags.arch !== 'arm64')
    problems.add('--arch', 'expected x86_64 or arm64', flags.arch)
  if (flags.csv !== undefined && flags.prometheus !== undefined)
    problems.add('--prometheus', 'give either --csv or --prometheus, not both', flags.prometheus)
  if (flags.prometheus !== undefined && (flags.cpuQuery === undefined || flags.memoryQuery === undefined))
    problems.add('--cpu-query', 'with --prometheus give --cpu-query and --memory-query (both in percent)')
  const horizonText = flags.horizon ?? `${DEFAULT_PLANNING_HORIZON_DAYS}d`
  const horizonMs = parseDurationMs(horizonText)
  if (!(horizonMs !== undefined && horizonMs >= 86_400_000 && horizonMs <= 365 * 86_400_000))
    problems.add('--horizon', 'expected a duration from 1d to 365d, such as 30d', horizonText)
  const sinceMs = parseDurationMs(flags.since)
  const stepMs = parseDurationMs(flags.step)
  if (flags.prometheus !== undefined && !(sinceMs && sinceMs > 0))
    problems.add('--since', 'expected a duration such as 14d', flags.since)
  if (flags.prometheus !== undefined && !(stepMs && stepMs >= 1000))
    problems.add('--step', 'expected a duration of at least 1s, such as 1m', flags.step)
  problems.throwIfAny('Cannot judge headroom:')
  const source: UtilisationSource =
    flags.csv !== undefined
      ? {kind: 'csv', path: flags.csv}
      : flags.prometheus !== undefined
        ? {
            kind: 'prometheus',
            url: flags.prometheus,
            cpuQuery: flags.cpuQuery as string,
            memoryQuery: flags.memoryQuery as string,
            sinceMs: sinceMs as number,
            stepMs: stepMs as number,
          }
        : {kind: 'db', path: flags.db}
  return {
    source,
    profile: flags.profile as ProfileName,
    provider: flags.provider as Provider,
    region: flags.region,
    instanceType: flags.instanceType,
    vcpus,
    memoryGiB: memory,
    families: flags.families?.flatMap((f) => f.split(',')),
    arch: flags.arch as 'x86_64' | 'arm64' | undefined,
    catalog: flags.catalog,
    horizonDays: (horizonMs as number) / 86_400_000,
  }
}
