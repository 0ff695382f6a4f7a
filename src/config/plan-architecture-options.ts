/**
 * The plan's architecture from its flags and `plan:` section: several regions active-active, an
 * active-passive pair, replication between them, and the serverless alternative; each checked,
 * every problem added to the list. Pure.
 */
import type {ProblemList} from '../contracts/errors.js'
import {parseBytes, parseDurationMs, parseRatio} from '../contracts/parse/parse-units.js'
import {PROVIDERS, type Provider} from '../core/catalog/providers.js'
import {STANDBY_KINDS, type RegionShare, type Replication, type StandbyKind} from '../core/planning/multi-region.js'
import type {PlanOptions} from '../core/planning/plan-settings.js'
import type {PlanFlags} from './plan-options.js'
import type {PlanSection} from './plan-section-schema.js'

/** Defaults of the architecture flags (part of PLAN_DEFAULTS, which `--help` prints). */
export const ARCHITECTURE_DEFAULTS = {
  /** Memory per function instance for --serverless: a common size for web handlers (Lambda's own default is 128 MB). */
  serverlessMemory: '512MiB',
  /** A warm standby keeps a quarter of the fleet: a common starting point, stated in the plan. */
  standby: 'warm:25%',
  /** Launch to serving for a new instance: boot plus the service's start, a typical figure. */
  instanceStart: '3m',
} as const

/** At most this many regions (more than any provider's footprint a plan would span). */
export const MAX_REGIONS = 16

/** A share such as `40%`, `0.4` or 40 (a number above 1 is a percentage). */
function parseShare(text: string | number): number | undefined {
  const value = typeof text === 'number' ? (text > 1 ? text / 100 : text) : parseRatio(text)
  return value !== undefined && value > 0 && value <= 1 ? value : undefined
}

/**
 * `--regions` or `plan.regions`: two or more distinct regions whose shares sum to 100 % (given
 * for all of them or for none: equal shares), each checked; undefined when neither is given.
 */
export function parseRegions(
  entries: ReadonlyArray<{provider: string; region: string; share?: string | number | undefined}>,
  field: string,
  problems: ProblemList,
): RegionShare[] | undefined {
  const before = problems.items.length
  if (entries.length < 2 || entries.length > MAX_REGIONS)
    problems.add(field, `expected 2 to ${MAX_REGIONS} regions, e.g. aws:us-east-1=60%,aws:eu-west-1=40%`)
  const given = entries.filter((e) => e.share !== undefined).length
  if (given !== 0 && given !== entries.length)
    problems.add(field, 'give a share for every region or for none (equal shares)')
  const seen = new Set<string>()
  const regions = entries.map((e) => {
    const key = `${e.provider}:${e.region}`
    if (!(PROVIDERS as readonly string[]).includes(e.provider))
      problems.add(field, `expected a provider of ${PROVIDERS.join(', ')} before the region`, key)
    if (seen.has(key)) problems.add(field, 'names a region twice', key)
    seen.add(key)
    const share = e.share === undefined ? 1 / entries.length : parseShare(e.share)
    if (share === undefined) problems.add(field, 'expected a share of the traffic such as 40%', String(e.share))
    return {provider: e.provider as Provider, region: e.region, share: share ?? 0}
  })
  const sum = regions.reduce((s, r) => s + r.share, 0)
  // Whole percentages of three regions (33, 33, 34) sum exactly; 33.3 × 3 is close enough.
  if (problems.items.length === before && Math.abs(sum - 1) > 0.005)
    problems.add(field, `the shares sum to ${(sum * 100).toFixed(1)} %; they must sum to 100 %`)
  return problems.items.length === before ? regions.map((r) => ({...r, share: r.share / sum})) : undefined
}

