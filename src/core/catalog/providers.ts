/** The clouds, instance classes and month length the catalog knows: plain constants (no schema
 * library), so that validating flags does not load the catalog's schema. */

export const PROVIDERS = ['aws', 'gcp', 'azure'] as const
export type Provider = (typeof PROVIDERS)[number]

export const INSTANCE_CLASSES = ['general', 'compute', 'memory', 'burstable', 'storage', 'accelerated'] as const
export type InstanceClass = (typeof INSTANCE_CLASSES)[number]

/** What a price is for: on-demand, a 1- or 3-year commitment (committed use, reservation), or spot. */
export const PRICE_KINDS = ['on-demand', '1yr', '3yr', 'spot'] as const
export type PriceKind = (typeof PRICE_KINDS)[number]
/** What a plan buys: one kind of price for the fleet, or a mix (a committed baseline, on-demand above, spot spares). */
export const PRICING_CHOICES = [...PRICE_KINDS, 'mix'] as const
export type PricingChoice = (typeof PRICING_CHOICES)[number]

/** The prices a choice sizes the fleet on: a mix sizes on on-demand, then buys part of it committed. */
export function sizingPriceKind(choice: PricingChoice): PriceKind {
  return choice === 'mix' ? 'on-demand' : choice
}

/** Monthly cost = hourly price × 730 h (the infracost convention). */
export const HOURS_PER_MONTH = 730
