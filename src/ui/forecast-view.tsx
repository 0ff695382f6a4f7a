/**
 * `loadplan forecast` on a terminal: the chosen model, its backtest error and which model serves
 * which part of the horizon, the growth, the
 * history with the forecast and both bands as a chart as wide as the terminal, and the monthly
 * peaks. Drawn once with Ink from the same document `--json` prints: nothing is computed again
 * but the chart's columns.
 */
import {Box, Text} from 'ink'
import {bandChart, forecastBands} from '../contracts/format/band-chart.js'
import {BandChartView} from './components.js'
import type {ForecastDocument} from '../contracts/results/forecast-document.js'

export interface ForecastViewProps {
  document: ForecastDocument
  history: readonly number[]
  columns: number
}

/** Left of the chart: the value labels and the axis. */
const LABEL_WIDTH = 11
const CHART_HEIGHT = 12
const MAX_PEAKS = 12

const number = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(3))
const percent = (n: number) => `${n >= 0 ? '+' : ''}${(n * 100).toFixed(1)}%`
const month = (ms: number) => new Date(ms).toISOString().slice(0, 7)

export function ForecastView({document, history, columns}: ForecastViewProps) {
  const {result} = document
  const p = result.points
  const width = Math.max(24, columns - LABEL_WIDTH - 1)
  const chart = bandChart(forecastBands(history, p), width, CHART_HEIGHT)
  const chosen = result.backtest.find((b) => b.model === result.model)
  const others = result.backtest
    .filter((b) => b.model !== result.model && Number.isFinite(b.relative))
    .sort((a, b) => a.relative - b.relative)
  const peaks = result.monthlyPeaks.slice(0, MAX_PEAKS)
  const bands = new Map(document.monthlyPeakBands.map((b) => [b.month, b]))
  return (
    <Box flexDirection="column" width={columns}>
      <Text bold>{`loadplan forecast  ${document.source}`}</Text>
      <Text color="gray">{`history ${document.history.points} ${document.history.resolution}s, ${document.history.first} … ${document.history.last}`}</Text>
      <Text>
        {'model '}
        <Text bold color="yellowBright">
          {result.model}
        </Text>
        {chosen && Number.isFinite(chosen.relative)
          ? `  ${chosen.relative.toFixed(3)} × the seasonal naive's error, peaks off ${(chosen.peakError * 100).toFixed(0)} % (${chosen.folds} origins)`
          : ''}
        {others.length > 0 ? (
          <Text color="gray">{`  next: ${others
            .slice(0, 2)
            .map((b) => `${b.model} ${b.relative.toFixed(3)}`)
            .join(', ')}`}</Text>
        ) : null}
      </Text>
      {result.horizons.map((part) => (
        <Text
          key={part.fromStep}
          color="gray"
          wrap="truncate-end"
        >{`steps ${part.fromStep}–${part.toStep}: ${part.model}, ${part.description}`}</Text>
      ))}
      {result.growth ? (
        <Text>{`growth ${percent(result.growth.perMonth)}/month (80 % ${percent(result.growth.lo80)} … ${percent(result.growth.hi80)})`}</Text>
      ) : null}
      <Text color="gray" wrap="truncate-end">{`bands: ${result.interval.description}`}</Text>
      <Box marginTop={1}>
        <BandChartView
          chart={chart}
          labelWidth={LABEL_WIDTH}
          format={number}
          legend={['history', 'forecast', '80 %', '95 %']}
        />
      </Box>
      {peaks.length > 0 ? (
        <Box marginTop={1} flexDirection="column">
          <Text
            bold
          >{`monthly peaks       forecast     upper 95 %${bands.size > 0 ? '   peak P50      P10–P90' : ''}`}</Text>
          {peaks.map((peak) => {
            const band = bands.get(peak.month)
            return (
              <Text key={peak.month}>
                {`  ${month(peak.month)}  ${number(peak.forecast).padStart(14)}  ${number(peak.hi95).padStart(13)}`}
                {band ? (
                  <Text color="yellowBright">{`  ${number(band.p50).padStart(9)}  ${`${number(band.p10)}–${number(band.p90)}`.padStart(12)}`}</Text>
                ) : null}
              </Text>
            )
          })}
          {result.monthlyPeaks.length > MAX_PEAKS ? (
            <Text color="gray">{`  … ${result.monthlyPeaks.length - MAX_PEAKS} more (--json for all)`}</Text>
          ) : null}
        </Box>
      ) : null}
    </Box>
  )
}
