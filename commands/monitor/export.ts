import {Command, Flags} from '@oclif/core'
import {DEFAULT_DB, executeMonitorExport} from '../../src/cli/execute-monitor.js'

export default class MonitorExport extends Command {
  static override summary = 'Export stored rollups (timestamp, metric, mean, max, p95, samples) as CSV or JSON.'

  static override examples = [{description: 'The last day of CPU busy % as CSV', command: '<%= config.bin %> monitor export --metric cpu.busy --since 24h'}]

  static override flags = {
    db: Flags.string({description: `SQLite database written by loadplan monitor. Default: ${DEFAULT_DB}. Example: --db ./host.db`, env: 'LOADPLAN_DB', default: DEFAULT_DB, helpValue: 'FILE'}),
    format: Flags.string({char: 'f', description: 'csv or json. Default: csv. Example: --format json', default: 'csv', helpValue: 'FORMAT'}),
    metric: Flags.string({char: 'm', description: 'Only metrics starting with this. Default: all. Example: --metric cpu.', helpValue: 'PREFIX'}),
    since: Flags.string({description: 'Only the last part of the history. Default: all. Example: --since 7d', helpValue: 'DURATION'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(MonitorExport)
    process.exitCode = executeMonitorExport(flags.db, flags.format, flags.metric, flags.since)
  }
}
