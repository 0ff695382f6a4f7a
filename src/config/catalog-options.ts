/** `loadplan catalog list` options: every filter checked at once. Pure. */
import {INSTANCE_CLASSES, PROVIDERS, type InstanceClass, type Provider} from '../core/catalog/providers.js'
import {ProblemList} from '../contracts/errors.js'

export interface CatalogListFlags {
  provider?: string
  family?: string[]
  class?: string[]
  arch?: string
  minVcpu?: string
  minMemory?: string
  region?: string
  allGenerations: boolean
  sort: string
  limit?: string
}

export interface CatalogListOptions {
  provider?: Provider
  families: string[]
  classes: InstanceClass[]
  arch?: 'x86_64' | 'arm64'
  minVcpu?: number
  minMemoryGiB?: number
  region?: string
  allGenerations: boolean
  sort: 'price' | 'vcpu' | 'memory' | 'type'
  limit?: number
}

/** @throws InputError listing every problem */
export function resolveCatalogListOptions(input: CatalogListFlags): CatalogListOptions {
  const problems = new ProblemList()
  const number = (flag: string, text: string | undefined) => {
    if (text === undefined) return undefined
    const value = Number(text)
    if (!(value >= 0)) problems.add(flag, 'expected a number ≥ 0', text)
    return value
  }
  if (input.provider !== undefined && !(PROVIDERS as readonly string[]).includes(input.provider))
    problems.add('--provider', `expected one of ${PROVIDERS.join(', ')}`, input.provider)
  const classes = (input.class ?? []).flatMap((c) => c.split(','))
  for (const c of classes)
    if (!(INSTANCE_CLASSES as readonly string[]).includes(c))
      problems.add('--class', `expected one of ${INSTANCE_CLASSES.join(', ')}`, c)
  if (input.arch !== undefined && input.arch !== 'x86_64' && input.arch !== 'arm64')
    problems.add('--arch', 'expected x86_64 or arm64', input.arch)
  if (!['price', 'vcpu', 'memory', 'type'].includes(input.sort))
    problems.add('--sort', 'expected price, vcpu, memory or type', input.sort)
  const minVcpu = number('--min-vcpu', input.minVcpu)
  const minMemoryGiB = number('--min-memory', input.minMemory)
  const limit = number('--limit', input.limit)
  problems.throwIfAny('Cannot list the catalog:')
  return {
    provider: input.provider as Provider | undefined,
    families: (input.family ?? []).flatMap((f) => f.split(',')),
    classes: classes as InstanceClass[],
    arch: input.arch as CatalogListOptions['arch'],
    minVcpu,
    minMemoryGiB,
    region: input.region,
    allGenerations: input.allGenerations,
    sort: input.sort as CatalogListOptions['sort'],
    limit,
  }
}
