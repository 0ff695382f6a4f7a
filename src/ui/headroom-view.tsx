/**
 * `loadplan headroom` on a terminal: each resource's statistics against its target, the headroom
 * factor, each resource's daily trend as a chart carried to its target, the current size and the
 * recommendation with its risk. Drawn once with Ink from a view model the command builds out of
 * the same result `--json` prints.
 */
import {Box, render, Text} from 'ink'
import pc from 'picocolors'
import {trendChart} from '../contracts/format/trend-chart.js'
import {UnitsTable} from './components.js'

export interface HeadroomViewModel {
  title: string
  resources: Array<{name: string; p95: number; max: number; judged: number; target: number; scale: number}>
  binding: string
  factor: number
  trends: Array<{
    resource: string
    daily: number[]
    slopePerDay: number
    levelAtLast: number
    target: number
    outlook: string
    days: number | undefined
  }>
  current: string
  recommendation: {line: string; risk: number; saving: string} | undefined
  alternatives: string[]
  columns: number
}

const pct = (v: number) => `${v.toFixed(1)}%`
const RISK = ['none', 'negligible', 'low', 'medium', 'high']

export function HeadroomView({view}: {view: HeadroomViewModel}) {
  const chartWidth = Math.max(20, Math.min(60, view.columns - 20))
  const factorColor = view.factor < 1 ? pc.red : view.factor < 1.5 ? pc.yellow : pc.green
  return (
    <Box flexDirection="column" width={view.columns}>
      <Text bold>{view.title}</Text>
      <Text>{''}</Text>
      <UnitsTable
        columns={[
          {header: 'resource'},
          ...['p95', 'max', 'judged', 'target', 'used'].map((header) => ({header, unit: '%', align: 'right' as const})),
        ]}
        rows={view.resources.map((r) => [
          r.name,
          ...[r.p95, r.max, r.judged, r.target].map((v) => v.toFixed(1)),
          (r.scale >= 1 ? pc.red : r.scale >= 0.8 ? pc.yellow : pc.green)((r.scale * 100).toFixed(0)),
        ])}
        width={view.columns}
      />
      <Text>{`headroom ${pc.bold(factorColor(`×${view.factor.toFixed(2)}`))} before ${view.binding} crosses its target`}</Text>
      {view.trends.map((t) => (
        <Box key={t.resource} flexDirection="column" marginTop={1}>
          <Text>{`${t.resource} trend ${t.slopePerDay >= 0 ? '+' : ''}${t.slopePerDay.toFixed(2)} pp/day: ${t.outlook}`}</Text>
          {trendChart(
            {
              daily: t.daily,
              slopePerDay: t.slopePerDay,
              levelAtLast: t.levelAtLast,
              target: t.target,
              futureDays: Math.min(90, Math.max(7, Math.ceil(t.days ?? t.daily.length))),
            },
            chartWidth,
            6,
          ).map((line, i) => (
            <Text
              key={i}
            >{`  ${pc.gray('│')}${line.replace(/─+/g, (m) => pc.red(m)).replace(/•/g, pc.cyan('•'))}`}</Text>
          ))}
          <Text color="gray">{`   • daily ${t.resource}  · trend  ─ target ${pct(t.target)}`}</Text>
        </Box>
      ))}
      <Box marginTop={1} flexDirection="column">
        <Text>{`current: ${view.current}`}</Text>
        {view.recommendation ? (
          <Text>
            {`recommendation: ${view.recommendation.line}; risk `}
            <Text
              color={view.recommendation.risk >= 3 ? 'red' : view.recommendation.risk >= 2 ? 'yellow' : 'green'}
            >{`${view.recommendation.risk}/4 (${RISK[view.recommendation.risk] ?? '?'})`}</Text>
            {view.recommendation.saving}
          </Text>
        ) : (
          <Text color="yellow">
            recommendation: no catalog type meets every target here; widen --family or scale out
          </Text>
        )}
        {view.alternatives.map((line) => (
          <Text key={line} color="gray">{`  also fits: ${line}`}</Text>
        ))}
      </Box>
    </Box>
  )
}

export async function showHeadroom(view: HeadroomViewModel, stdout: NodeJS.WriteStream): Promise<void> {
  const instance = render(<HeadroomView view={view} />, {stdout, patchConsole: false, exitOnCtrlC: false})
  instance.unmount()
  await instance.waitUntilExit()
}
