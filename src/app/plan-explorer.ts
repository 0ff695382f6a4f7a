/**
 * The plan explorer: one assumption changed per key (month, provider, family, redundancy, risk,
 * utilisation ceiling, pricing), the plan recomputed at once from inputs read and forecast
 * once, and `w` writing the plan as shown with the command line that prints it again.
 */
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {priceKindsIn, pricedRegions} from '../core/catalog/catalog-lookup.js'
import {PROVIDERS, type PriceKind, type Provider} from '../core/catalog/providers.js'
import {parseRedundancy, type PlanOptions} from '../config/plan-options.js'
import {InputError} from '../contracts/errors.js'
import {percentOf} from '../contracts/format/range-text.js'
import type {ExplorerChoice, ExplorerFrame, ExplorerKey, ExplorerSetting} from '../contracts/results/explorer-frame.js'
import type {ComputedPlan} from '../core/planning/compute-plan.js'
import {leadRegion, type RegionShare} from '../core/planning/multi-region.js'
import {computePlanDocument} from '../core/planning/plan-variants.js'
import {familyChoices} from '../core/planning/family-choice.js'
import type {PreparedPlan} from '../core/planning/prepared-plan.js'
import {preparePlanRequest, writePlanFiles, type PlanRequest} from './plan.js'

