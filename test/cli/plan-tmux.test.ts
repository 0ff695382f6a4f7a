/**
 * `loadplan plan` on a real terminal (tmux, read back with capture-pane): the explorer opens on the
 * example service; keys switch redundancy and provider, and the cost on the screen is the one
 * `plan --json` gives for the same flags; `w` prints a command line that gives the plan it wrote.
 */
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import type {CapacityPlanDocument} from '../../src/contracts/results/plan-document.js'
import {BIN, canRun, runCli, waitUntil} from '../helpers/cli.js'
import {shellWords} from '../helpers/shell-words.js'
import {openTmux, type TmuxTerminal} from '../helpers/tmux.js'

const ROOT = join(import.meta.dirname, '..', '..')
const PLAN = [
  'plan',
  join(ROOT, 'plans/example.yaml'),
  '--history',
  join(ROOT, 'plans/data/sample-traffic.csv'),
  '--capacity',
  join(ROOT, 'plans/data/synthetic-capacity.json'),
]
const usd = (v: number) => `$${v.toLocaleString('en-US', {minimumFractionDigits: 2, maximumFractionDigits: 2})}`

const hasTmux = canRun('tmux', ['-V'])

async function planJson(args: string[]): Promise<CapacityPlanDocument> {
  const outcome = await runCli([...args, '--json'])
  expect(outcome.code, outcome.stderr).toBe(0)
  return JSON.parse(outcome.stdout) as CapacityPlanDocument
}

