/** The types, capacities and prices one choice of provider, region and families plans with. */
import {candidatesFor, filterInstances, priceKindsIn, priceOf, pricedRegions} from '../catalog/catalog-lookup.js'
import {ProblemList} from '../../contracts/errors.js'
import {type PlanCandidate} from './capacity-plan.js'
import {type Translation, type TypePerformance} from './translate-capacity.js'
import type {Tiers} from './tiers.js'
import type {PlanOptions} from './plan-settings.js'
import {sizingPriceKind, type PriceKind} from '../catalog/providers.js'
import {parseTiers} from './plan-tiers.js'
import {chooseFamilies, PLANNED_CLASSES, tooSmallForNode, translateAll} from './family-choice.js'
import type {PreparedPlan} from './prepared-plan.js'

/** The types, capacities and prices one choice of provider, region and families plans with. */
export interface PlanBasis {
  region: string
  families: string[]
  /** How the families were chosen, when the user did not name them. */
  familyNote?: string
  measuredOn: TypePerformance
  candidates: PlanCandidate[]
  tooSmall: PlanCandidate[]
  translations: Map<string, Translation>
  perInstanceRps: Record<string, number>
  replacedWeb: string[]
  tiers: {tiers: Tiers; moved: string[]} | undefined
}

/** The candidates and capacities of one choice; adds what is wrong with it to `problems`. */
export function planBasis(prepared: PreparedPlan, options: PlanOptions, problems: ProblemList): PlanBasis {
  const {catalog, measuredRecord} = prepared
  const {provider} = options
  const region = options.region ?? catalog.defaultRegions[provider]
  const tiers = parseTiers(options.tiers, catalog, provider, region, problems)
  const {families, note} = chooseFamilies(prepared, options, region)
  if (families.length === 0)
    problems.add(
      '--family',
      'give the families to plan with, e.g. --family c7g,m7g (or --instance-type, whose family is the default)',
    )
  // Burstable types are left out: their sustained CPU is a fraction of their vCPUs (the credit
  // model), so a capacity measured at full speed would overstate them.
  const priced =
    families.length === 0
      ? []
      : candidatesFor(catalog, {provider, region, vcpu: 1, memoryGiB: 0, families, classes: PLANNED_CLASSES})
  const memoryNeedGiB = (options.memoryPerInstanceGiB ?? 0) + options.reservedMemoryGiB
  const tooSmall = priced
    .filter((c) => tooSmallForNode(c.instance, options))
    .map((c) => ({instance: c.instance, priceUsdPerHour: c.priceUsdPerHour}))
  const kinds = priceKindsIn(catalog, provider, region)
  if (kinds.length === 0)
    problems.add(
      '--region',
      `the catalog has no ${provider} prices in ${region}; it prices ${pricedRegions(catalog, provider).join(', ')} (a price book can price ${region}: --price-book)`,
      region,
    )
  // A mix sizes on on-demand prices and needs the 1-year price of the type it commits to.
  const pricing = sizingPriceKind(options.pricing)
  const needed: PriceKind = options.pricing === 'mix' ? '1yr' : options.pricing
  if (kinds.length > 0 && !kinds.includes(needed))
    problems.add(
      '--pricing',
      `the catalog has no ${needed} prices for ${provider} ${region}${options.pricing === 'mix' ? ', which a mix commits at' : ''} (it has ${kinds.join(', ')}; a price book can add them: --price-book)`,
      options.pricing,
    )
  // A commitment plans with the types that have its price; spot falls back to on-demand for spares of types without one.
  const kindPrice = (c: (typeof priced)[number]) =>
    pricing === 'on-demand'
      ? undefined
      : (priceOf(c.instance, region, pricing) ?? (pricing === 'spot' ? c.priceUsdPerHour : undefined))
  const candidates = priced
    .filter((c) => !tooSmallForNode(c.instance, options) && (pricing === 'on-demand' || kindPrice(c) !== undefined))
    .map((c) => ({
      instance: c.instance,
      priceUsdPerHour: c.priceUsdPerHour,
      ...(pricing === 'on-demand' ? {} : {pricedUsdPerHour: kindPrice(c) as number}),
    }))
  if (candidates.length === 0 && families.length > 0 && kinds.includes(needed)) {
    const known = filterInstances(catalog, {provider, families})
    const burstable = known.length > 0 && known.every((i) => i.class === 'burstable')
    const message = burstable
      ? `${families.join(', ')} ${families.length === 1 ? 'is' : 'are'} burstable: plans leave burstable types out (their sustained CPU is a fraction of their vCPUs); choose a general, compute or memory family`
      : tooSmall.length > 0
        ? `no ${families.join(', ')} type has ${memoryNeedGiB} GiB of memory (${options.memoryPerInstanceGiB ?? 0} GiB per instance + ${options.reservedMemoryGiB} GiB reserved)`
        : known.length > 0
          ? `no ${families.join(', ')} type has a price in ${region}`
          : `no such family in the ${provider} catalog${measuredRecord && measuredRecord.provider !== provider ? ` (the measured ${measuredRecord.type} is ${measuredRecord.provider}: name ${provider} families)` : ''}`
    problems.add('--family', message, families.join(','))
  }
  const {measuredOn, translations, perInstanceRps, replacedWeb} = translateAll(
    prepared,
    options,
    candidates.map((c) => c.instance),
  )
  return {
    region,
    families,
    ...(note ? {familyNote: note} : {}),
    measuredOn,
    candidates,
    tooSmall,
    translations,
    perInstanceRps,
    replacedWeb,
    tiers,
  }
}
