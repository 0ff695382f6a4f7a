/**
 * The plan explorer's keys: each changes one assumption, and the plan it shows is the one
 * `loadplan plan --json` prints for the command line the explorer gives for it (run here, in
 * process, from that very text).
 */
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {equivalentCommand, PlanExplorer} from '../../src/app/plan-explorer.js'
import {preparePlanRequest} from '../../src/app/plan.js'
import type {CapacityPlanDocument} from '../../src/contracts/results/plan-document.js'
import type {ExplorerChoice, ExplorerFrame, ExplorerKey} from '../../src/contracts/results/explorer-frame.js'
import {runInProcess} from '../helpers/in-process.js'
import {shellWords} from '../helpers/shell-words.js'

const ROOT = join(import.meta.dirname, '..', '..')
const ARGV = [
  'plan',
  'plans/example.yaml',
  '--history',
  'plans/data/sample-traffic.csv',
  '--capacity',
  'plans/data/synthetic-capacity.json',
]
const NOW = Date.UTC(2026, 10, 30)

let explorer: PlanExplorer
const open = async () => {
  // The paths as ARGV has them (run from the repository), so the assumptions name the same files.
  const prepared = await preparePlanRequest({
    file: 'plans/example.yaml',
    flags: {history: 'plans/data/sample-traffic.csv', capacity: 'plans/data/synthetic-capacity.json'},
    nowMs: NOW,
  })
  return new PlanExplorer(prepared, {bin: 'loadplan', argv: ARGV})
}

/** The plan `loadplan plan … --json` prints for the explorer's command line of `frame` (started from `argv`). */
async function planFromCommand(frame: ExplorerFrame, argv: readonly string[] = ARGV): Promise<CapacityPlanDocument> {
  const [bin, ...args] = shellWords(`${equivalentCommand('loadplan', argv, frame.choice)} --json`)
  expect(bin).toBe('loadplan')
  const outcome = await runInProcess(args, {nowMs: NOW})
  expect(outcome.code, outcome.stderr).toBe(0)
  return JSON.parse(outcome.stdout) as CapacityPlanDocument
}

const settings = (c: ExplorerChoice) => ({
  provider: c.provider,
  region: c.region,
  families: c.families.join(','),
  redundancy: c.redundancy,
  risk: c.risk,
  targetUtilization: c.targetUtilization,
  pricing: c.pricing,
})