/** `aws:us-east-1=60%,aws:eu-west-1=40%` → entries for parseRegions. */
function regionEntries(text: string): Array<{provider: string; region: string; share?: string}> {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const [place = '', share] = part.split('=')
      const at = place.indexOf(':')
      return {
        provider: at < 0 ? '' : place.slice(0, at).trim(),
        region: at < 0 ? place.trim() : place.slice(at + 1).trim(),
        ...(share === undefined ? {} : {share: share.trim()}),
      }
    })
}

/** `--replication 2kB@10%` or `plan.replication`. */
function parseReplication(
  given: {bytesPerWrite: string | number; writeRatio: string | number; usdPerGB?: number | undefined},
  field: string,
  problems: ProblemList,
): Replication | undefined {
  const bytes = typeof given.bytesPerWrite === 'number' ? given.bytesPerWrite : parseBytes(given.bytesPerWrite)
  const ratio = parseShare(given.writeRatio) ?? (given.writeRatio === 0 ? 0 : undefined)
  if (!(bytes !== undefined && bytes >= 0 && bytes <= 2 ** 30))
    problems.add(
      `${field}.bytesPerWrite`,
      'expected the bytes each write sends, up to 1GiB, e.g. 2kB',
      String(given.bytesPerWrite),
    )
  if (ratio === undefined)
    problems.add(
      `${field}.writeRatio`,
      'expected writes per request from 0 to 100 %, e.g. 10%',
      String(given.writeRatio),
    )
  if (bytes === undefined || ratio === undefined) return undefined
  return {bytesPerWrite: bytes, writeRatio: ratio, ...(given.usdPerGB !== undefined ? {usdPerGB: given.usdPerGB} : {})}
}

