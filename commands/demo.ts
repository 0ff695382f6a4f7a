import {Command, Flags} from '@oclif/core'
import {helpFlag} from '../src/cli/flags.js'
import {emit, runCommand, textColumns} from '../src/cli/run-command.js'
import {PLAN_FORMATS} from '../src/config/plan-options.js'
import {ProblemList} from '../src/contracts/errors.js'
import {wrapText} from '../src/contracts/format/wrap-text.js'
import {describeFormats, parseOutputFormat} from '../src/contracts/format/output-format.js'

export default class Demo extends Command {
  static override summary =
    'The whole job in under a minute: measure a built-in service, forecast bundled traffic, print a 12-month plan with costs.'

  static override description = `Starts a small sample service on 127.0.0.1, finds the highest request rate it sustains with
p99 < 50 ms (a short loadplan capacity search), forecasts a bundled real hourly traffic history
for 12 months (loadplan forecast), and prints the capacity plan (loadplan plan) for AWS us-east-1.
Nothing else needs to be installed; the service is stopped at the end.`

  static override examples = [{description: 'Run it', command: '<%= config.bin %> demo'}]

  static override flags = {
    ...helpFlag,
    html: Flags.string({
      description: 'Also write the plan as a self-contained HTML report. Default: none. Example: --html demo-plan.html',
      helpValue: 'FILE',
    }),
    format: Flags.string({
      char: 'f',
      description: `Plan output: ${describeFormats(PLAN_FORMATS)}. Default: table. Example: --format json`,
      default: 'table',
      helpValue: 'FORMAT',
    }),
    json: Flags.boolean({description: 'Same as --format json. Default: off. Example: --json', default: false}),
  }

  async run(): Promise<void> {
    // Loaded here, not at start-up: `--help` and other commands never pay for them.
    const {runDemo} = await import('../src/app/demo.js')
    const {renderPlanDocument} = await import('../src/report/plan-views.js')
    const {flags} = await this.parse(Demo)
    await runCommand('Cannot run the demo:', async () => {
      const problems = new ProblemList()
      const format = parseOutputFormat(flags.format, PLAN_FORMATS, problems, flags.json)
      problems.throwIfAny('Cannot run the demo:')
      const outcome = await runDemo({
        packageRoot: this.config.root,
        toolVersion: this.config.version,
        format,
        html: flags.html,
        nowMs: Date.now(),
        log: (line) => process.stderr.write(`${wrapText(line, textColumns(process.stderr), 6)}\n`),
      })
      return emit(
        outcome,
        outcome.document ? renderPlanDocument(outcome.document.plan, outcome.document.format, textColumns()) : '',
      )
    })
  }
}