describe('plan explorer', () => {
  beforeAll(async () => {
    process.chdir(ROOT)
    explorer = await open()
  })

  it('starts from the plan the flags give', async () => {
    const frame = explorer.current()
    expect(frame.choice).toEqual({
      provider: 'aws',
      region: 'us-east-1',
      families: ['c7g', 'm7g'],
      redundancy: 'n+1',
      risk: 0.05,
      targetUtilization: 1,
      pricing: 'on-demand',
    })
    expect(frame.startTotalUsd).toBe(frame.doc.plan.totals.totalUsd)
    const doc = await planFromCommand(frame)
    expect(doc.plan).toEqual(frame.doc.plan)
    expect(doc.assumptions).toEqual(frame.doc.assumptions)
  })

  const steps: Array<{key: ExplorerKey; changes: keyof ReturnType<typeof settings>; to: unknown}> = [
    {key: 'redundancy', changes: 'redundancy', to: 'n+2'},
    {key: 'risk', changes: 'risk', to: 0.1},
    {key: 'utilization-down', changes: 'targetUtilization', to: 0.95},
    {key: 'family-next', changes: 'families', to: expect.any(String)},
    {key: 'provider', changes: 'provider', to: 'gcp'},
    // GCP has committed-use and spot prices: the pricing key steps through them.
    {key: 'pricing', changes: 'pricing', to: '1yr'},
    {key: 'region', changes: 'region', to: expect.any(String)},
    {key: 'provider', changes: 'provider', to: 'azure'},
  ]
  for (const step of steps) {
    it(`${step.key} changes ${step.changes} alone, and the plan is the one its command line prints`, async () => {
      const before = explorer.current()
      const after = explorer.press(step.key)
      expect(after.changed).toBe(step.changes === 'families' ? 'families' : step.changes)
      expect(settings(after.choice)[step.changes]).toEqual(step.to)
      expect(settings(after.choice)[step.changes]).not.toEqual(settings(before.choice)[step.changes])
      // Every other setting is as it was (a provider brings its own region and families, and on-demand where it lacks the price kind).
      const others = Object.keys(settings(before.choice)).filter(
        (k) =>
          k !== step.changes &&
          !(step.changes === 'provider' && (k === 'region' || k === 'families' || k === 'pricing')),
      )
      for (const k of others.filter((k) => !(step.changes === 'region' && k === 'pricing')))
        expect(settings(after.choice)[k as 'provider'], k).toEqual(settings(before.choice)[k as 'provider'])
      expect(after.startTotalUsd).toBe(before.startTotalUsd)
      // The plan changes (a risk of 10 % may buy what 5 % bought, but sizes for another peak).
      // (Two regions may price the same: then their prices line differs.)
      if (step.key === 'region') expect(after.doc.assumptions).not.toEqual(before.doc.assumptions)
      else expect(after.doc.plan).not.toEqual(before.doc.plan)
      const doc = await planFromCommand(after)
      expect(doc.plan).toEqual(after.doc.plan)
      expect(doc.provider).toBe(after.choice.provider)
      if (step.key === 'pricing') expect(doc.plan.totals.onDemandComputeUsd).toBeGreaterThan(doc.plan.totals.computeUsd)
    })
  }

  it("a toggles active-active across two regions and back; g steps through the regions shown; each is the command line's plan", async () => {
    explorer.press('reset')
    // The second region is the next one that prices the plan's families (c7g, m7g).
    const aws = explorer.press('architecture')
    expect(aws.choice.regions?.map((r) => r.region)).toEqual(['us-east-1', 'us-east-2'])
    expect(explorer.press('architecture').choice.regions).toBeUndefined()
    explorer.press('provider')
    const one = explorer.current()
    const across = explorer.press('architecture')
    expect(across.changed).toBe('regions')
    expect(across.choice.regions?.map((r) => r.share)).toEqual([0.5, 0.5])
    expect(across.regions?.list).toHaveLength(2)
    // Two regions, each sized for all of it: the total is both, more than one region's.
    expect(across.regions?.list.map((r) => r.sizedShare)).toEqual([1, 1])
    expect(across.regions?.totalUsd).toBeGreaterThan(one.doc.plan.totals.totalUsd)
    expect(across.recomputeMs).toBeLessThan(1000)
    const doc = await planFromCommand(across)
    expect(doc.regions?.totals.totalUsd).toBeCloseTo(across.regions?.totalUsd as number, 6)
    expect(doc.regions?.regions[0]?.plan.plan).toEqual(across.doc.plan)
    const second = explorer.press('region')
    expect(second.regions?.shown).toBe(1)
    expect(second.choice.region).toBe(doc.regions?.regions[1]?.region)
    expect(second.doc.plan).toEqual(doc.regions?.regions[1]?.plan.plan)
    const back = explorer.press('architecture')
    expect(back.regions).toBeUndefined()
    expect(back.choice.regions).toBeUndefined()
    expect((await planFromCommand(back)).plan).toEqual(back.doc.plan)
    explorer.press('reset')
  })

  it('steps months without recomputing, wraps around, and comes back to the start with 0', () => {
    const frame = explorer.current()
    const months = frame.doc.plan.months.length
    expect(explorer.press('month-previous').monthIndex).toBe(months - 1)
    expect(explorer.press('month-next').monthIndex).toBe(0)
    expect(explorer.current().doc).toBe(frame.doc)
    const reset = explorer.press('reset')
    expect(reset.choice).toEqual({
      provider: 'aws',
      region: 'us-east-1',
      families: ['c7g', 'm7g'],
      redundancy: 'n+1',
      risk: 0.05,
      targetUtilization: 1,
      pricing: 'on-demand',
    })
    expect(reset.doc.plan.totals.totalUsd).toBe(reset.startTotalUsd)
  })

  it('keeps the target utilisation between 5 % and 100 %, and says when the catalog has no other pricing', () => {
    let frame = explorer.current()
    for (let i = 0; i < 10; i++) frame = explorer.press('utilization-up')
    expect(frame.choice.targetUtilization).toBe(1)
    expect(explorer.press('utilization-up').choice.targetUtilization).toBe(1)
    const pricing = explorer.press('pricing')
    expect(pricing.choice.pricing).toBe('on-demand')
    expect(pricing.message).toMatch(/on-demand prices only for aws us-east-1/)
    explorer.press('reset')
  })

  it('w writes the plan as shown, JSON and HTML, and the command that prints it again', async () => {
    explorer.press('redundancy')
    const dir = mkdtempSync(join(tmpdir(), 'loadplan-explore-'))
    const written = explorer.write(dir)
    expect(written.files.map((f) => f.slice(dir.length + 1))).toEqual(['plan-explored-1.json', 'plan-explored-1.html'])
    const saved = JSON.parse(readFileSync(written.files[0] as string, 'utf8')) as CapacityPlanDocument
    expect(saved.plan).toEqual(explorer.current().doc.plan)
    expect(readFileSync(written.files[1] as string, 'utf8')).toContain('<svg')
    expect(written.command).toContain('--redundancy n+2')
    expect(explorer.current().message).toContain(written.command)
    // A second write does not overwrite the first.
    expect(explorer.write(dir).files[0]).toMatch(/plan-explored-2\.json$/)
    explorer.press('reset')
  })
})

