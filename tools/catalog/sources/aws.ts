/**
 * AWS from aws/karpenter-provider-aws: hourly prices from the generated Go price map
 * (`pkg/providers/pricing/zz_generated.pricing_aws.go`: Linux, shared tenancy, on-demand) and
 * sizes from the generated instance-type reference (`website/content/en/preview/reference/instance-types.md`).
 */
import type {InstanceClass} from '../../../src/core/catalog/providers.js'

/** `{region: {type: usdPerHour}}` from the Go source. */
export function parseKarpenterAwsPrices(goSource: string): Record<string, Record<string, number>> {
  const prices: Record<string, Record<string, number>> = {}
  let region: string | undefined
  for (const line of goSource.split('\n')) {
    const regionMatch = /^\t"([a-z]{2}(?:-[a-z]+)+-\d)": \{/.exec(line)
    if (regionMatch) {
      region = regionMatch[1] as string
      prices[region] = {}
      continue
    }
    if (!region) continue
    for (const m of line.matchAll(/"([a-z0-9-]+\.[a-z0-9-]+)": ([0-9.]+)/g)) {
      const price = Number(m[2])
      if (price > 0) (prices[region] as Record<string, number>)[m[1] as string] = price
    }
  }
  return prices
}

/** The generation timestamp the Go source states, e.g. `2026-07-20T13:44:30Z`. */
export function awsPricesGeneratedAt(goSource: string): string | undefined {
  return /generated at (\S+)/.exec(goSource)?.[1]
}

export interface AwsTypeSpec {
  type: string
  family: string
  category: string
  generation: number
  vcpu: number
  memoryGiB: number
  networkGbps: number | undefined
  arch: 'x86_64' | 'arm64'
  accelerated: boolean
}

/** Per-type labels from the instance-type reference page. */
export function parseKarpenterAwsTypes(markdown: string): AwsTypeSpec[] {
  const specs: AwsTypeSpec[] = []
  for (const section of markdown.split(/\n### `/).slice(1)) {
    const type = section.slice(0, section.indexOf('`'))
    const labels: Record<string, string> = {}
    for (const m of section.matchAll(
      /\|karpenter\.k8s\.aws\/instance-([a-z-]+)\|([^|]*)\||\|kubernetes\.io\/arch\|([^|]*)\|/g,
    )) {
      if (m[3] !== undefined) labels.arch = m[3]
      else labels[m[1] as string] = m[2] as string
    }
    const vcpu = Number(labels.cpu)
    const memoryMiB = Number(labels.memory)
    if (!type || !(vcpu > 0) || !(memoryMiB > 0)) continue
    const networkMbps = Number(labels['network-bandwidth'])
    specs.push({
      type,
      family: labels.family ?? type.split('.')[0] ?? type,
      category: labels.category ?? '',
      generation: Number(labels.generation ?? 0),
      vcpu,
      memoryGiB: memoryMiB / 1024,
      networkGbps: networkMbps > 0 ? networkMbps / 1000 : undefined,
      arch: labels.arch === 'arm64' ? 'arm64' : 'x86_64',
      accelerated: Number(labels['gpu-count'] ?? 0) > 0 || Number(labels['accelerator-count'] ?? 0) > 0,
    })
  }
  return specs
}

const CATEGORY_CLASS: Record<string, InstanceClass> = {
  m: 'general',
  a: 'general',
  c: 'compute',
  hpc: 'compute',
  r: 'memory',
  x: 'memory',
  z: 'memory',
  u: 'memory',
  t: 'burstable',
  i: 'storage',
  im: 'storage',
  is: 'storage',
  d: 'storage',
  h: 'storage',
  g: 'accelerated',
  gr: 'accelerated',
  p: 'accelerated',
  inf: 'accelerated',
  trn: 'accelerated',
  dl: 'accelerated',
  f: 'accelerated',
  vt: 'accelerated',
}

export function awsClass(spec: AwsTypeSpec): InstanceClass | undefined {
  return spec.accelerated ? 'accelerated' : CATEGORY_CLASS[spec.category]
}

/**
 * AWS's previous generations: m/c/r before 5, t before 3, the rest before 2 (a1 is general
 * purpose Graviton 1, superseded).
 */
export function awsCurrentGeneration(spec: AwsTypeSpec): boolean {
  if (spec.family === 'a1') return false
  if (['m', 'c', 'r'].includes(spec.category)) return spec.generation >= 5
  if (spec.category === 't') return spec.generation >= 3
  return spec.generation >= 2
}
