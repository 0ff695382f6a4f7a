/** The README's "One region, two regions, or serverless" table, recomputed row by row (issue 32). */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import type {CapacityPlanDocument} from '../../src/contracts/results/plan-document.js'
import {runInProcess} from '../helpers/in-process.js'

const README = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8')
const PLAN = [
  'plan',
  '--per-instance',
  '450/s',
  '--instance-type',
  'n2-standard-2',
  '--family',
  'n2',
  '--peak',
  '1200/s',
  '--growth',
  '8%/mo',
]
const usd = (v: number) => `$${v.toLocaleString('en-US', {minimumFractionDigits: 2, maximumFractionDigits: 2})}`

async function planJson(args: string[]): Promise<CapacityPlanDocument> {
  const {code, stdout, stderr} = await runInProcess([...PLAN, ...args, '--json'])
  expect(code, stderr).toBe(0)
  return JSON.parse(stdout) as CapacityPlanDocument
}

describe('README: one region, two regions, or serverless', () => {
  it('shows the figures the commands print', async () => {
    const one = await planJson(['--provider', 'gcp', '--region', 'us-east1', '--serverless', '--service-time', '40ms'])
    const m1 = one.plan.months[0] as CapacityPlanDocument['plan']['months'][number]
    expect(README).toContain(
      `| one region: gcp us-east1, n+1 | ${m1.instances} × ${m1.type}, ${usd(m1.totalUsd)} | ${usd(one.plan.totals.totalUsd)} |`,
    )
    const two = (await planJson(['--regions', 'gcp:us-east1=60%,gcp:europe-west1=40%'])).regions
    if (!two) throw new Error('expected regions')
    const fleets = two.regions.map((r) => `${r.plan.plan.months[0]?.instances} × ${r.plan.plan.months[0]?.type}`)
    expect(two.regions.map((r) => r.sizedShare)).toEqual([expect.closeTo(1, 12), expect.closeTo(1, 12)])
    expect(README).toContain(
      `each sized for all of it | ${fleets.join(' + ')}, ${usd(two.months[0]?.totalUsd as number)} | ${usd(two.totals.totalUsd)} |`,
    )
    const section = one.serverless
    if (!section) throw new Error('expected the serverless section')
    for (const p of section.platforms) {
      const row = README.split('\n').find((line) => line.startsWith(`| ${p.name}`))
      expect(row, p.name).toMatch(/ \| \$[\d,.]+ \| \$[\d,.]+ \|$/)
      expect(row?.endsWith(` | ${usd(p.months[0]?.totalUsd as number)} | ${usd(p.totalUsd)} |`), row).toBe(true)
    }
    // "the instances are the cheapest" at month 1's load.
    for (const p of section.platforms) expect(m1.totalUsd).toBeLessThan(p.months[0]?.totalUsd as number)
    const lambda = section.platforms[0]?.crossoverRequestsPerMonth as number
    expect(README).toContain(
      `Lambda would be cheaper below ${Math.round(lambda / 1e6)} M requests a month (a mean of ${Math.round(lambda / (730 * 3600))}/s)`,
    )
    expect(README).toContain(`(${((m1.meanRps * 730 * 3600) / 1e9).toFixed(2)} G a month)`)
  })
})
