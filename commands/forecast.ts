import {Args, Command, Flags} from '@oclif/core'
import {helpFlag} from '../src/cli/flags.js'
import {runCommand} from '../src/cli/run-command.js'
import {FORECAST_FORMATS, MODEL_NAMES} from '../src/config/forecast-options.js'

export default class Forecast extends Command {
  static override summary =
    'Forecast a traffic series: growth plus daily, weekly and yearly cycles, with 80 % and 95 % intervals.'

  static override description = `History comes from a CSV file (timestamp,value; header and delimiter detected; ISO or epoch
timestamps), from a loadplan monitor database (--recording), or from Prometheus (query_range). Irregular input is regularised to its resolution
(hour, day or month; finer data is aggregated to hours), gaps stay gaps, and what was done is
reported.

Every model is backtested on the history by rolling origin and scored by MASE (1 = the in-sample
error of the seasonal naive); the best is chosen unless --model forces one. The 80 % and 95 %
bands come from the chosen model refitted at up to 12 rolling origins: its errors, scaled by
how they grow with the lead (at least like √h), and their finite-sample conformal quantiles,
widened for correlated errors; with too few errors, a normal band from the seasonal naive's
error. The output says which, and from how many errors.

Models: seasonal-naive, seasonal-median (median of the last four seasons), trend-fourier
(piecewise-linear trend with automatic changepoints plus Fourier cycles), damped-fourier,
loglinear-fourier (exponential growth, multiplicative cycles), saturating-fourier (logistic
growth towards 1.5 × the history's maximum), ets (damped Holt-Winters),
combination (median of seasonal-median, damped-fourier and ets).`

  static override examples = [
    {description: 'A week ahead from hourly history in a CSV file', command: '<%= config.bin %> forecast traffic.csv'},
    {
      description: 'A year of monthly peaks, as CSV',
      command: '<%= config.bin %> forecast monthly.csv --horizon 12mo --format csv > forecast.csv',
    },
    {
      description: 'From the traffic the monitor recorded',
      command: '<%= config.bin %> forecast --recording ~/.loadplan/metrics.db --metric traffic.requests_per_sec',
    },
    {
      description: 'From Prometheus: 30 days of request rate at 1-hour steps',
      command: `<%= config.bin %> forecast --prometheus http://127.0.0.1:9090 --query 'sum(rate(http_requests_total[5m]))' --since 30d --step 1h`,
    },
  ]

  static override args = {
    file: Args.string({description: 'CSV file with timestamp,value rows. Example: traffic.csv', required: false}),
  }

  static override flags = {
    ...helpFlag,
    horizon: Flags.string({
      description:
        'How far ahead: 48h, 7d, 2w, 12mo, 1y or a number of steps. Default: 7d for hourly data, 90d daily, 12mo monthly. Example: --horizon 30d',
      helpValue: 'SPAN',
    }),
    model: Flags.string({
      char: 'm',
      description: `auto or one of ${MODEL_NAMES.join(', ')}. Default: auto (the model with the lowest backtest error relative to the seasonal naive's; the naive on a tie, the combination unless a single model is 5 % better). Past twice the backtest's horizon the last cycle is carried at the history's growth, whatever the model. Example: --model ets`,
      default: 'auto',
      helpValue: 'MODEL',
    }),
    format: Flags.string({
      char: 'f',
      description: `${FORECAST_FORMATS.join(', ')}; csv has exactly timestamp,forecast,lo80,hi80,lo95,hi95. Default: table. Example: --format csv`,
      default: 'table',
      helpValue: 'FORMAT',
    }),
    json: Flags.boolean({
      description:
        'Same as --format json: the versioned forecast document. Default: off. Example: --json > forecast.json',
      default: false,
    }),
    aggregate: Flags.string({
      description:
        'How several values in one step combine: sum for counts, mean for rates and levels. Default: mean. Example: --aggregate sum',
      default: 'mean',
      helpValue: 'RULE',
    }),
    recording: Flags.string({
      description:
        'A database written by loadplan monitor to read history from. Default: none. Example: --recording ~/.loadplan/metrics.db',
      helpValue: 'DB',
    }),
    metric: Flags.string({
      description:
        'Metric to read from --recording (per-period means). Default: traffic.requests_per_sec. Example: --metric cpu.busy',
      default: 'traffic.requests_per_sec',
      helpValue: 'NAME',
    }),
    prometheus: Flags.string({
      description:
        'Prometheus base URL to read history from. Default: none. Example: --prometheus http://127.0.0.1:9090',
      env: 'LOADPLAN_PROMETHEUS',
      helpValue: 'URL',
    }),
    query: Flags.string({
      description:
        'PromQL expression (one series; several are summed). Default: none. Example: --query "sum(rate(http_requests_total[5m]))"',
      helpValue: 'PROMQL',
    }),
    since: Flags.string({
      description: 'How much Prometheus history to read. Default: 30d. Example: --since 90d',
      default: '30d',
      helpValue: 'DURATION',
    }),
    step: Flags.string({
      description: 'Prometheus query step. Default: 1h. Example: --step 5m',
      default: '1h',
      helpValue: 'DURATION',
    }),
    out: Flags.string({
      char: 'o',
      description:
        'Also write the result to FILE (JSON for the table format). Default: none. Example: --out forecast.json',
      helpValue: 'FILE',
    }),
    chart: Flags.boolean({
      description:
        'Draw history and forecast band in the table format; on a terminal, as a view as wide as it (--no-chart to skip). Default: on. Example: --no-chart',
      default: true,
      allowNo: true,
    }),
  }

  async run(): Promise<void> {
    // Loaded here, not at start-up: `--help` and other commands never pay for them.
    const {forecast} = await import('../src/app/forecast.js')
    const {printForecast} = await import('../src/cli/forecast-output.js')
    const {args, flags} = await this.parse(Forecast)
    await runCommand('Cannot forecast:', async () => {
      const outcome = await forecast({
        flags: {
          file: args.file,
          recording: flags.recording,
          metric: flags.metric,
          prometheus: flags.prometheus,
          query: flags.query,
          since: flags.since,
          step: flags.step,
          horizon: flags.horizon,
          model: flags.model,
          format: flags.format,
          json: flags.json,
          aggregate: flags.aggregate,
        },
        out: flags.out,
        nowMs: Date.now(),
      })
      return printForecast(outcome, flags.chart)
    })
  }
}
