import {Command, Flags} from '@oclif/core'
import {executeDemo} from '../src/cli/execute-demo.js'

export default class Demo extends Command {
  static override summary = 'The whole job in under a minute: measure a built-in service, forecast bundled traffic, print a 12-month plan with costs.'

  static override description = `Starts a small sample service on 127.0.0.1, finds the highest request rate it sustains with
p99 < 50 ms (a short loadplan capacity search), forecasts a bundled real hourly traffic history
for 12 months (loadplan forecast), and prints the capacity plan (loadplan plan) for AWS us-east-1.
Nothing else needs to be installed; the service is stopped at the end.`

  static override examples = [{description: 'Run it', command: '<%= config.bin %> demo'}]

  static override flags = {
    html: Flags.string({description: 'Also write the plan as a self-contained HTML report. Default: none. Example: --html demo-plan.html', helpValue: 'FILE'}),
    format: Flags.string({char: 'f', description: 'Plan output: table, json, csv or markdown. Default: table. Example: --format json', default: 'table', helpValue: 'FORMAT'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Demo)
    process.exitCode = await executeDemo({packageRoot: this.config.root, toolVersion: this.config.version, format: flags.format, html: flags.html, nowMs: Date.now()})
  }
}
