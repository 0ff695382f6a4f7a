/**
 * Prints a forecast: on a terminal (not in CI, table format with the chart) the Ink view sized to
 * the terminal; otherwise the text the format asks for. Ink loads only for the view.
 */
import type {AppResult} from '../app/app-result.js'
import type {ForecastOutput} from '../app/forecast.js'
import type {ExitCode} from '../contracts/errors.js'
import {renderForecast} from '../report/forecast-views.js'
import {preferProductionReact} from '../ui/load-ink.js'
import {emit, interactiveStdout} from './run-command.js'

export async function printForecast(outcome: AppResult<ForecastOutput>, chart: boolean): Promise<ExitCode> {
  const {forecast: document, history, format} = outcome.document
  if (format === 'table' && chart && interactiveStdout()) {
    for (const warning of outcome.warnings) process.stderr.write(`${warning}\n`)
    preferProductionReact()
    const {showForecast} = await import('../ui/show-forecast.js')
    await showForecast({document, history, columns: process.stdout.columns ?? 80}, process.stdout)
    return outcome.exitCode
  }
  return emit(outcome, renderForecast(document, history, format, chart))
}