describe('plan explorer sizing by the SLO', () => {
  it("keeps the simulated fleets across keys, and its plans are still the command line's", async () => {
    process.chdir(ROOT)
    const prepared = await preparePlanRequest({
      file: 'plans/example.yaml',
      flags: {history: 'plans/data/sample-traffic.csv', capacity: 'plans/data/synthetic-capacity.json', sizeBy: 'slo'},
      nowMs: NOW,
    })
    const argv = [...ARGV, '--size-by', 'slo']
    const sloExplorer = new PlanExplorer(prepared, {bin: 'loadplan', argv})
    const after = sloExplorer.press('redundancy')
    // The sizer simulated every type's fleets for the first plan; the redundancy only adds spares to them.
    expect(prepared.sloSizers.size).toBe(1)
    expect((await planFromCommand(after, argv)).plan).toEqual(after.doc.plan)
  }, 60_000)

  it("keeps the rest of the bill across keys, and its plans are still the command line's (issue 32)", async () => {
    process.chdir(ROOT)
    const prepared = await preparePlanRequest({
      file: 'plans/example.yaml',
      flags: {
        history: 'plans/data/sample-traffic.csv',
        capacity: 'plans/data/synthetic-capacity.json',
        loadBalancer: true,
        crossZone: '4kB',
        backups: '14d@5%',
      },
      nowMs: NOW,
    })
    const argv = [...ARGV, '--load-balancer', '--cross-zone', '4kB', '--backups', '14d@5%']
    const billed = new PlanExplorer(prepared, {bin: 'loadplan', argv})
    const start = billed.plan().doc.plan
    expect(start.months[0]?.bill?.map((l) => l.item)).toEqual(['load balancer', 'cross-zone traffic', 'backups'])
    for (const key of ['redundancy', 'provider'] as const) {
      const after = billed.press(key)
      expect(after.doc.plan.totals.otherUsd).toBeGreaterThan(0)
      expect((await planFromCommand(after, argv)).plan).toEqual(after.doc.plan)
    }
  }, 60_000)
})

describe('equivalentCommand', () => {
  const choice: ExplorerChoice = {
    provider: 'gcp',
    region: 'us-central1',
    families: ['c3', 'n2'],
    redundancy: 'zones:3',
    risk: 0.01,
    targetUtilization: 0.65,
    pricing: 'on-demand',
  }

  it('replaces the flags a choice sets, in either spelling, and keeps the rest', () => {
    const line = equivalentCommand(
      'loadplan',
      [
        'plan',
        'svc.yaml',
        '--provider=aws',
        '--family',
        'c7g',
        '--family=m7g',
        '--region',
        'us-east-1',
        '--months',
        '24',
        '--redundancy',
        'n+1',
      ],
      choice,
    )
    expect(line).toBe(
      'loadplan plan svc.yaml --months 24 --provider gcp --region us-central1 --family c3,n2 --redundancy zones:3 --risk 1% --target-utilization 65% --pricing on-demand',
    )
  })

  it('quotes what a shell would split or expand', () => {
    const line = equivalentCommand('loadplan', ['plan', '--history', 'my traffic.csv', '--slo', 'p99<200ms'], choice)
    expect(shellWords(line).slice(1, 5)).toEqual(['plan', '--history', 'my traffic.csv', '--slo'])
    expect(line).toContain("'my traffic.csv' --slo 'p99<200ms'")
  })
})
