import {Args, Command, Flags} from '@oclif/core'
import {helpFlag} from '../src/cli/flags.js'
import {emit, runCommand} from '../src/cli/run-command.js'
import {DEFAULT_REGRESSION} from '../src/config/run/run-flags.js'

export default class Compare extends Command {
  static override summary = 'Compare two saved run results side by side; exit 3 when the new one regressed.'

  static override description = `The same table and verdict as run --compare, from two RunResults saved with --out: p50, p90,
p99, max, requests/s and the error ratio, with the change of each. p99 and the error ratio are
judged: worse by more than --regression is a regression (error-ratio changes under 0.1
percentage point never count).

Exit codes: 0 no regression, 2 bad input, 3 regression.`

  static override examples = [
    {
      description: 'Did this build get slower than the last release?',
      command: '<%= config.bin %> compare release.json build.json --regression 5%',
    },
  ]

  static override args = {
    baseline: Args.string({
      description: 'The baseline RunResult (loadplan run --out). Example: release.json',
      required: true,
    }),
    current: Args.string({description: 'The RunResult to judge against it. Example: build.json', required: true}),
  }

  static override flags = {
    ...helpFlag,
    regression: Flags.string({
      description: `How much worse p99 or the error ratio may get before it fails. Default: ${DEFAULT_REGRESSION}. Example: --regression 5%`,
      helpValue: 'PERCENT',
    }),
    markdown: Flags.string({
      description:
        'Also write the comparison as a Markdown table to FILE. Default: none. Example: --markdown compare.md',
      helpValue: 'FILE',
    }),
    json: Flags.boolean({description: 'Print the comparison as JSON. Default: off. Example: --json', default: false}),
  }

  async run(): Promise<void> {
    const [{compareSavedRuns}, {comparisonToJson, renderComparison}] = await Promise.all([
      import('../src/app/compare.js'),
      import('../src/report/compare-runs.js'),
    ])
    const {args, flags} = await this.parse(Compare)
    await runCommand('Cannot compare:', async () => {
      const outcome = await compareSavedRuns({
        baseline: args.baseline,
        current: args.current,
        regression: flags.regression,
        markdown: flags.markdown,
      })
      const {document} = outcome
      return emit(
        outcome,
        flags.json
          ? comparisonToJson(document)
          : `${document.current} compared with ${document.baseline}\n${renderComparison(document.comparison)}`,
      )
    })
  }
}
