import {Args, Command, Flags} from '@oclif/core'
import {helpFlag} from '../src/cli/flags.js'
import {emit, runCommand, stdoutColor} from '../src/cli/run-command.js'
import {describeFormats, REPORT_FORMATS} from '../src/contracts/format/output-format.js'

export default class Report extends Command {
  static override summary = 'Re-render a saved run or capacity result as a table, Markdown, JUnit XML or JSON.'

  static override examples = [
    {
      description: 'A Markdown summary of a saved run, e.g. for a pull-request comment',
      command: '<%= config.bin %> report result.json --format md',
    },
    {
      description: 'JUnit XML for a CI test report',
      command: '<%= config.bin %> report cap.json --format junit > loadplan.xml',
    },
    {
      description: 'An HTML page of a run, to attach to a pull request',
      command: '<%= config.bin %> report result.json --html run.html',
    },
    {
      description: 'An HTML page of a capacity search: latency by offered rate against the SLO',
      command: '<%= config.bin %> report cap.json --html capacity.html',
    },
  ]

  static override args = {
    file: Args.string({
      description: 'A RunResult or CapacityResult written by --json or --out. Example: result.json',
      required: true,
    }),
  }

  static override flags = {
    ...helpFlag,
    format: Flags.string({
      char: 'f',
      description: `Output format: ${describeFormats(REPORT_FORMATS)}. Default: table. Example: --format md`,
      default: 'table',
      helpValue: 'FORMAT',
    }),
    json: Flags.boolean({description: 'Same as --format json. Default: off. Example: --json', default: false}),
    html: Flags.string({
      description:
        'Also write the result as one self-contained HTML page. A run: percentiles, throughput against the target, latency over time, status codes, errors, scenarios, checks, thresholds. A capacity search: the answer and its bracket, latency and served rate by offered rate against the SLO, every step. Default: none. Example: --html run.html',
      helpValue: 'FILE',
    }),
  }

  async run(): Promise<void> {
    // Loaded here, not at start-up: `--help` and other commands never pay for them.
    const {readSavedReport} = await import('../src/app/report.js')
    const {renderSavedResult} = await import('../src/report/render-saved-result.js')
    const {args, flags} = await this.parse(Report)
    await runCommand(`Cannot report ${args.file}:`, async () => {
      const outcome = await readSavedReport({path: args.file, format: flags.format, json: flags.json, html: flags.html})
      return emit(outcome, renderSavedResult(outcome.document.saved, outcome.document.format, stdoutColor()))
    })
  }
}
