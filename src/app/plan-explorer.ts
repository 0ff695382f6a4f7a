/**
 * The plan explorer: one assumption changed per key (month, provider, family, redundancy, risk,
 * utilisation ceiling, pricing), the plan recomputed at once from inputs read and forecast
 * once, and `w` writing the plan as shown with the command line that prints it again.
 */
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {priceKindsIn} from '../core/catalog/catalog-lookup.js'
import {PROVIDERS, type PriceKind, type Provider} from '../core/catalog/providers.js'
import {parseRedundancy, type PlanOptions} from '../config/plan-options.js'
import {InputError} from '../contracts/errors.js'
import {percentOf} from '../contracts/format/range-text.js'
import type {ExplorerChoice, ExplorerFrame, ExplorerKey, ExplorerSetting} from '../contracts/results/explorer-frame.js'
import {computePlan, type ComputedPlan} from '../core/planning/compute-plan.js'
import {familyChoices} from '../core/planning/family-choice.js'
import type {PreparedPlan} from '../core/planning/prepared-plan.js'
import type {AppResult} from './app-result.js'
import {planFromPrepared, preparePlanRequest, writePlanFiles, type PlanOutput, type PlanRequest} from './plan.js'

const REDUNDANCIES = ['none', 'n+1', 'n+2', 'zones:2', 'zones:3']
/** The risks `b` steps through: from one month in a hundred to one in five. */
const RISKS = [0.01, 0.05, 0.1, 0.2]
const UTILIZATION_STEP = 0.05
/** The flags a choice sets: they replace the ones on the command line the explorer started from. */
const CHOICE_FLAGS = [
  '--provider',
  '--region',
  '--family',
  '--redundancy',
  '--risk',
  '--target-utilization',
  '--pricing',
]

const next = <T>(list: readonly T[], current: T, step = 1): T =>
  list[(list.indexOf(current) + step + list.length) % list.length] as T
const percent = (share: number) => `${percentOf(share)}%`

