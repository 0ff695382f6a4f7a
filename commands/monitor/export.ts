import {Command, Flags} from '@oclif/core'
import {helpFlag} from '../../src/cli/flags.js'
import {emit, runCommand} from '../../src/cli/run-command.js'
import {DEFAULT_DB} from '../../src/config/monitor-options.js'

export default class MonitorExport extends Command {
  static override summary = 'Export stored rollups (timestamp, metric, mean, max, p95, samples) as CSV or JSON.'

  static override examples = [
    {
      description: 'The last day of CPU busy % as CSV',
      command: '<%= config.bin %> monitor export --metric cpu.busy --since 24h',
    },
  ]

  static override flags = {
    ...helpFlag,
    db: Flags.string({
      description: `SQLite database written by loadplan monitor. Default: ${DEFAULT_DB}. Example: --db ./host.db`,
      env: 'LOADPLAN_DB',
      default: DEFAULT_DB,
      helpValue: 'FILE',
    }),
    format: Flags.string({
      char: 'f',
      description: 'csv or json. Default: csv. Example: --format json',
      default: 'csv',
      helpValue: 'FORMAT',
    }),
    json: Flags.boolean({description: 'Same as --format json. Default: off. Example: --json', default: false}),
    metric: Flags.string({
      char: 'm',
      description: 'Only metrics starting with this. Default: all. Example: --metric cpu.',
      helpValue: 'PREFIX',
    }),
    since: Flags.string({
      description: 'Only the last part of the history. Default: all. Example: --since 7d',
      helpValue: 'DURATION',
    }),
  }

  async run(): Promise<void> {
    // Loaded here, not at start-up: `--help` and other commands never pay for them.
    const {exportRecording} = await import('../../src/app/monitor.js')
    const {rollupsToCsv} = await import('../../src/report/monitor-views.js')
    const {flags} = await this.parse(MonitorExport)
    await runCommand('Cannot export:', () => {
      const outcome = exportRecording(
        {db: flags.db, format: flags.format, json: flags.json, metric: flags.metric, since: flags.since},
        Date.now(),
      )
      const {rows, format} = outcome.document
      return emit(outcome, format === 'csv' ? rollupsToCsv(rows) : `${JSON.stringify(rows, null, 2)}\n`)
    })
  }
}
