/**
 * `loadplan plan` on a terminal: the plan's demand (history, forecast and the band the fleet is
 * sized for), fleet and cost per month, scale up or out, and the assumptions, with keys that change
 * one assumption at a time. Every figure is the recomputed plan document's (the one `--json`
 * prints for the same flags); the view only lays it out.
 */
import {Box, render, Text, useApp, useInput, useStdout} from 'ink'
import {useEffect, useState} from 'react'
import {bandChart} from '../contracts/format/band-chart.js'
import {peakRange, type CapacityPlanDocument} from '../contracts/results/plan-document.js'
import {chance, dollars, percentOf, span} from '../contracts/format/range-text.js'
import type {ExplorerFrame, ExplorerKey, ExplorerSetting} from '../contracts/results/explorer-frame.js'
import {BandChartView, UnitsTable} from './components.js'
import {wrapText} from '../contracts/format/wrap-text.js'
import {explorerLayout} from './explorer-layout.js'

export interface PlanExplorerProps {
  initial: ExplorerFrame
  press: (key: ExplorerKey) => ExplorerFrame
  /** Writes the plan as shown; returns the frame with what it wrote. */
  write: () => ExplorerFrame
  columns: number
  rows: number
}

const usd = (v: number) => `$${v.toLocaleString('en-US', {minimumFractionDigits: 2, maximumFractionDigits: 2})}`
const money = (v: number) => v.toLocaleString('en-US', {minimumFractionDigits: 2, maximumFractionDigits: 2})
const rate = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1))
const month = (ms: number) => new Date(ms).toISOString().slice(0, 7)
const LABEL_WIDTH = 9
/** A recomputation slower than this says so first; PAINT_MS lets the terminal show that. */
const SLOW_RECOMPUTE_MS = 100
const PAINT_MS = 30
/** A written plan's command line wraps onto up to this many lines (it is copied from the screen). */
const MAX_MESSAGE_LINES = 8
/** Days a forecast month spans on the demand chart (history is daily peaks). */
const DAYS_PER_MONTH = 30

const KEYS: Record<string, ExplorerKey> = {
  p: 'provider',
  f: 'family-next',
  F: 'family-previous',
  r: 'redundancy',
  b: 'risk',
  '+': 'utilization-up',
  '=': 'utilization-up',
  '-': 'utilization-down',
  k: 'pricing',
  g: 'region',
  a: 'architecture',
  '0': 'reset',
}

/** Which assumption line a setting belongs to (highlighted when it changed). */
const ASSUMPTION_OF: Record<ExplorerSetting, string[]> = {
  provider: ['prices:', 'capacity:'],
  region: ['prices:'],
  families: ['fleet:', 'capacity:'],
  redundancy: ['fleet:'],
  risk: ['fleet:'],
  targetUtilization: ['fleet:'],
  pricing: ['prices:'],
  regions: ['regions:'],
}

/** The demand chart: daily history peaks, then each month's peak (P50, P10–P90) and the peak sized for, held for the month. */
function demandChart(doc: CapacityPlanDocument, width: number, height: number) {
  const months = doc.plan.months
  const hold = (pick: (m: (typeof months)[number]) => number) =>
    months.flatMap((m) => Array<number>(DAYS_PER_MONTH).fill(pick(m)))
  const p10 = hold((m) => peakRange(m).p10)
  return bandChart(
    {
      history: (doc.history ?? []).map((h) => h.peak),
      forecast: hold((m) => peakRange(m).p50),
      lo80: p10,
      hi80: hold((m) => peakRange(m).p90),
      lo95: p10,
      hi95: hold((m) => m.sizedPeakRps),
    },
    width,
    height,
  )
}

