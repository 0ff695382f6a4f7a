import {Args, Command, Flags} from '@oclif/core'
import {helpFlag, outputFlags} from '../src/cli/flags.js'
import {runCommand} from '../src/cli/run-command.js'

export default class Merge extends Command {
  static override summary =
    'Add the results of the shards of a split run (run --segment i/n) into one, exactly, and judge its thresholds.'

  static override description = `Histograms, counters, status codes, errors, per-target tallies and per-second samples
(aligned on the shards' shared start) are added, never averaged: the merged percentiles are those
of all the shards' requests together. Thresholds of the shards, and any given here, are judged on
the sum. Results from different plans, overlapping shards or runs without --segment are refused;
missing shards are allowed and named.

Exit codes: 0 ok, 2 bad input, 3 a threshold failed, 130 a shard was interrupted.`

  static override examples = [
    {
      description: 'Merge three shards and fail CI if the merged p99 exceeds 250 ms',
      command:
        '<%= config.bin %> merge shard-0.json shard-1.json shard-2.json --threshold "p99<250ms" --out merged.json',
    },
  ]

  static override strict = false

  static override args = {
    files: Args.string({
      description:
        'The RunResult of every shard (loadplan run --segment i/n --out FILE). Example: shard-0.json shard-1.json',
      required: true,
    }),
  }

  static override flags = {
    ...helpFlag,
    ...outputFlags,
    threshold: Flags.string({
      description:
        'Also judge this on the merged result (exit 3 if it fails); repeatable. Default: the shards\' thresholds. Example: --threshold "p99<250ms"',
      multiple: true,
      helpValue: 'EXPR',
    }),
  }

  async run(): Promise<void> {
    const [{mergeResults}, {renderRunOutcome}] = await Promise.all([
      import('../src/app/merge.js'),
      import('../src/cli/render-load.js'),
    ])
    const {argv, flags} = await this.parse(Merge)
    await runCommand('Cannot merge:', async () => {
      const outcome = await mergeResults({
        files: argv as string[],
        thresholds: flags.threshold,
        out: flags.out,
        junit: flags.junit,
        markdown: flags.markdown,
        stepSummary: process.env.GITHUB_STEP_SUMMARY,
        toolVersion: this.config.version,
      })
      return renderRunOutcome(outcome, {json: flags.json})
    })
  }
}