/** A shell word: quoted unless it is plainly safe. */
function shellWord(word: string): string {
  return /^[\w./:=%+,@-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`
}

/**
 * The command line that prints `choice`'s plan: the one the explorer started from, without the
 * flags a choice sets, then those flags with the choice's values.
 */
export function equivalentCommand(bin: string, argv: readonly string[], choice: ExplorerChoice): string {
  const kept: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    const name = arg.split('=')[0] as string
    if (!CHOICE_FLAGS.includes(name)) {
      kept.push(arg)
      continue
    }
    if (!arg.includes('=')) i++
  }
  const set = [
    '--provider',
    choice.provider,
    '--region',
    choice.region,
    '--family',
    choice.families.join(','),
    '--redundancy',
    choice.redundancy,
    '--risk',
    percent(choice.risk),
    '--target-utilization',
    percent(choice.targetUtilization),
    '--pricing',
    choice.pricing,
  ]
  return [bin, ...kept, ...set].map(shellWord).join(' ')
}

/**
 * `loadplan plan` as an explorer: the request's files read and its demand forecast once, the
 * starting plan computed (and written to --out/--html as `plan` would).
 */
export async function openPlanExplorer(
  request: PlanRequest,
  command: {bin: string; argv: readonly string[]},
): Promise<{explorer: PlanExplorer; warnings: string[]} | {plan: AppResult<PlanOutput>}> {
  const prepared = await preparePlanRequest(request)
  // The explorer recomputes one region; a plan across regions is printed as a table instead.
  if (prepared.options.regions) return {plan: planFromPrepared(prepared, request, 'table')}
  const explorer = new PlanExplorer(prepared, command)
  return {explorer, warnings: writePlanFiles(explorer.current().doc, 'table', request)}
}

export class PlanExplorer {
  private frame: ExplorerFrame
  private readonly start: ExplorerChoice
  private readonly startTotalUsd: number
  private readonly familiesByRegion = new Map<string, string[]>()

  /**
   * @param argv the command line after the binary (`plan …`), for the equivalent command
   * @throws InputError when the starting options cannot be planned
   */
  constructor(
    private readonly prepared: PreparedPlan,
    private readonly command: {bin: string; argv: readonly string[]},
  ) {
    const options = prepared.options
    const region = options.region ?? prepared.catalog.defaultRegions[options.provider]
    const began = performance.now()
    const computed = computePlan(prepared, options)
    this.start = {
      provider: options.provider,
      region,
      families: computed.families,
      redundancy: options.redundancyText,
      risk: options.risk,
      targetUtilization: options.targetUtilization,
      pricing: options.pricing,
    }
    this.startTotalUsd = computed.doc.plan.totals.totalUsd
    this.frame = this.frameOf(this.start, computed, 0, performance.now() - began)
  }

  current(): ExplorerFrame {
    return this.frame
  }

  /** The frame after `key`; a choice the catalog cannot plan keeps the plan and says why. */
  press(key: ExplorerKey): ExplorerFrame {
    const {choice, monthIndex, doc} = this.frame
    const months = doc.plan.months.length
    if (key === 'month-next' || key === 'month-previous') {
      this.frame = {
        ...this.frame,
        monthIndex: (monthIndex + (key === 'month-next' ? 1 : -1) + months) % months,
        changed: 'month',
        message: undefined,
      }
      return this.frame
    }
    if (key === 'pricing') {
      const kinds = priceKindsIn(this.prepared.catalog, choice.provider as Provider, choice.region)
      if (kinds.length < 2) {
        this.frame = {
          ...this.frame,
          message: `the catalog has ${kinds.join(', ')} prices only for ${choice.provider} ${choice.region}`,
          changed: undefined,
        }
        return this.frame
      }
      return this.recompute({...choice, pricing: next(kinds, choice.pricing as PriceKind)}, 'pricing')
    }
    const change = this.changeFor(key, choice)
    if (!change) return this.frame
    return this.recompute(change.choice, change.setting)
  }

  /** Writes the plan as shown (JSON and HTML) in `dir`, returns what it wrote and the command that prints it. */
  write(dir: string): {files: string[]; command: string; message: string} {
    let n = 1
    while (existsSync(join(dir, `plan-explored-${n}.json`)) || existsSync(join(dir, `plan-explored-${n}.html`))) n++
    const files = [join(dir, `plan-explored-${n}.json`), join(dir, `plan-explored-${n}.html`)]
    const failures = writePlanFiles(this.frame.doc, 'table', {out: files[0], html: files[1]})
    const command = `${equivalentCommand(this.command.bin, this.command.argv, this.frame.choice)} --json`
    const message =
      failures.length > 0 ? failures.join('; ') : `wrote ${files.join(' and ')}; the same plan: ${command}`
    this.frame = {...this.frame, message, changed: undefined}
    return {files: failures.length > 0 ? [] : files, command, message}
  }

  private changeFor(
    key: ExplorerKey,
    choice: ExplorerChoice,
  ): {choice: ExplorerChoice; setting?: ExplorerSetting} | undefined {
    switch (key) {
      case 'reset':
        return {choice: this.start}
      case 'provider': {
        const provider = next(PROVIDERS, choice.provider as Provider)
        const back = provider === this.start.provider
        // Back home: the starting region and families; elsewhere the provider's default region and the family chosen like the measured one.
        const region = back ? this.start.region : this.prepared.catalog.defaultRegions[provider]
        // A price kind the new provider lacks there falls back to on-demand.
        const pricing = priceKindsIn(this.prepared.catalog, provider, region).includes(choice.pricing as PriceKind)
          ? choice.pricing
          : 'on-demand'
        return {
          choice: {...choice, provider, region, families: back ? this.start.families : [], pricing},
          setting: 'provider',
        }
      }
      case 'family-next':
      case 'family-previous': {
        const list = this.familyList(choice)
        const at = list.indexOf(choice.families.join(','))
        const families = list[(at + (key === 'family-next' ? 1 : -1) + list.length) % list.length] as string
        return {choice: {...choice, families: families.split(',')}, setting: 'families'}
      }
      case 'redundancy': {
        const list = REDUNDANCIES.includes(this.start.redundancy)
          ? REDUNDANCIES
          : [...REDUNDANCIES, this.start.redundancy]
        return {choice: {...choice, redundancy: next(list, choice.redundancy)}, setting: 'redundancy'}
      }
      case 'risk': {
        const list = RISKS.includes(this.start.risk) ? RISKS : [...RISKS, this.start.risk].sort((a, b) => a - b)
        return {choice: {...choice, risk: next(list, choice.risk)}, setting: 'risk'}
      }
      case 'utilization-up':
      case 'utilization-down': {
        const step = key === 'utilization-up' ? UTILIZATION_STEP : -UTILIZATION_STEP
        const targetUtilization =
          Math.round(Math.min(1, Math.max(UTILIZATION_STEP, choice.targetUtilization + step)) * 100) / 100
        return targetUtilization === choice.targetUtilization
          ? undefined
          : {choice: {...choice, targetUtilization}, setting: 'targetUtilization'}
      }
      default:
        return undefined
    }
  }

  /** The families the family keys step through: the starting ones at home, then each family by price per request/s. */
  private familyList(choice: ExplorerChoice): string[] {
    const key = `${choice.provider}/${choice.region}`
    let list = this.familiesByRegion.get(key)
    if (!list) {
      const ranked = familyChoices(this.prepared, choice.provider as Provider, choice.region).map((c) => c.family)
      const home =
        choice.provider === this.start.provider && choice.region === this.start.region
          ? [this.start.families.join(',')]
          : []
      list = [...new Set([...home, ...ranked])]
      this.familiesByRegion.set(key, list)
    }
    return list.includes(choice.families.join(',')) ? list : [choice.families.join(','), ...list]
  }

  private recompute(choice: ExplorerChoice, setting: ExplorerSetting | undefined): ExplorerFrame {
    const began = performance.now()
    const options: PlanOptions = {
      ...this.prepared.options,
      provider: choice.provider as Provider,
      region: choice.region,
      families: choice.families.length > 0 ? choice.families : undefined,
      redundancy: parseRedundancy(choice.redundancy) as PlanOptions['redundancy'],
      redundancyText: choice.redundancy,
      risk: choice.risk,
      targetUtilization: choice.targetUtilization,
      pricing: choice.pricing as PriceKind,
    }
    try {
      const computed = computePlan(this.prepared, options)
      const chosen = {...choice, families: computed.families}
      this.frame = this.frameOf(
        chosen,
        computed,
        Math.min(this.frame.monthIndex, computed.doc.plan.months.length - 1),
        performance.now() - began,
        setting,
      )
    } catch (error) {
      if (!(error instanceof InputError)) throw error
      this.frame = {
        ...this.frame,
        message: `${choice.provider} ${choice.families.join(',')}: ${error.problems.map((p) => p.message).join('; ')}`,
        changed: undefined,
      }
    }
    return this.frame
  }

  private frameOf(
    choice: ExplorerChoice,
    computed: ComputedPlan,
    monthIndex: number,
    recomputeMs: number,
    changed?: ExplorerSetting,
  ): ExplorerFrame {
    const list = this.familyList(choice)
    return {
      doc: computed.doc,
      warnings: computed.warnings,
      choice,
      monthIndex,
      ...(changed ? {changed} : {}),
      startTotalUsd: this.startTotalUsd,
      familyPosition: {index: list.indexOf(choice.families.join(',')), count: list.length},
      recomputeMs,
    }
  }
}
