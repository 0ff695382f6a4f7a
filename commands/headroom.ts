import {Command, Flags} from '@oclif/core'
import {runCommand} from '../src/cli/run-command.js'
import {DEFAULT_DB} from '../src/config/monitor-options.js'
import {catalogFlags, helpFlag} from '../src/cli/flags.js'

export default class Headroom extends Command {
  static override summary = 'How much load this host can still take, when it runs out, and which instance size fits.'

  static override description = `From the history loadplan monitor stored (or a CSV of timestamp,cpu,memory in percent, or
Prometheus queries for CPU and memory percent):
per-resource p50/p95/p99/p99.5/max, the binding resource, the headroom factor (how far load can
grow before the first resource crosses its target), the trend per day (Theil–Sen, 80 % interval)
and days until the target is crossed, and the cheapest catalog instance type on which every
resource meets its target, with the right class, a 0–4 risk score and the monthly cost
difference. Inside a container the cgroup limits and usage are judged, not the host's.

Profiles: aws (CPU p99.5 and memory max with 20 % headroom, as AWS Compute Optimizer),
user-facing (CPU p95 ≤ 40 %, memory max ≤ 60 %, as Azure Advisor), batch (80 % / 80 %). The CPU
target is also capped at the M/M/c queueing knee for the candidate's vCPUs (the utilisation where
response time reaches 1.5 × service time). Needs 30 h of history; warns below 7 days.`

  static override examples = [
    {
      description: 'Judge the recorded history for a user-facing service on AWS',
      command: '<%= config.bin %> headroom --profile user-facing --instance-type m7g.xlarge',
    },
    {
      description: 'From a CSV, sized against Graviton families in us-east-1',
      command: '<%= config.bin %> headroom --csv usage.csv --vcpus 8 --memory 32 --family m7g,c7g,r7g',
    },
  ]

  static override flags = {
    ...helpFlag,
    db: Flags.string({
      description: `Database written by loadplan monitor. Default: ${DEFAULT_DB}. Example: --db ./host.db`,
      env: 'LOADPLAN_DB',
      default: DEFAULT_DB,
      helpValue: 'FILE',
    }),
    csv: Flags.string({
      description:
        'Read timestamp,cpu,memory (percent) rows instead of the database. Default: none. Example: --csv usage.csv',
      helpValue: 'FILE',
    }),
    prometheus: Flags.string({
      description:
        'Read the history from Prometheus instead (with --cpu-query and --memory-query). Default: none. Example: --prometheus http://127.0.0.1:9090',
      env: 'LOADPLAN_PROMETHEUS',
      helpValue: 'URL',
    }),
    'cpu-query': Flags.string({
      description:
        'PromQL for CPU busy percent of the host. Default: none. Example: --cpu-query \'100 * (1 - sum(rate(node_cpu_seconds_total{mode=~"idle|iowait"}[5m])) / count(node_cpu_seconds_total{mode="idle"}))\'',
      helpValue: 'PROMQL',
    }),
    'memory-query': Flags.string({
      description:
        "PromQL for memory used percent of the host. Default: none. Example: --memory-query '100 * (1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes)'",
      helpValue: 'PROMQL',
    }),
    horizon: Flags.string({
      description:
        'How far ahead a recommendation must hold: a resource whose trend reaches its target sooner is judged where it will be then (no downsize that fits only today). Default: 30d. Example: --horizon 90d',
      helpValue: 'DURATION',
    }),
    since: Flags.string({
      description: 'How much Prometheus history to read. Default: 14d. Example: --since 30d',
      default: '14d',
      helpValue: 'DURATION',
    }),
    step: Flags.string({
      description: 'Prometheus query step (one history period). Default: 1m. Example: --step 5m',
      default: '1m',
      helpValue: 'DURATION',
    }),
    profile: Flags.string({
      char: 'p',
      description: 'aws, user-facing or batch. Default: aws. Example: --profile user-facing',
      default: 'aws',
      helpValue: 'NAME',
    }),
    provider: Flags.string({
      description: 'Cloud to size against: aws, gcp or azure. Default: aws. Example: --provider gcp',
      default: 'aws',
      helpValue: 'NAME',
    }),
    region: Flags.string({
      description:
        "Region for prices. Default: the provider's default region (us-east-1, us-central1, eastus). Example: --region europe-west1",
      helpValue: 'REGION',
    }),
    'instance-type': Flags.string({
      description:
        'The type the history was measured on (its size and price). Default: the recorded host size. Example: --instance-type m7g.xlarge',
      env: 'LOADPLAN_INSTANCE_TYPE',
      helpValue: 'TYPE',
    }),
    vcpus: Flags.string({
      description: 'vCPUs of the measured host when it is not a catalog type. Default: recorded. Example: --vcpus 8',
      helpValue: 'N',
    }),
    memory: Flags.string({
      description:
        'Memory GiB of the measured host when it is not a catalog type. Default: recorded. Example: --memory 32',
      helpValue: 'GIB',
    }),
    family: Flags.string({
      description:
        'Only recommend these families, repeatable or comma-separated. Default: all current general, compute and memory families. Example: --family m7g,c7g',
      multiple: true,
      helpValue: 'FAMILY',
    }),
    arch: Flags.string({
      description: 'Only recommend this architecture. Default: any. Example: --arch arm64',
      helpValue: 'ARCH',
    }),
    ...catalogFlags,
  }

  async run(): Promise<void> {
    // Loaded here, not at start-up: `--help` and other commands never pay for them.
    const {judgeHeadroom} = await import('../src/app/headroom.js')
    const {printHeadroom} = await import('../src/cli/headroom-output.js')
    const {flags} = await this.parse(Headroom)
    await runCommand('Cannot judge headroom:', async () => {
      const outcome = await judgeHeadroom(
        {
          db: flags.db,
          csv: flags.csv,
          prometheus: flags.prometheus,
          cpuQuery: flags['cpu-query'],
          memoryQuery: flags['memory-query'],
          since: flags.since,
          horizon: flags.horizon,
          step: flags.step,
          profile: flags.profile,
          provider: flags.provider,
          region: flags.region,
          instanceType: flags['instance-type'],
          vcpus: flags.vcpus,
          memory: flags.memory,
          families: flags.family,
          arch: flags.arch,
          catalog: flags.catalog,
        },
        Date.now(),
      )
      return printHeadroom(outcome, flags.json)
    })
  }
}
