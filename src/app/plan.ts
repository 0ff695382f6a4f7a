/**
 * `loadplan plan`: demand (forecast of a history, or a stated growth) × the measured capacity of one
 * instance × the catalog → a monthly plan of instances and cost.
 */
import {dirname, isAbsolute, relative, resolve} from 'node:path'
import {findInstance} from '../core/catalog/catalog-lookup.js'
import {resolvePlanOptions, type PlanFlags, type PlanFormat, type PlanOptions} from '../config/plan-options.js'
import {EXIT, ProblemList} from '../contracts/errors.js'
import {loadCatalog} from '../adapters/io/load-catalog.js'
import {readCapacityFlag} from '../adapters/io/read-result-file.js'
import {renderPlanHtml} from '../report/plan-html.js'
import {renderPlanDocument} from '../report/plan-views.js'
import {type CapacityPlanDocument} from '../contracts/results/plan-document.js'
import type {CapacityResult} from '../contracts/results/capacity-result.js'
import {readCalibrationFlag} from '../adapters/io/read-calibration.js'
import {optionsIn} from '../core/planning/multi-region.js'
import {computePlanDocument} from '../core/planning/plan-variants.js'
import type {Demand, PreparedPlan} from '../core/planning/prepared-plan.js'
import {planBasis} from '../core/planning/plan-basis.js'
import {forecastDemand, growthDemand} from '../core/planning/demand-from-forecast.js'
import type {AppResult} from './app-result.js'
import type {Observation} from '../core/series/regularise.js'
import {checkOutputPaths, writeOutputFile} from './output-files.js'
import {readServiceFile} from './read-target.js'
export interface PlanRequest {
  /** A service file whose plan: section is read under the flags. */
  file?: string
  flags: PlanFlags
  catalog?: string
  /** --price-book: your own prices over the catalog's. */
  priceBook?: string
  out?: string
  html?: string
  nowMs: number
}

export interface PlanOutput {
  plan: CapacityPlanDocument
  format: PlanFormat
}

/** `loadplan plan` from its flags: the service file's plan: section under them, then the plan. */
export async function plan(request: PlanRequest): Promise<AppResult<PlanOutput>> {
  const problems = new ProblemList()
  return buildPlan(await planInput(request, problems), problems)
}

/** The request's files read and its demand forecast, for the explorer. */
export async function preparePlanRequest(request: PlanRequest): Promise<PreparedPlan> {
  const problems = new ProblemList()
  return preparePlan(await planInput(request, problems), problems)
}

/** The options of a request: its flags over its service file's plan: section. */
export async function planInput(request: PlanRequest, problems: ProblemList): Promise<PlanInput> {
  const serviceFile = request.file === undefined ? undefined : await readServiceFile(request.file)
  const options = resolvePlanOptions(
    request.flags,
    {section: serviceFile?.plan, service: serviceFile?.service},
    problems,
  )
  const {flags: _flags, file: _file, priceBook: bookFlag, ...rest} = request
  // The service file's book is relative to the file, as a user reading it would expect.
  const fromFile = serviceFile?.plan?.priceBook
  const priceBook =
    bookFlag !== undefined
      ? {path: bookFlag, field: '--price-book'}
      : fromFile !== undefined && request.file !== undefined
        ? {path: resolve(dirname(request.file), fromFile), field: 'plan.priceBook'}
        : undefined
  return {...rest, options, ...(priceBook ? {priceBook} : {})}
}

export interface PlanInput {
  options: PlanOptions
  /** A CapacityResult given in-process (the demo), instead of a file or a stated rate. */
  capacityResult?: CapacityResult
  catalog?: string
  priceBook?: {path: string; field: string}
  out?: string
  html?: string
  nowMs: number
}

/** A file as the plan names it: relative to the working folder when inside it (shorter, and the same in every clone), else whole. */
function shownPath(path: string): string {
  const inside = relative(process.cwd(), path)
  return inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : path
}

/** The history a demand is forecast from, read here (a recording through SQLite, which loads only then), and its name; none for a stated growth. */
export async function historyOf(
  demand: PlanOptions['demand'],
): Promise<{observations: Observation[]; source: string} | undefined> {
  if (demand.kind === 'growth') return undefined
  if (demand.kind === 'history') {
    const {readSeriesCsv} = await import('../adapters/io/read-series-csv.js')
    return {observations: readSeriesCsv(demand.path).observations, source: shownPath(demand.path)}
  }
  if (demand.kind === 'recording') {
    const {readRecordedMetric} = await import('../adapters/io/read-recording.js')
    return {
      observations: readRecordedMetric(demand.db, demand.metric),
      source: `${demand.metric} in ${shownPath(demand.db)}`,
    }
  }
  return {observations: demand.observations, source: demand.name ?? 'the given history'}
}