export function PlanExplorerView({initial, press, write, columns: startColumns, rows: startRows}: PlanExplorerProps) {
  const [frame, setFrame] = useState(initial)
  const [{columns, rows}, setSize] = useState({columns: startColumns, rows: startRows})
  const {exit} = useApp()
  const {stdout} = useStdout()
  // A resized terminal redraws the explorer at its new size.
  useEffect(() => {
    const resized = () => setSize({columns: stdout.columns ?? startColumns, rows: stdout.rows ?? startRows})
    stdout.on('resize', resized)
    return () => void stdout.off('resize', resized)
  }, [stdout, startColumns, startRows])
  useInput((input, key) => {
    if (input === 'q' || key.escape || (key.ctrl && input === 'c')) return exit()
    if (input === 'w') return setFrame(write())
    const action: ExplorerKey | undefined = key.rightArrow
      ? 'month-next'
      : key.leftArrow
        ? 'month-previous'
        : KEYS[input]
    if (!action) return
    // A slow plan (sizing by the SLO simulates fleets) says so before the screen waits for it.
    if (frame.recomputeMs < SLOW_RECOMPUTE_MS || action.startsWith('month')) return setFrame(press(action))
    setFrame({...frame, message: 'recomputing: sizing by the SLO simulates each new fleet…'})
    setTimeout(() => setFrame(press(action)), PAINT_MS)
  })
  const {doc, choice, changed} = frame
  const plan = doc.plan
  const selected = plan.months[frame.monthIndex]
  // Across regions the total is every region's, the table the region shown.
  const totalUsd = frame.regions?.totalUsd ?? plan.totals.totalUsd
  const delta = totalUsd - frame.startTotalUsd
  const deltaShare = frame.startTotalUsd > 0 ? delta / frame.startTotalUsd : 0
  const mark = (setting: ExplorerSetting, text: string) => (
    <Text inverse={changed === setting} color={changed === setting ? 'yellowBright' : undefined}>
      {text}
    </Text>
  )
  const pricingLine = plan.totals.onDemandComputeUsd !== undefined
  // Wrapped here, not by Ink, so that the layout knows its height.
  const message = wrapText(frame.message ?? ' ', columns, 0)
    .split('\n')
    .slice(0, MAX_MESSAGE_LINES)
  const messageLines = message.length
  const layout = explorerLayout({
    rows,
    headerLines: 3 + (pricingLine ? 1 : 0) + (frame.warnings.length > 0 ? 1 : 0) + (frame.regions ? 1 : 0),
    months: plan.months.length,
    selectedMonth: frame.monthIndex,
    options: plan.options.length,
    assumptions: doc.assumptions.length,
    messageLines,
  })
  // peak and sized count every request; app is what reaches the application past a cache.
  const cache = plan.months.some((m) => m.tiers?.cache)
  const other = plan.totals.otherUsd !== undefined
  const shownMonths = plan.months.slice(layout.monthStart, layout.monthStart + layout.monthCount)
  const chart = demandChart(doc, Math.max(24, columns - LABEL_WIDTH - 1), layout.chartHeight)
  const changedLines = changed && changed !== 'month' ? ASSUMPTION_OF[changed] : []
  return (
    <Box flexDirection="column" width={columns}>
      <Text
        bold
        wrap="truncate-end"
      >{`loadplan plan${doc.service ? `  ${doc.service}` : ''}  explorer, ${plan.months.length} months`}</Text>
      {frame.regions ? (
        <Text wrap="truncate-end">
          {mark('regions', 'active-active')}
          {`: ${frame.regions.list.map((r, i) => `${i === frame.regions?.shown ? '▸' : ''}${r.name} ${percentOf(r.share)}% (sized ${percentOf(r.sizedShare)}%) ${r.fleet} ${usd(r.totalUsd)}`).join(' · ')}`}
        </Text>
      ) : null}
      <Text wrap="truncate-end">
        {mark(changed === 'region' ? 'region' : 'provider', `${choice.provider} ${choice.region}`)}
        {' · '}
        {mark(
          'families',
          `${choice.families.join(',')}${frame.familyPosition.count > 1 ? ` (${frame.familyPosition.index + 1}/${frame.familyPosition.count})` : ''}`,
        )}
        {' · '}
        {mark('redundancy', choice.redundancy)}
        {' · risk '}
        {mark('risk', `${percentOf(choice.risk)}%`)}
        {' · at '}
        {mark('targetUtilization', `${Math.round(choice.targetUtilization * 100)}%`)}
        {' · '}
        {mark('pricing', choice.pricing)}
      </Text>
      <Text wrap="truncate-end">
        {'total '}
        <Text bold>{usd(totalUsd)}</Text>
        {`  start ${usd(frame.startTotalUsd)}  `}
        <Text
          color={delta > 0.005 ? 'red' : delta < -0.005 ? 'green' : 'gray'}
        >{`Δ ${delta >= 0 ? '+' : '−'}${usd(Math.abs(delta))} (${deltaShare >= 0 ? '+' : '−'}${Math.abs(deltaShare * 100).toFixed(1)}%)`}</Text>
        <Text color="gray">{`  recomputed in ${frame.recomputeMs.toFixed(1)} ms`}</Text>
      </Text>
      {pricingLine ? (
        <Text
          color="green"
          wrap="truncate-end"
        >{`${choice.pricing}: compute ${usd(plan.totals.computeUsd)} against ${usd(plan.totals.onDemandComputeUsd ?? 0)} on demand, saving ${usd((plan.totals.onDemandComputeUsd ?? 0) - plan.totals.computeUsd)}`}</Text>
      ) : null}
      {frame.warnings.length > 0 ? (
        <Text
          color="yellow"
          wrap="truncate-end"
        >{`${frame.warnings.length} warning${frame.warnings.length === 1 ? '' : 's'}: ${frame.warnings.map((w) => w.replace(/^warning: /, '')).join(' | ')}`}</Text>
      ) : null}
      <Box marginTop={1} flexDirection="column">
        <Text color="gray">{`demand, requests/s (the month's peak; the fleet carries it at a ${percentOf(plan.risk)} % risk)`}</Text>
        <BandChartView
          chart={chart}
          labelWidth={LABEL_WIDTH}
          format={rate}
          legend={['daily peak', 'monthly peak P50', 'P10–P90', 'sized']}
        />
      </Box>
      <Box marginTop={1} flexDirection="column">
        <UnitsTable
          columns={[
            {header: 'month', priority: 9},
            {header: 'peak', unit: '/s', align: 'right', priority: 6},
            {header: 'sized', unit: '/s', align: 'right', priority: 6},
            ...(cache ? [{header: 'app', unit: '/s', align: 'right', priority: 5} as const] : []),
            {header: 'fleet', priority: 9},
            {header: 'need', align: 'right', priority: 6},
            {header: 'over', unit: '%', align: 'right', priority: 5},
            {header: 'compute', unit: '$', align: 'right', priority: 4},
            {header: 'storage', unit: '$', align: 'right', priority: 2},
            {header: 'egress', unit: '$', align: 'right', priority: 2},
            ...(other ? [{header: 'other', unit: '$', align: 'right', priority: 3} as const] : []),
            {header: 'total', unit: '$', align: 'right', priority: 8},
            {header: 'P10–P90', unit: '$', align: 'right', priority: 7},
          ]}
          rows={shownMonths.map((m) => [
            month(m.startMs),
            rate(peakRange(m).p50),
            rate(m.sizedPeakRps),
            ...(cache ? [rate(m.sizedForRps)] : []),
            `${m.instances} × ${m.type}`,
            span(m.range.instances, String),
            chance(m.overloadProbability),
            money(m.computeUsd),
            money(m.storageUsd),
            money(m.egressUsd),
            ...(other ? [money(m.otherUsd ?? 0)] : []),
            money(m.totalUsd),
            span(m.range.totalUsd, dollars),
          ])}
          footer={[
            [
              'total',
              '',
              '',
              ...(cache ? [''] : []),
              '',
              '',
              '',
              money(plan.totals.computeUsd),
              money(plan.totals.storageUsd),
              money(plan.totals.egressUsd),
              ...(other ? [money(plan.totals.otherUsd ?? 0)] : []),
              money(plan.totals.totalUsd),
              span(plan.totals.totalUsdRange, dollars),
            ],
          ]}
          selected={frame.monthIndex - layout.monthStart}
          width={columns}
        />
        {selected ? (
          <Text wrap="truncate-end">{`${month(selected.startMs)}: ${selected.instances} × ${selected.type} (need ${span(selected.range.instances, String)}, P10–P90), ${chance(selected.overloadProbability)}% chance of overload, ${(selected.utilizationAtPeak * 100).toFixed(0)}% at ${rate(selected.sizedForRps)}/s${cache ? ' past the cache' : ''}; ${usd(selected.totalUsd)} = compute ${usd(selected.computeUsd)} + storage ${usd(selected.storageUsd)} (${selected.storageGB.toFixed(0)} GB) + egress ${usd(selected.egressUsd)} (${selected.egressGB.toFixed(0)} GB)${selected.bill ? selected.bill.map((l) => ` + ${l.item} ${usd(l.usd)}`).join('') : ''}`}</Text>
        ) : null}
      </Box>
      {layout.showOptions ? (
        <Box marginTop={1} flexDirection="column">
          <Text color="gray">scale up or out (each type held all horizon):</Text>
          <UnitsTable
            columns={[
              {header: 'type', priority: 9},
              {header: 'vCPU', align: 'right', priority: 3},
              {header: 'each', unit: '/s', align: 'right', priority: 5},
              {header: 'instances', align: 'right', priority: 6},
              {header: 'compute', unit: '$', align: 'right', priority: 8},
            ]}
            rows={plan.options
              .slice(0, 4)
              .map((o) => [
                o.type,
                String(o.vcpu),
                rate(o.perInstanceRps),
                `${o.firstMonthInstances} → ${o.lastMonthInstances}`,
                money(o.horizonComputeUsd),
              ])}
            width={columns}
          />
        </Box>
      ) : null}
      {layout.assumptionLines > 0 ? (
        <Box marginTop={1} flexDirection="column">
          <Text color="gray">
            {layout.assumptionLines < doc.assumptions.length
              ? `assumptions (${layout.assumptionLines} of ${doc.assumptions.length} here; all of them: w, then the JSON):`
              : 'assumptions (all of them: w, then the JSON):'}
          </Text>
          {doc.assumptions.slice(0, layout.assumptionLines).map((a) => (
            <Text
              key={a}
              wrap="truncate-end"
              color={changedLines.some((prefix) => a.startsWith(prefix)) ? 'yellowBright' : undefined}
            >{`- ${a}`}</Text>
          ))}
        </Box>
      ) : null}
      <Text color="yellow">{message.join('\n')}</Text>
      <Text color="gray" wrap="truncate-end">
        ←/→ month p provider g region a architecture f/F family r redundancy b risk +/- utilisation k pricing 0 start w
        write q quit
      </Text>
    </Box>
  )
}

/** Runs the explorer until q, Esc or Ctrl-C. */
export async function explorePlan(
  props: PlanExplorerProps,
  stdout: NodeJS.WriteStream,
  stdin: NodeJS.ReadStream,
): Promise<void> {
  const instance = render(<PlanExplorerView {...props} />, {stdout, stdin, patchConsole: false, exitOnCtrlC: false})
  await instance.waitUntilExit()
}