/** Regions, replication, failover and serverless from the flags over the `plan:` section. */
export function resolveArchitectureOptions(
  flags: PlanFlags,
  section: PlanSection,
  providerText: string,
  problems: ProblemList,
): Pick<PlanOptions, 'regions' | 'replication' | 'failover' | 'serverless'> {
  const regions =
    flags.regions !== undefined
      ? parseRegions(regionEntries(flags.regions), '--regions', problems)
      : section.regions !== undefined
        ? parseRegions(section.regions, 'plan.regions', problems)
        : undefined
  if (
    (flags.regions !== undefined || section.regions !== undefined) &&
    (flags.region !== undefined || flags.provider !== undefined)
  )
    problems.add(
      flags.region !== undefined ? '--region' : '--provider',
      'each region of --regions (plan.regions) names its provider and region; leave this out',
    )
  let replication: Replication | undefined
  if (flags.replication !== undefined) {
    const [bytesPerWrite = '', writeRatio = ''] = flags.replication.split('@')
    replication = parseReplication({bytesPerWrite, writeRatio}, '--replication', problems)
  } else if (section.replication !== undefined)
    replication = parseReplication(section.replication, 'plan.replication', problems)
  if (
    (flags.replication !== undefined || section.replication !== undefined) &&
    flags.regions === undefined &&
    section.regions === undefined &&
    flags.passive === undefined &&
    section.failover === undefined &&
    flags.dbStandby !== true &&
    section.bill?.databaseStandby !== true
  )
    problems.add(
      flags.replication !== undefined ? '--replication' : 'plan.replication',
      'replication is between regions or to a database standby: give --regions (plan.regions), --passive (plan.failover) or --db-standby too',
    )
  const serverlessSection = section.serverless
  const wantsServerless = flags.serverless === true || serverlessSection !== undefined
  let serverless: PlanOptions['serverless']
  if (wantsServerless) {
    const memoryText = flags.serverlessMemory ?? serverlessSection?.memory ?? ARCHITECTURE_DEFAULTS.serverlessMemory
    const memoryBytes = typeof memoryText === 'number' ? memoryText * 2 ** 20 : parseBytes(memoryText)
    const memoryMB = memoryBytes === undefined ? undefined : memoryBytes / 2 ** 20
    if (!(memoryMB !== undefined && memoryMB >= 128 && memoryMB <= 32_768))
      problems.add(
        '--serverless-memory',
        'expected memory per function from 128MiB to 32GiB, e.g. 512MiB (a bare number is MiB)',
        String(memoryText),
      )
    const serviceText = flags.serviceTime ?? serverlessSection?.serviceTime
    const serviceTimeMs = serviceText === undefined ? undefined : parseDurationMs(String(serviceText))
    if (serviceText !== undefined && !(serviceTimeMs !== undefined && serviceTimeMs > 0 && serviceTimeMs <= 900_000))
      problems.add('--service-time', 'expected the mean time per request, up to 15m, e.g. 80ms', String(serviceText))
    if (serviceText === undefined && flags.capacity === undefined)
      problems.add(
        '--service-time',
        'give the mean time per request (e.g. 80ms), or --capacity whose search measured it',
      )
    if (flags.regions !== undefined || section.regions !== undefined)
      problems.add('--serverless', "compares one region's fleet with the platforms; leave out --regions (plan.regions)")
    serverless = {memoryMB: memoryMB ?? 512, ...(serviceTimeMs !== undefined ? {serviceTimeMs} : {})}
  } else if (flags.serverlessMemory !== undefined || flags.serviceTime !== undefined)
    problems.add(
      flags.serviceTime !== undefined ? '--service-time' : '--serverless-memory',
      'prices the serverless alternative: add --serverless',
    )
  const failoverSection = section.failover
  let failover: PlanOptions['failover']
  if (flags.passive !== undefined || failoverSection !== undefined) {
    const field = flags.passive !== undefined ? '--passive' : 'plan.failover.passive'
    const passiveText =
      flags.passive ??
      (typeof failoverSection?.passive === 'string'
        ? failoverSection.passive
        : `${failoverSection?.passive?.provider ?? ''}:${failoverSection?.passive?.region ?? ''}`)
    const [place] = regionEntries(passiveText)
    if (!place || !(PROVIDERS as readonly string[]).includes(place.provider) || place.region === '')
      problems.add(field, 'expected the passive region as PROVIDER:REGION, e.g. gcp:europe-west1', passiveText)
    const standbyText = flags.standby ?? failoverSection?.standby ?? ARCHITECTURE_DEFAULTS.standby
    const [kind = '', shareText] = standbyText.split(':')
    const share = kind === 'warm' ? parseShare(shareText ?? '25%') : kind === 'hot' ? 1 : 0
    if (!(STANDBY_KINDS as readonly string[]).includes(kind) || share === undefined || (kind === 'warm' && share >= 1))
      problems.add(
        '--standby',
        'expected pilot-light (data only), warm:25% (a share of the fleet below 100 %) or hot (all of it)',
        standbyText,
      )
    const startText = flags.instanceStart ?? failoverSection?.instanceStart ?? ARCHITECTURE_DEFAULTS.instanceStart
    const startMs = parseDurationMs(startText)
    if (!(startMs !== undefined && startMs > 0 && startMs <= 3_600_000))
      problems.add('--instance-start', 'expected launch-to-serving time up to 1h, e.g. 3m', startText)
    if (flags.regions !== undefined || section.regions !== undefined)
      problems.add(field, 'give either --regions (active-active) or --passive (active-passive), not both')
    if (
      place &&
      `${place.provider}:${place.region}` === `${providerText}:${flags.region ?? section.cloud?.region ?? ''}`
    )
      problems.add(field, 'is the active region; name another', passiveText)
    failover = {
      passive: {provider: (place?.provider ?? 'aws') as Provider, region: place?.region ?? ''},
      kind: kind as StandbyKind,
      share: share ?? 0,
      instanceStartS: (startMs ?? 180_000) / 1000,
    }
  } else if (flags.standby !== undefined || flags.instanceStart !== undefined)
    problems.add(
      flags.standby !== undefined ? '--standby' : '--instance-start',
      'describes the passive region: add --passive',
    )
  return {
    ...(regions ? {regions} : {}),
    ...(replication ? {replication} : {}),
    ...(failover ? {failover} : {}),
    ...(serverless ? {serverless} : {}),
  }
}
