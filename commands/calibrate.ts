import {Command, Flags} from '@oclif/core'
import {helpFlag} from '../src/cli/flags.js'
import {emit, runCommand} from '../src/cli/run-command.js'

export default class Calibrate extends Command {
  static override summary =
    "Measure this host's CPU on the performance table's scale, for plans of services measured here."

  static override description = `Runs stress-ng's cpu stressor with --cpu-method div16 (as the public benchmark data behind the
performance table does) on one core and then on every vCPU, and prints (or writes with --out) the
bogo-ops/s. Give the file to loadplan plan --calibration when the service's capacity was measured
on a machine the catalog does not list (a laptop, an on-premises server): the plan then carries the
capacity to cloud types by the ratio of their stress-ng scores on all cores. div16's work per
bogo-op is a fixed integer loop, so the score compares across stress-ng versions (Debian 12 ships
0.15.06; the table was measured with 0.17.08). Needs stress-ng (Debian: apt install stress-ng).
Keep the machine otherwise idle while it runs.`

  static override examples = [
    {
      description: 'Calibrate, then plan a service measured on this machine',
      command:
        '<%= config.bin %> calibrate --out host.json && <%= config.bin %> plan --capacity cap.json --calibration host.json --family c7g,m7i --history traffic.csv',
    },
    {description: 'A quick, noisier calibration', command: '<%= config.bin %> calibrate --duration 5s'},
  ]

  static override flags = {
    ...helpFlag,
    duration: Flags.string({
      description: 'Length of each of the two runs. Default: 20s (as the table was measured). Example: --duration 5s',
      helpValue: 'DURATION',
    }),
    out: Flags.string({
      char: 'o',
      description: 'Write the calibration JSON to FILE. Default: none. Example: --out host.json',
      helpValue: 'FILE',
    }),
    json: Flags.boolean({
      description: 'Print the calibration JSON instead of a summary. Default: off. Example: --json',
      default: false,
    }),
  }

  async run(): Promise<void> {
    // Loaded here, not at start-up: `--help` and other commands never pay for them.
    const {calibrateHost} = await import('../src/app/calibrate.js')
    const {onInterrupt} = await import('../src/cli/on-interrupt.js')
    const {flags} = await this.parse(Calibrate)
    await runCommand('Cannot calibrate:', async () => {
      const interrupt = onInterrupt('Stopping stress-ng…')
      try {
        const outcome = await calibrateHost({
          duration: flags.duration,
          out: flags.out,
          nowMs: Date.now(),
          log: (line) => process.stderr.write(`${line}\n`),
          signal: interrupt.signal,
        })
        const c = outcome.document
        const text = flags.json
          ? `${JSON.stringify(c, null, 2)}\n`
          : `${c.cpuModel}, ${c.cores} vCPUs: stress-ng ${c.stressngVersion} cpu ${c.method}: ${c.singleCore} bogo-ops/s on one core, ${c.allCores} on all ${c.cores} (×${(c.allCores / c.singleCore).toFixed(2)})${flags.out ? `\nwritten to ${flags.out}; use it with loadplan plan --calibration ${flags.out}` : ''}\n`
        return emit(outcome, text)
      } finally {
        interrupt.dispose()
      }
    })
  }
}
