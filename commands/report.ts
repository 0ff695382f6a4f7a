import {Args, Command, Flags} from '@oclif/core'
import {REPORT_FORMATS, executeReport} from '../src/cli/execute-report.js'

export default class Report extends Command {
  static override summary = 'Re-render a saved run or capacity result as a table, Markdown, JUnit XML or JSON.'

  static override examples = [
    {description: 'A Markdown summary of a saved run, e.g. for a pull-request comment', command: '<%= config.bin %> report result.json --format md'},
    {description: 'JUnit XML for a CI test report', command: '<%= config.bin %> report cap.json --format junit > loadplan.xml'},
  ]

  static override args = {
    file: Args.string({description: 'A RunResult or CapacityResult written by --json or --out. Example: result.json', required: true}),
  }

  static override flags = {
    format: Flags.string({char: 'f', description: `Output format: ${REPORT_FORMATS.join(', ')}. Default: table. Example: --format md`, default: 'table', helpValue: 'FORMAT'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Report)
    process.exitCode = executeReport(args.file, flags.format)
  }
}