/** The demand per month: a stated growth, or a forecast of a history. */
async function demandOf(options: PlanOptions, nowMs: number): Promise<Demand> {
  const {demand, months} = options
  if (demand.kind === 'growth') return growthDemand(demand, months, nowMs)
  const history = (await historyOf(demand)) as {observations: Observation[]; source: string}
  return forecastDemand(history.observations, history.source, options, nowMs)
}

/** The plan for options already resolved (the demo builds them in code). */
export async function buildPlan(input: PlanInput, problems = new ProblemList()): Promise<AppResult<PlanOutput>> {
  return planFromPrepared(await preparePlan(input, problems), input)
}

/** The plan of prepared inputs (across regions when the options name several), its files written. */
export function planFromPrepared(
  prepared: PreparedPlan,
  files: {out?: string; html?: string},
  format: PlanFormat = prepared.options.format,
): AppResult<PlanOutput> {
  const {doc, warnings} = computePlanDocument(prepared, prepared.options)
  warnings.push(...writePlanFiles(doc, format, files))
  return {document: {plan: doc, format}, warnings, exitCode: EXIT.ok}
}

/** Writes --html and --out (JSON for the table format, else the text stdout gets); returns the failures. */
export function writePlanFiles(
  doc: CapacityPlanDocument,
  format: PlanFormat,
  files: {out?: string; html?: string},
): string[] {
  return [
    writeOutputFile(files.html, () => renderPlanHtml(doc)),
    writeOutputFile(files.out, () => renderPlanDocument(doc, format === 'table' ? 'json' : format)),
  ].filter((f) => f !== undefined)
}

/**
 * Reads and checks everything the options name (capacity, calibration, catalog, the measured
 * type, the families and tiers), every problem at once, then forecasts the demand.
 * @throws InputError listing every problem
 */
export async function preparePlan(input: PlanInput, problems = new ProblemList()): Promise<PreparedPlan> {
  const {options} = input
  checkOutputPaths(
    [
      ['--out', input.out],
      ['--html', input.html],
    ],
    problems,
  )

  // Capacity of one instance.
  const capacity =
    options.capacityFile !== undefined ? await readCapacityFlag(options.capacityFile, problems) : input.capacityResult
  const perInstance =
    options.perInstanceText !== undefined ? options.perInstanceRps : (capacity?.sustainableRatePerSec ?? undefined)
  if (options.perInstanceText !== undefined && !(perInstance && perInstance > 0))
    problems.add('--per-instance', 'expected a rate such as 450/s', options.perInstanceText)
  if (perInstance === undefined && options.perInstanceText === undefined)
    problems.add('--per-instance', 'give --capacity cap.json (with a sustainable rate) or --per-instance 450/s')
  problems.throwIfAny('Cannot plan:')

  let calibration = await readCalibrationFlag(options.calibrationFile, '--calibration', options.instanceType, problems)
  const catalog = await loadCatalog(input.catalog, input.priceBook)
  // The service's host: --calibration or --instance-type, else what the capacity result recorded.
  if (!calibration && options.instanceType === undefined && capacity?.serviceHost)
    calibration = capacity.serviceHost.calibration
  const measuredType = calibration ? undefined : (options.instanceType ?? capacity?.host.instanceType)
  // The measured type may be of another cloud than the plan's: capacity carries across through
  // the performance table, which measured all three the same way.
  const measuredRecord = measuredType
    ? (findInstance(catalog, measuredType, options.provider) ?? findInstance(catalog, measuredType))
    : undefined
  const vcpu =
    options.vcpus !== undefined ? options.vcpus : (measuredRecord?.vcpu ?? calibration?.cores ?? capacity?.host.vCpus)
  if (measuredType && !measuredRecord)
    problems.add('--instance-type', `not in the catalog (${options.provider} or another provider)`, measuredType)
  if (!(vcpu && vcpu > 0))
    problems.add('--vcpus', 'the measured instance size is unknown: give --instance-type or --vcpus')
  problems.throwIfAny('Cannot plan:')
  const prepared: PreparedPlan = {
    options,
    catalog,
    capacity,
    perInstance: perInstance as number,
    calibration,
    measuredRecord,
    vcpu: vcpu as number,
    demand: {months: [], assumption: '', warnings: []},
    nowMs: input.nowMs,
    sloSizers: new Map(),
    familyRankings: new Map(),
  }
  // Every region is checked now (priced, families, tiers), every problem at once.
  const places = options.regions ?? [
    {provider: options.provider, region: options.region},
    ...(options.failover ? [options.failover.passive] : []),
  ]
  for (const place of places) planBasis(prepared, optionsIn(options, place), problems)
  problems.throwIfAny('Cannot plan:')
  prepared.demand = await demandOf(options, input.nowMs)
  return prepared
}
