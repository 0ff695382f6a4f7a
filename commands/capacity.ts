import {Args, Command, Flags} from '@oclif/core'
import {runCommand} from '../src/cli/run-command.js'
import {helpFlag, outputFlags, requestFlags, requestFlagsToRunFlags} from '../src/cli/flags.js'
import {CAPACITY_DEFAULTS as D, DEFAULT_SLO} from '../src/config/capacity-options.js'

export default class Capacity extends Command {
  static override summary = 'Find the highest request rate one instance sustains while meeting an SLO.'

  static override description = `Steps an open-model arrival rate up geometrically until the SLO breaks, bisects between the
last good and the first bad rate, and repeats the final rate to confirm it. Each step runs
--warmup (not measured) plus --step-duration. Arrivals the target cannot absorb (in flight
beyond --max-in-flight) fail the step. Optionally (--concurrency) measures throughput at several
concurrency levels and fits the Universal Scalability Law to show where more concurrency stops
paying.

The result (--json, --out) is a CapacityResult that \`loadplan plan --capacity\` reads: the
sustainable requests/s, the latency at it, and the host it was measured on.

Exit codes: 0 a sustainable rate was found, 3 no rate met the SLO, 2 bad input, 130 interrupted
(what was found so far is still printed and written), 1 a bug in loadplan.`

  static override examples = [
    {
      description: 'Sustainable rate under p99 < 100 ms and < 1 % errors',
      command: '<%= config.bin %> capacity http://127.0.0.1:8080/ --slo "p99<100ms,errors<1%"',
    },
    {
      description: 'The SLO and requests from a service file, a quicker search, saved for loadplan plan',
      command:
        '<%= config.bin %> capacity plans/example.yaml --step-duration 5s --out cap.json --instance-type c7g.large',
    },
    {
      description: 'Also fit the Universal Scalability Law',
      command: '<%= config.bin %> capacity http://127.0.0.1:8080/ --concurrency 1,2,4,8,16,32',
    },
  ]

  static override args = {
    target: Args.string({
      description:
        'URL (http:// or https://) or service file (YAML) whose requests and slo: are used. Example: http://127.0.0.1:8080/ or plans/example.yaml',
      required: false,
    }),
  }

