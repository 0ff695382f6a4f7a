/**
 * Your own prices over the shipped catalog (issue 30): what an enterprise pays (an EDP or MACC
 * discount, a negotiated rate, a savings-plan or reservation rate) and the commitment prices no
 * public source carries. A book is a list of rules:
 *
 *   {provider, region (or *), match (a type, a family, or *), kind, discount | priceUsdPerHour, note?}
 *
 * A discount is taken off the type's on-demand list price in that region (a 1-year savings plan
 * at 28 % off is `kind: 1yr, discount: 28%`); a price replaces it, and for a named region it
 * also prices a type the catalog has no price for there (AWS outside us-east-1). Where several rules reach one
 * type, region and kind, the most specific wins: a type before a family before `*`, then a named
 * region before `*`; two equally specific rules for the same price are an error, as is a rule that
 * reaches no priced type. Pure: records in, a catalog (and every problem) out.
 */
import {z} from 'zod'
import type {Problem} from '../../contracts/errors.js'
import {problemsFromZod} from '../../contracts/errors.js'
import type {Catalog, CatalogInstance} from './catalog-schema.js'
import {PRICE_KINDS, PROVIDERS, type PriceKind} from './providers.js'

/** "15%", "15 %", 0.15 or 15 (read as percent when above 1): a share off the list price. */
const discount = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const text = String(value).trim()
  const percent = text.endsWith('%')
  const number = Number(percent ? text.slice(0, -1).trim() : text)
  const share = percent || number > 1 ? number / 100 : number
  if (!Number.isFinite(number) || share <= 0 || share >= 1) {
    ctx.addIssue({code: 'custom', message: 'expected a discount between 0 and 100 %, e.g. 15%'})
    return z.NEVER
  }
  return share
})

const ruleSchema = z
  .strictObject({
    provider: z.enum(PROVIDERS, {error: `expected one of ${PROVIDERS.join(', ')}`}),
    region: z.string().trim().min(1, 'expected a region, or * for every region'),
    match: z.string().trim().min(1, 'expected a type (m7g.large), a family (m7g) or * for every type'),
    kind: z.enum(PRICE_KINDS, {error: `expected one of ${PRICE_KINDS.join(', ')}`}),
    discount: discount.optional(),
    priceUsdPerHour: z.coerce.number().positive('expected a price per hour above 0, in USD').optional(),
    note: z.string().optional(),
  })
  .refine((rule) => (rule.discount === undefined) !== (rule.priceUsdPerHour === undefined), {
    message: 'give either discount (off the on-demand list price) or priceUsdPerHour, not both or neither',
  })

/** The book's shape; each rule is checked on its own (ruleSchema), so one bad rule hides no other problem. */
const bookSchema = z.strictObject({prices: z.array(z.unknown()).min(1, 'expected at least one price')})
export type PriceRule = z.infer<typeof ruleSchema>

const RULE_KEYS = 'provider, region, match, kind, discount, priceUsdPerHour, note'

/** How specific a rule is for an instance: higher wins; undefined: it does not reach it. */
function specificity(rule: PriceRule, instance: CatalogInstance): number | undefined {
  if (rule.provider !== instance.provider) return undefined
  const match = rule.match.toLowerCase()
  if (match === instance.type.toLowerCase()) return 2
  if (match === instance.family.toLowerCase()) return 1
  return match === '*' ? 0 : undefined
}

/** One line of the plan's assumptions for a rule. */
export function describeRule(rule: PriceRule, index: number): string {
  const what = rule.match === '*' ? `every ${rule.provider} type` : `${rule.provider} ${rule.match}`
  const where = rule.region === '*' ? 'every region' : rule.region
  const price =
    rule.discount !== undefined
      ? `${Number((rule.discount * 100).toFixed(4))} % off the on-demand list price`
      : `$${rule.priceUsdPerHour} per hour`
  return `rule ${index + 1}: ${what} in ${where}, ${rule.kind} at ${price}${rule.note ? ` (${rule.note})` : ''}`
}

export interface PriceBookResult {
  catalog: Catalog
  problems: Problem[]
}

/**
 * Checks the records of a book (as read from YAML or CSV) and applies them over the catalog.
 * @param field how problems name the book, e.g. `--price-book` or `plan.priceBook`
 * @param label what the catalog's assumptions call the book (its file name)
 */
