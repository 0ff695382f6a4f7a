/**
 * The rest of the bill from its flags and `plan.bill`: a load balancer, NAT traffic, traffic
 * between zones, a database standby and backups; each checked, every problem added to the list.
 * Pure.
 */
import type {ProblemList} from '../contracts/errors.js'
import {parseBytes, parseDurationMs, parseRatio} from '../contracts/parse/parse-units.js'
import type {BillOptions} from '../core/planning/bill-lines.js'
import type {PlanFlags} from './plan-options.js'
import type {PlanSection} from './plan-section-schema.js'

/** Defaults of the bill (part of PLAN_DEFAULTS, which `--help` prints). */
export const BILL_DEFAULTS = {
  /** Requests a client sends on one connection: keep-alive reuse of a typical API client, stated in the plan. */
  requestsPerConnection: 10,
  /** Daily snapshots for 30 days, 2 % of the data changing a day: a common retention, a modest churn. */
  backups: '30d@2%',
} as const

const DAY_MS = 86_400_000

/** A size per request, up to 1 GiB. */
function bytesPerRequest(text: string | number, field: string, problems: ProblemList): number | undefined {
  const bytes = typeof text === 'number' ? text : parseBytes(text)
  if (!(bytes !== undefined && bytes >= 0 && bytes <= 2 ** 30)) {
    problems.add(field, 'expected bytes per request up to 1GiB, e.g. 2kB', String(text))
    return undefined
  }
  return bytes
}

/** `30d@2%`: retention @ the share of the data that changes a day. */
function parseBackups(text: string, field: string, problems: ProblemList): BillOptions['backups'] {
  const [retention = '', change = BILL_DEFAULTS.backups.split('@')[1] as string] = text.split('@')
  const retentionMs = parseDurationMs(retention)
  const dailyChange = parseRatio(change)
  const retentionDays = retentionMs === undefined ? undefined : retentionMs / DAY_MS
  if (!(retentionDays !== undefined && Number.isInteger(retentionDays) && retentionDays >= 1 && retentionDays <= 3650))
    problems.add(field, 'expected whole days of retention from 1d to 3650d, e.g. 30d@2%', text)
  if (!(dailyChange !== undefined && dailyChange >= 0 && dailyChange <= 1))
    problems.add(field, 'expected the share of the data that changes a day, 0 to 100 %, after @, e.g. 30d@2%', text)
  return retentionDays !== undefined && dailyChange !== undefined ? {retentionDays, dailyChange} : undefined
}

/** The bill from the flags over `plan.bill`; undefined when neither asks for a line. */
export function resolveBillOptions(
  flags: PlanFlags,
  section: PlanSection,
  problems: ProblemList,
): BillOptions | undefined {
  const file = section.bill ?? {}
  const bill: BillOptions = {}
  const lbGiven = flags.loadBalancer === true || (file.loadBalancer !== undefined && file.loadBalancer !== false)
  if (lbGiven) {
    const perConnection =
      (typeof file.loadBalancer === 'object' ? file.loadBalancer.requestsPerConnection : undefined) ??
      BILL_DEFAULTS.requestsPerConnection
    if (!(perConnection >= 1 && perConnection <= 1e6))
      problems.add('plan.bill.loadBalancer.requestsPerConnection', 'expected 1 to 1000000', perConnection)
    bill.loadBalancer = {requestsPerConnection: perConnection}
  }
  const natText = flags.nat ?? file.nat
  if (natText !== undefined) {
    const bytes = bytesPerRequest(natText, flags.nat !== undefined ? '--nat' : 'plan.bill.nat', problems)
    if (bytes !== undefined) bill.natBytesPerRequest = bytes
  }
  const crossZoneText = flags.crossZone ?? file.crossZone
  if (crossZoneText !== undefined) {
    const field = flags.crossZone !== undefined ? '--cross-zone' : 'plan.bill.crossZone'
    const bytes = bytesPerRequest(crossZoneText, field, problems)
    if (bytes !== undefined) bill.crossZoneBytesPerRequest = bytes
  }
  if (flags.dbStandby === true || file.databaseStandby === true) {
    if (!section.tiers?.database)
      problems.add(
        flags.dbStandby === true ? '--db-standby' : 'plan.bill.databaseStandby',
        'keeps a standby of the database tier: describe it in plan.tiers.database',
      )
    bill.databaseStandby = true
  }
  const backupsText = flags.backups ?? file.backups
  if (backupsText !== undefined) {
    const backups = parseBackups(backupsText, flags.backups !== undefined ? '--backups' : 'plan.bill.backups', problems)
    if (backups) bill.backups = backups
    if (flags.storageGb === undefined && section.storage === undefined && !section.tiers?.database)
      problems.add(
        flags.backups !== undefined ? '--backups' : 'plan.bill.backups',
        'backs up the data: give --storage-gb (plan.storage) or plan.tiers.database too',
        backupsText,
      )
  }
  return Object.keys(bill).length > 0 ? bill : undefined
}