  static override flags = {
    ...helpFlag,
    slo: Flags.string({
      description: `Objectives every step must meet, comma-separated thresholds (latency percentiles and errors). Default: the file's slo:, else ${DEFAULT_SLO}. Example: --slo "p99<100ms,errors<1%"`,
      env: 'LOADPLAN_SLO',
      helpValue: 'EXPRS',
    }),
    'start-rate': Flags.string({
      description: `First arrival rate tried. Default: ${D.startRate}. Example: --start-rate 100/s`,
      helpValue: 'RATE',
    }),
    'growth-factor': Flags.string({
      description: `Multiplier of the ramp until the SLO first breaks. Default: ${D.growthFactor}. Example: --growth-factor 1.5`,
      helpValue: 'X',
    }),
    'max-rate': Flags.string({
      description: `Never offer more than this. Default: ${D.maxRate}. Example: --max-rate 2000/s`,
      env: 'LOADPLAN_MAX_RATE',
      helpValue: 'RATE',
    }),
    precision: Flags.string({
      description: `Bisection stops when the gap between the good and the bad rate is at most this share. Default: ${D.precision}. Example: --precision 2%`,
      helpValue: 'PERCENT',
    }),
    'step-duration': Flags.string({
      description: `Measured length of each step. Default: ${D.stepDuration}. Example: --step-duration 30s`,
      helpValue: 'DURATION',
    }),
    warmup: Flags.string({
      description: `Unmeasured lead-in of each step. Default: ${D.warmup}. Example: --warmup 5s`,
      helpValue: 'DURATION',
    }),
    'max-duration': Flags.string({
      description: `Upper bound on the whole search; it reports what it found when time runs out. Default: ${D.maxDuration}. Example: --max-duration 20m`,
      env: 'LOADPLAN_MAX_DURATION',
      helpValue: 'DURATION',
    }),
    'max-error-ratio': Flags.string({
      description: `A step whose errors pass this share ends early as failed. Default: ${D.maxErrorRatio}. Example: --max-error-ratio 10%`,
      helpValue: 'PERCENT',
    }),
    'max-in-flight': Flags.string({
      description: `Most requests outstanding in a step; arrivals beyond it are dropped and fail the step. Default: ${D.maxInFlight}. Example: --max-in-flight 5000`,
      helpValue: 'N',
    }),
    confirm: Flags.boolean({
      description:
        'Repeat the final rate once before reporting it (--no-confirm to skip). Default: on. Example: --no-confirm',
      allowNo: true,
      default: true,
    }),
    concurrency: Flags.string({
      description:
        'Also measure closed-model throughput at these concurrency levels and fit the USL. Default: none. Example: --concurrency 1,2,4,8,16,32',
      helpValue: 'LIST',
    }),
    command: Flags.string({
      description:
        'Start the service with this shell command (on this machine, in its own process group, stopped after), waiting until the target port accepts connections. Default: none. Example: --command "node app.js"',
      helpValue: 'CMD',
    }),
    cpus: Flags.string({
      description:
        'With --command: search once per CPU count, the service pinned with taskset, and fit how it scales with CPUs (for plan). Default: unpinned. Example: --cpus 1,2',
      helpValue: 'LIST',
    }),
    dashboard: Flags.string({
      description:
        'Live dashboard on stderr: auto (on a terminal, not in CI or with --quiet), on, off. Default: auto. Example: --dashboard off',
      default: 'auto',
      options: ['auto', 'on', 'off'],
      helpValue: 'MODE',
    }),
    'instance-type': Flags.string({
      description:
        'Instance type the service ran on, recorded for loadplan plan. Default: none (the host loadplan ran on is recorded). Example: --instance-type c7g.large',
      env: 'LOADPLAN_INSTANCE_TYPE',
      helpValue: 'TYPE',
    }),
    'service-host': Flags.string({
      description:
        'Where the service ran when the catalog does not list it: a calibration from loadplan calibrate --out, recorded for loadplan plan. Default: none. Example: --service-host host.json',
      helpValue: 'FILE',
    }),
    ...requestFlags,
    ...outputFlags,
  }

  async run(): Promise<void> {
    // Loaded here, not at start-up: `--help` and other commands never pay for them.
    const {searchCapacity} = await import('../src/app/capacity.js')
    const {renderCapacityOutcome} = await import('../src/cli/render-load.js')
    const {watchLoad} = await import('../src/cli/watch-load.js')
    const {args, flags} = await this.parse(Capacity)
    await runCommand('Cannot search capacity:', async () => {
      const live = watchLoad({
        dashboard: flags.dashboard,
        quiet: flags.quiet,
        progressLines: false,
        stopMessage: 'Stopping: ending the current step, then reporting what was found so far…',
      })
      try {
        const outcome = await searchCapacity(
          {
            target: args.target,
            requestFlags: requestFlagsToRunFlags(flags),
            capacityFlags: {
              startRate: flags['start-rate'],
              growthFactor: flags['growth-factor'],
              maxRate: flags['max-rate'],
              precision: flags.precision,
              stepDuration: flags['step-duration'],
              warmup: flags.warmup,
              maxDuration: flags['max-duration'],
              maxErrorRatio: flags['max-error-ratio'],
              maxInFlight: flags['max-in-flight'],
              confirm: flags.confirm,
              concurrency: flags.concurrency,
              command: flags.command,
              cpus: flags.cpus,
            },
            slo: flags.slo,
            instanceType: flags['instance-type'],
            serviceHost: flags['service-host'],
            out: flags.out,
            junit: flags.junit,
            markdown: flags.markdown,
            stepSummary: process.env.GITHUB_STEP_SUMMARY,
            toolVersion: this.config.version,
            defaultSeed: Math.floor(Math.random() * 2 ** 31),
          },
          live,
        )
        return renderCapacityOutcome(outcome, {json: flags.json})
      } finally {
        live.dispose()
      }
    })
  }
}