const REDUNDANCIES = ['none', 'n+1', 'n+2', 'zones:2', 'zones:3']
/** The risks `b` steps through: from one month in a hundred to one in five. */
const RISKS = [0.01, 0.05, 0.1, 0.2]
const UTILIZATION_STEP = 0.05
/** The flags a choice sets: they replace the ones on the command line the explorer started from. */
const CHOICE_FLAGS = [
  '--provider',
  '--region',
  '--regions',
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
  const place = choice.regions
    ? ['--regions', choice.regions.map((r) => `${r.provider}:${r.region}=${percent(r.share)}`).join(',')]
    : ['--provider', choice.provider, '--region', choice.region]
  const set = [
    ...place,
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
): Promise<{explorer: PlanExplorer; warnings: string[]}> {
  const prepared = await preparePlanRequest(request)
  const explorer = new PlanExplorer(prepared, command)
  return {explorer, warnings: writePlanFiles(explorer.plan().doc, 'table', request)}
}

/** A choice's whole total: every region's with replication, or the one region's. */
const totalOf = (computed: ComputedPlan) => computed.doc.regions?.totals.totalUsd ?? computed.doc.plan.totals.totalUsd

export class PlanExplorer {
  private frame: ExplorerFrame
  private readonly start: ExplorerChoice
  private readonly startTotalUsd: number
  private readonly familiesByRegion = new Map<string, string[]>()
  /** The last plan computed, every region of it (the frame shows one). */
  private full: ComputedPlan

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
    const computed = computePlanDocument(prepared, options)
    this.full = computed
    this.start = {
      provider: options.provider,
      region,
      families: computed.families,
      redundancy: options.redundancyText,
      risk: options.risk,
      targetUtilization: options.targetUtilization,
      pricing: options.pricing,
      ...(options.regions ? {regions: options.regions} : {}),
    }
    this.startTotalUsd = totalOf(computed)
    this.frame = this.frameOf(this.start, computed, 0, performance.now() - began)
  }

  current(): ExplorerFrame {
    return this.frame
  }

  /** The plan as computed for the current choice: every region of it. */
  plan(): ComputedPlan {
    return this.full
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
    if (key === 'region' && choice.regions && this.frame.regions) {
      // Across regions: show the next one; nothing to recompute.
      const shown = (this.frame.regions.shown + 1) % this.frame.regions.list.length
      this.frame = {...this.frameOf(choice, this.full, monthIndex, this.frame.recomputeMs, 'region', shown)}
      return this.frame
    }
    const change = this.changeFor(key, choice)
    if (!change) return this.frame
    if ('message' in change) {
      this.frame = {...this.frame, message: change.message, changed: undefined}
      return this.frame
    }
    return this.recompute(change.choice, change.setting)
  }

  /** Writes the plan as shown (JSON and HTML) in `dir`, returns what it wrote and the command that prints it. */
  write(dir: string): {files: string[]; command: string; message: string} {
    let n = 1
    while (existsSync(join(dir, `plan-explored-${n}.json`)) || existsSync(join(dir, `plan-explored-${n}.html`))) n++
    const files = [join(dir, `plan-explored-${n}.json`), join(dir, `plan-explored-${n}.html`)]
    const failures = writePlanFiles(this.full.doc, 'table', {out: files[0], html: files[1]})
    const command = `${equivalentCommand(this.command.bin, this.command.argv, this.frame.choice)} --json`
    const message =
      failures.length > 0 ? failures.join('; ') : `wrote ${files.join(' and ')}; the same plan: ${command}`
    this.frame = {...this.frame, message, changed: undefined}
    return {files: failures.length > 0 ? [] : files, command, message}
  }

  /** The regions that price at least one type of the chosen families (any type when none is chosen). */
  private regionsFor(choice: ExplorerChoice): string[] {
    const provider = choice.provider as Provider
    const mine = this.prepared.catalog.instances.filter(
      (i) => i.provider === provider && (choice.families.length === 0 || choice.families.includes(i.family)),
    )
    return pricedRegions(this.prepared.catalog, provider).filter((region) =>
      mine.some((i) => i.priceUsdPerHour[region] !== undefined),
    )
  }

  private changeFor(
    key: ExplorerKey,
    choice: ExplorerChoice,
  ): {choice: ExplorerChoice; setting?: ExplorerSetting} | {message: string} | undefined {
    switch (key) {
      case 'reset':
        return {choice: this.start}
      case 'region': {
        const regions = this.regionsFor(choice)
        if (regions.length < 2) return {message: `the catalog prices ${choice.provider} in ${regions.join(', ')} only`}
        const region = next(regions, choice.region)
        const pricing = priceKindsIn(this.prepared.catalog, choice.provider as Provider, region).includes(
          choice.pricing as PriceKind,
        )
          ? choice.pricing
          : 'on-demand'
        return {choice: {...choice, region, pricing}, setting: 'region'}
      }
      case 'architecture': {
        if (choice.regions) {
          const {regions: _regions, ...one} = choice
          return {choice: one, setting: 'regions'}
        }
        // Active-active: the regions the plan started with, else this region and the next one that
        // prices the plan's families (us-east-1 → us-east-2), half each.
        const priced = this.regionsFor(choice)
        const second = priced.length > 1 ? next(priced, choice.region) : undefined
        const regions =
          this.start.regions ??
          (second !== undefined && second !== choice.region
            ? [
                {provider: choice.provider, region: choice.region, share: 0.5},
                {provider: choice.provider, region: second, share: 0.5},
              ]
            : undefined)
        if (!regions)
          return {
            message: `the catalog prices ${choice.provider} in ${choice.region} only: a second region needs a price book (--price-book)`,
          }
        return {choice: {...choice, regions}, setting: 'regions'}
      }
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
    if (choice.regions) {
      options.regions = choice.regions as RegionShare[]
      const lead = leadRegion(choice.regions)
      options.provider = lead.provider as Provider
      options.region = lead.region
      delete options.failover
    } else delete options.regions
    try {
      const computed = computePlanDocument(this.prepared, options)
      this.full = computed
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
    shown = 0,
  ): ExplorerFrame {
    const section = computed.doc.regions
    const shownRegion = section?.regions[shown]
    // Across regions the frame shows one region's plan; provider and region name it.
    const shownChoice = shownRegion ? {...choice, provider: shownRegion.provider, region: shownRegion.region} : choice
    const list = this.familyList(shownChoice)
    return {
      doc: shownRegion?.plan ?? computed.doc,
      warnings: computed.warnings,
      choice: shownChoice,
      monthIndex,
      ...(changed ? {changed} : {}),
      startTotalUsd: this.startTotalUsd,
      familyPosition: {index: list.indexOf(choice.families.join(',')), count: list.length},
      recomputeMs,
      ...(section
        ? {
            regions: {
              shown,
              totalUsd: section.totals.totalUsd,
              list: section.regions.map((r, i) => ({
                name: `${r.provider} ${r.region}${r.role === 'passive' ? ' (passive)' : ''}`,
                share: r.share,
                sizedShare: r.sizedShare,
                fleet: section.months[monthIndex]?.byRegion[i]?.fleet ?? '',
                totalUsd: section.totals.byRegionUsd[i] ?? 0,
              })),
            },
          }
        : {}),
    }
  }
}