export function applyPriceBook(catalog: Catalog, records: unknown, field: string, label: string): PriceBookResult {
  const book = bookSchema.safeParse(records)
  if (!book.success) return {catalog, problems: problemsFromZod(book.error.issues, records, `${field} `)}
  const problems: Problem[] = []
  const rules: PriceRule[] = []
  // Problems name the rule by its place in the book; the rules that pass are still applied, so a
  // typo in one rule and a rule that reaches nothing are reported together.
  const places: number[] = []
  for (const [place, record] of book.data.prices.entries()) {
    const rule = ruleSchema.safeParse(record)
    if (rule.success) {
      rules.push(rule.data)
      places.push(place)
    } else
      problems.push(
        ...problemsFromZod(rule.error.issues, record, `${field} prices[${place}].`, () => RULE_KEYS).map((p) => ({
          ...p,
          field: p.field.replace(/\.$/, ''),
        })),
      )
  }
  const reached = rules.map(() => 0)
  const described = rules.map((r, i) => describeRule(r, places[i] as number))
  // A tie is reported once per pair of rules and kind, with the first type and region it meets.
  const ties = new Set<string>()
  const instances = catalog.instances.map((instance) => {
    const listPrices = instance.priceUsdPerHour
    // A set price may open a region the catalog does not price (AWS outside us-east-1); a
    // discount needs the list price it is taken off.
    const regions = [
      ...new Set([
        ...Object.keys(listPrices),
        ...rules
          .filter((r) => r.priceUsdPerHour !== undefined && r.region !== '*' && specificity(r, instance) !== undefined)
          .map((r) => r.region),
      ]),
    ]
    let prices: {[kind in PriceKind]?: Record<string, number>} | undefined
    let origins: Record<string, string> | undefined
    for (const kind of PRICE_KINDS)
      for (const region of regions) {
        let best: {index: number; score: number} | undefined
        for (const [index, rule] of rules.entries()) {
          if (rule.kind !== kind || (rule.region !== '*' && rule.region !== region)) continue
          if (rule.discount !== undefined && listPrices[region] === undefined) continue
          const level = specificity(rule, instance)
          if (level === undefined) continue
          const score = level * 2 + (rule.region === '*' ? 0 : 1)
          if (best && best.score === score) {
            // Reported as a tie, not also as reaching nothing.
            reached[index] = (reached[index] as number) + 1
            const tie = `${index}/${best.index}/${kind}`
            if (!ties.has(tie)) {
              ties.add(tie)
              problems.push({
                field: `${field} prices[${places[index]}]`,
                message: `sets the same ${kind} price of ${instance.type} in ${region} as prices[${places[best.index]}], as specifically: keep one`,
              })
            }
          }
          if (!best || score > best.score) best = {index, score}
        }
        if (!best) continue
        const rule = rules[best.index] as PriceRule
        reached[best.index] = (reached[best.index] as number) + 1
        const price = rule.priceUsdPerHour ?? (listPrices[region] as number) * (1 - (rule.discount as number))
        prices ??= {}
        ;(prices[kind] ??= {})[region] = price
        origins ??= {}
        origins[`${kind} ${region}`] = `${label} ${described[best.index]}`
      }
    if (!prices) return instance
    const {'on-demand': onDemand, ...others} = prices
    const otherPrices = {...instance.otherPricesUsdPerHour}
    for (const [kind, byRegion] of Object.entries(others) as Array<
      [Exclude<PriceKind, 'on-demand'>, Record<string, number>]
    >)
      otherPrices[kind] = {...otherPrices[kind], ...byRegion}
    return {
      ...instance,
      priceUsdPerHour: {...listPrices, ...onDemand},
      ...(Object.keys(otherPrices).length > 0 ? {otherPricesUsdPerHour: otherPrices} : {}),
      priceOrigins: {...instance.priceOrigins, ...origins},
    }
  })
  for (const [index, rule] of rules.entries())
    if (reached[index] === 0)
      problems.push({
        field: `${field} prices[${places[index]}]`,
        value: rule.match,
        message: `reaches no ${rule.provider} type priced in ${rule.region === '*' ? 'any region' : rule.region} (or a more specific rule covers all it reaches): check the type, family and region (loadplan catalog list --provider ${rule.provider})`,
      })
  return {catalog: {...catalog, instances, priceBook: {label, rules: described}}, problems}
}