describe.skipIf(!hasTmux)('plan explorer in tmux', () => {
  let terminal: TmuxTerminal | undefined
  afterEach(() => terminal?.close())

  it('switches redundancy and provider on keys, with the costs plan --json gives, and w prints a command that reproduces the plan', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadplan-plan-tmux-'))
    const quoted = PLAN.map((a) => `'${a}'`).join(' ')
    const tty = (terminal = openTmux(
      `cd '${dir}' && env -u CI ${process.execPath} ${BIN} ${quoted}; sleep 60`,
      120,
      45,
    ))
    // -J joins the lines tmux wrapped at the terminal's width.
    const screen = () => tty.capture(true)
    const total = () => /^total (\$[\d,.]+) {2}start/m.exec(screen())?.[1]
    const keys = tty.keys
    await waitUntil(() => total() !== undefined, 30_000, 'the explorer')
    // At 120×45 the whole view is on the screen from the start: the title and settings first (issue 28).
    const lines = screen().split('\n')
    expect(lines[0]).toMatch(/^loadplan plan {2}checkout-api {2}explorer, 12 months/)
    expect(lines[1]).toMatch(/^aws us-east-1 · /)
    expect(lines[2]).toMatch(/^total \$[\d,.]+ {2}start .* Δ \+\$0\.00/)
    expect(screen()).toMatch(/^←\/→ month p provider/m)
    const start = await planJson(PLAN)
    expect(total()).toBe(usd(start.plan.totals.totalUsd))

    keys('r')
    await waitUntil(() => /^aws us-east-1 · .* · n\+2 · /m.test(screen()), 10_000, 'redundancy n+2')
    const n2 = await planJson([...PLAN, '--redundancy', 'n+2'])
    expect(n2.plan.totals.totalUsd).toBeGreaterThan(start.plan.totals.totalUsd)
    await waitUntil(
      () => total() === usd(n2.plan.totals.totalUsd),
      5_000,
      `the n+2 total ${usd(n2.plan.totals.totalUsd)} (screen: ${total()})`,
    )
    expect(screen()).toContain(`Δ +${usd(n2.plan.totals.totalUsd - start.plan.totals.totalUsd)}`)

    keys('p')
    await waitUntil(() => /^gcp us-central1 · /m.test(screen()), 10_000, 'provider gcp')
    const gcp = await planJson([...PLAN, '--redundancy', 'n+2', '--provider', 'gcp'])
    expect(gcp.provider).toBe('gcp')
    await waitUntil(
      () => total() === usd(gcp.plan.totals.totalUsd),
      5_000,
      `the gcp total ${usd(gcp.plan.totals.totalUsd)} (screen: ${total()})`,
    )
    expect(screen()).toMatch(
      new RegExp(
        `^${new Date(gcp.plan.months[0]?.startMs ?? 0).toISOString().slice(0, 7)} .* ${gcp.plan.months[0]?.instances} × ${gcp.plan.months[0]?.type}`,
        'm',
      ),
    )

    // A narrower terminal redraws the explorer at its width.
    tty.resize(80, 50)
    await waitUntil(
      () =>
        screen()
          .split('\n')
          .every((line) => line.length <= 80) &&
        /wider terminal or --json/.test(screen()) &&
        // Ink clears and redraws after a resize: a capture may land between the two.
        total() === usd(gcp.plan.totals.totalUsd),
      10_000,
      `the explorer redrawn at 80 columns with the gcp total ${usd(gcp.plan.totals.totalUsd)}`,
    )

    // b steps the risk: 5 % → 10 % → 20 % → 1 % → 5 %, and the chart names the peak sized for.
    keys('b')
    await waitUntil(() => / · risk 10% · /.test(screen()), 10_000, 'risk 10 %')
    expect(screen()).toMatch(/fleet carries it at a 10 % risk/)
    expect(screen()).toMatch(/monthly peak P50 .*P10–P90 .*sized/)
    for (const risk of ['20%', '1%', '5%']) {
      keys('b')
      await waitUntil(() => screen().includes(` · risk ${risk} · `), 10_000, `risk ${risk}`).catch((e) => {
        throw new Error(`${e}\n${screen()}`)
      })
    }

    // The written plan's command line shows while the explorer runs, above the keys (issue 28).
    keys('w')
    await waitUntil(() => /the same plan: loadplan /.test(screen()), 10_000, 'the command line on the screen')
    const view = screen()
    const shown = /the same plan: (loadplan [^]*?)\n←\/→ month/.exec(view)?.[1] as string
    keys('q')
    // After quitting, the same line on stdout, whole (-J joins what the terminal wrapped).
    const printed = /the same plan: (loadplan .* --json)$/m
    await waitUntil(() => printed.test(screen()), 10_000, 'the command line after quitting')
    const line = printed.exec(screen())?.[1] as string
    expect(shown.split(/\s+/), view).toEqual(line.split(/\s+/))
    const [bin, ...args] = shellWords(line)
    expect(bin).toBe('loadplan')
    expect(args).toEqual(expect.arrayContaining(['--provider', 'gcp', '--redundancy', 'n+2', '--json']))
    const written = JSON.parse(readFileSync(join(dir, 'plan-explored-1.json'), 'utf8')) as CapacityPlanDocument
    const again = await runCli(args)
    expect(again.code, again.stderr).toBe(0)
    expect((JSON.parse(again.stdout) as CapacityPlanDocument).plan).toEqual(written.plan)
    expect(written.plan.totals.totalUsd).toBe(gcp.plan.totals.totalUsd)
  }, 90_000)
  it('fits 80×24: the title on the first line, the keys on the screen, a window of months that follows the selection (issue 28)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadplan-plan-tmux-'))
    const quoted = PLAN.map((a) => `'${a}'`).join(' ')
    const tty = (terminal = openTmux(`cd '${dir}' && env -u CI ${process.execPath} ${BIN} ${quoted}; sleep 60`, 80, 24))
    const screen = () => tty.capture()
    await waitUntil(() => /^←\/→ month/m.test(screen()), 30_000, 'the explorer')
    const first = screen().split('\n')
    expect(first[0]).toMatch(/^loadplan plan {2}checkout-api {2}explorer, 12 months/)
    expect(first.every((line) => line.length <= 80)).toBe(true)
    expect(screen()).toMatch(/^2015-05 /m)
    expect(screen()).not.toMatch(/^2016-04 /m)
    // Eleven months on, the window has moved to the last month; the title is still on top.
    for (let k = 0; k < 11; k++) tty.keys('Right')
    await waitUntil(() => /^2016-04: /m.test(screen()), 10_000, 'the last month selected')
    expect(screen()).toMatch(/^2016-04 /m)
    expect(screen().split('\n')[0]).toMatch(/^loadplan plan /)
    tty.keys('q')
  }, 60_000)
})
