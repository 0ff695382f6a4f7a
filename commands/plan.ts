import {Args, Command, Flags} from '@oclif/core'
import {catalogFlags, helpFlag, priceBookFlag} from '../src/cli/flags.js'
import {emit, runCommand, textColumns} from '../src/cli/run-command.js'
import {PLAN_DEFAULTS, PLAN_FORMATS} from '../src/config/plan-options.js'
import {describeFormats} from '../src/contracts/format/output-format.js'

export default class Plan extends Command {
  static override summary =
    'Twelve months of peak load, instances, instance size and cost: from measured capacity and forecast (or stated) growth.'

  static override description = `Each month of the horizon: the month's peak as a distribution (forecast from history over sample
paths, or a stated growth model), the instances of the cheapest suitable type that carry it with
the chance of overload you accept (--risk, 5 %), then redundancy on top (n+1, n+2, or zones:3 so
that losing a zone still carries the peak), instances and cost as P10/P50/P90 ranges,
storage and egress growth, and the monthly cost of compute, storage and egress at the catalog's
list prices (730-hour months), with the total. The capacity measured on one type (--instance-type:
where the service ran) is carried to the others through measured, published performance per type
(Spare Cores' benchmark data, CC BY-SA 4.0): the ratio of their static-web requests/s, else of
stress-ng on all cores, and only where the table has neither, of their vCPUs; the assumptions say
which. The plan compares the types (scale up or out) and says when to resize or add instances.

On a terminal (not CI, no --format, --json or --quiet) the plan opens in an explorer: keys change
one assumption and the plan is recomputed at once (←/→ month, p provider, f/F family, r redundancy,
b risk, +/- utilisation ceiling, 0 back to the start); w writes the plan as shown (JSON and
HTML) and prints the command line that prints it again; q quits.`

  static override examples = [
    {
      description: 'From a capacity result and an hourly traffic history',
      command: '<%= config.bin %> plan --capacity cap.json --history traffic.csv',
    },
    {
      description: 'From a stated throughput and growth',
      command:
        '<%= config.bin %> plan --per-instance 450/s --instance-type c7g.large --peak 1200/s --growth 8%/mo --redundancy zones:3',
    },
    {
      description: "Settings from a service file's plan: section, as CSV",
      command: '<%= config.bin %> plan plans/example.yaml --capacity cap.json --history traffic.csv --format csv',
    },
  ]

  static override args = {
    file: Args.string({
      description: 'Service file whose plan: section supplies defaults. Example: plans/example.yaml',
      required: false,
    }),
  }

  static override flags = {
    ...helpFlag,
    history: Flags.string({
      description:
        'CSV traffic history (timestamp,requests/s) to forecast from. Default: none. Example: --history traffic.csv',
      helpValue: 'FILE',
    }),
    recording: Flags.string({
      description:
        'Forecast from a metric recorded by loadplan monitor instead. Default: none. Example: --recording ~/.loadplan/metrics.db',
      helpValue: 'DB',
    }),
    metric: Flags.string({
      description: `Metric to read from --recording. Default: ${PLAN_DEFAULTS.metric}. Example: --metric traffic.requests_per_sec`,
      helpValue: 'NAME',
    }),
    aggregate: Flags.string({
      description: `How finer-than-hourly history combines: mean (rates) or sum (counts). Default: ${PLAN_DEFAULTS.aggregate}. Example: --aggregate sum`,
      helpValue: 'RULE',
    }),
    growth: Flags.string({
      description: 'Stated monthly growth instead of a forecast (needs --peak). Default: none. Example: --growth 8%/mo',
      helpValue: 'RATE',
    }),
    'growth-kind': Flags.string({
      description: `compound or linear growth. Default: ${PLAN_DEFAULTS.growthKind}. Example: --growth-kind linear`,
      helpValue: 'KIND',
    }),
    peak: Flags.string({
      description: 'Current hourly peak, with --growth. Default: none. Example: --peak 1200/s',
      helpValue: 'RATE',
    }),
    'mean-to-peak': Flags.string({
      description: `Mean load as a share of the peak, with --growth (for egress). Default: ${PLAN_DEFAULTS.meanToPeak}. Example: --mean-to-peak 40%`,
      helpValue: 'PERCENT',
    }),
    capacity: Flags.string({
      description:
        'CapacityResult from loadplan capacity --out: sustainable req/s of one instance. Default: none. Example: --capacity cap.json',
      helpValue: 'FILE',
    }),
    calibration: Flags.string({
      description:
        'The host the capacity was measured on, calibrated with loadplan calibrate --out (for a machine the catalog does not list): capacity is carried to cloud types by stress-ng scores. Default: none. Example: --calibration host.json',
      helpValue: 'FILE',
    }),
    'per-instance': Flags.string({
      description:
        'Stated sustainable throughput of one instance instead. Default: none. Example: --per-instance 450/s',
      helpValue: 'RATE',
    }),
    'instance-type': Flags.string({
      description:
        "The type the throughput was measured on. Default: the capacity result's. Example: --instance-type c7g.large",
      helpValue: 'TYPE',
    }),
    vcpus: Flags.string({
      description:
        'vCPUs of the measured host when it is not a catalog type. Default: from the type. Example: --vcpus 2',
      helpValue: 'N',
    }),
    provider: Flags.string({
      description: `aws, gcp or azure. Default: ${PLAN_DEFAULTS.provider}. Example: --provider gcp`,
      helpValue: 'NAME',
    }),
    region: Flags.string({
      description: "Price region. Default: the provider's default. Example: --region us-central1",
      helpValue: 'REGION',
    }),
    regions: Flags.string({
      description:
        'Active-active across regions, each with its share of the traffic (equal when left out); each is sized for its share plus its part of the largest other region, priced at its own prices. Default: one region. Example: --regions gcp:us-east1=60%,gcp:europe-west1=40%',
      helpValue: 'PROVIDER:REGION=SHARE,…',
    }),
    serverless: Flags.boolean({
      description:
        'Also price the same traffic on AWS Lambda, Google Cloud Run and Azure Functions, with the load above which the instances are cheaper. Default: off. Example: --serverless --service-time 80ms',
      default: false,
    }),
    'serverless-memory': Flags.string({
      description: `Memory per function instance for --serverless. Default: ${PLAN_DEFAULTS.serverlessMemory}. Example: --serverless-memory 1GiB`,
      helpValue: 'SIZE',
    }),
    'service-time': Flags.string({
      description:
        "The service's mean time per request for --serverless (billed duration, and concurrency by Little's law). Default: the mean latency of the capacity search's lightest passing step. Example: --service-time 80ms",
      helpValue: 'DURATION',
    }),
    passive: Flags.string({
      description:
        'Active-passive: the region that takes over when the active one (--provider, --region) is lost; it keeps a standby and launches the rest at failover. Default: none. Example: --passive gcp:europe-west1',
      helpValue: 'PROVIDER:REGION',
    }),
    standby: Flags.string({
      description: `With --passive: what the passive region keeps running: pilot-light (the data only), warm:SHARE (a share of the fleet) or hot (all of it). Default: ${PLAN_DEFAULTS.standby}. Example: --standby pilot-light`,
      helpValue: 'KIND',
    }),
    'instance-start': Flags.string({
      description: `With --passive: launch-to-serving time of a new instance, the failover's scale-out wait. Default: ${PLAN_DEFAULTS.instanceStart}. Example: --instance-start 90s`,
      helpValue: 'DURATION',
    }),
    replication: Flags.string({
      description:
        'With --regions or --passive: bytes each write sends to every other region @ writes per request, priced as inter-region transfer (with --db-standby: also to the standby, as cross-zone traffic). Default: none. Example: --replication 2kB@10%',
      helpValue: 'BYTES@RATIO',
    }),
    'load-balancer': Flags.boolean({
      description: `Add one load balancer to the bill: its hours and, from the mean load, capacity units (AWS: new connections at ${PLAN_DEFAULTS.requestsPerConnection} requests each, or GB processed by --bytes-per-request) or data processed. Default: off. Example: --load-balancer --bytes-per-request 20kB`,
      default: false,
    }),
    nat: Flags.string({
      description:
        'Add NAT gateways to the bill: bytes per request the service sends out through them (calls to outside APIs); one gateway per zone (GCP: per instance, capped). Default: none. Example: --nat 2kB',
      helpValue: 'BYTES',
    }),
    'cross-zone': Flags.string({
      description:
        'With --redundancy zones:N: bytes per request between the application and its data tier; (N − 1)/N of them cross a zone and are billed. Default: none. Example: --cross-zone 4kB',
      helpValue: 'BYTES',
    }),
    'db-standby': Flags.boolean({
      description:
        'Add a standby of every database primary in another zone (Multi-AZ) to the bill: an instance and a copy of the data per shard of plan.tiers.database. Default: off. Example: --db-standby --replication 1kB@10%',
      default: false,
    }),
    backups: Flags.string({
      description: `Add daily snapshots to the bill: retention @ the share of the data that changes a day, of --storage-gb and the database's data. Default: none; the change, when left out, as in ${PLAN_DEFAULTS.backups}. Example: --backups 30d@2%`,
      helpValue: 'DAYS@CHANGE',
    }),
    family: Flags.string({
      description:
        "Families to plan with, repeatable or comma-separated. Default: the measured type's family. Example: --family c7g,m7g",
      multiple: true,
      helpValue: 'FAMILY',
    }),
    'target-utilization': Flags.string({
      description: `The utilisation ceiling: the share of the measured capacity (already the rate the SLO holds at) an instance may run at; below 100 % it is a second margin. Default: ${PLAN_DEFAULTS.targetUtilization}. Example: --target-utilization 80%`,
      helpValue: 'PERCENT',
    }),
    redundancy: Flags.string({
      description: `n+1, n+2, none, or zones:N (losing one zone still carries the peak). Default: ${PLAN_DEFAULTS.redundancy}. Example: --redundancy zones:3`,
      helpValue: 'MODE',
    }),
    'size-by': Flags.string({
      description:
        'How many instances a month needs: utilization (the sized-for demand at --target-utilization) or slo (the smallest fleet whose simulated latency meets the SLO behind --balance; needs --capacity). Default: utilization. Example: --size-by slo',
      helpValue: 'RULE',
    }),
    balance: Flags.string({
      description:
        'With --size-by slo: the load balancer, as in loadplan simulate (random, round-robin, weighted, least-conn, p2c, hash, sticky, central). Default: round-robin. Example: --balance least-conn',
      helpValue: 'POLICY',
    }),
    slo: Flags.string({
      description:
        'With --size-by slo: the latency objective. Default: the capacity result\'s. Example: --slo "p99<200ms"',
      helpValue: 'SLO',
    }),
    risk: Flags.string({
      description: `The chance of overload a month you accept: the fleet carries the month's peak with at most this share of its sample paths above it (with the redundancy used up). The one margin on demand; ranges show the rest. Default: ${PLAN_DEFAULTS.risk}. Example: --risk 1%`,
      helpValue: 'PERCENT',
    }),
    // Replaced by --risk: kept out of --help, and given, it says so (exit 2).
    'size-on': Flags.string({hidden: true}),
    months: Flags.string({
      description: `Horizon in months. Default: ${PLAN_DEFAULTS.months}. Example: --months 24`,
      helpValue: 'N',
    }),
    backtest: Flags.string({
      description:
        "Backtest the plan: cut this many whole months off the end of --history (or --recording), plan from what was known then, and score each month after the cut: was its actual peak inside the plan's P10–P90, were the instances it needed inside the plan's range, how many instance-months were bought beyond or short of the need, and what that cost. Default: none. Example: --backtest 3mo",
      helpValue: 'MONTHS',
    }),
    pricing: Flags.string({
      description: `on-demand, 1yr or 3yr (a commitment for the whole fleet), spot (for the spares above the redundancy floor), or mix (a 1-year committed baseline no larger than the quietest month needs, at the cheapest level, on-demand above it, spot spares), where the catalog or your price book has them. Default: ${PLAN_DEFAULTS.pricing}. Example: --pricing mix`,
      helpValue: 'KIND',
    }),
    'hold-type': Flags.boolean({
      description:
        'Keep one instance type for the whole horizon (fewer migrations). Default: the cheapest type each month. Example: --hold-type',
      default: false,
    }),
    scaling: Flags.string({
      description: `How capacity is carried to other types: auto (static-web ratio, else stress-ng, else vCPUs), static-web (web services), stress-ng (CPU-bound services: all-core compute), or vcpu. Default: ${PLAN_DEFAULTS.scaling}. Example: --scaling stress-ng`,
      helpValue: 'BASIS',
    }),
    'scale-factor': Flags.string({
      description: `Where capacity is carried by vCPUs, throughput per doubling of vCPUs relative to double. Default: ${PLAN_DEFAULTS.scaleFactor}. Example: --scale-factor 0.9`,
      helpValue: 'X',
    }),
    'memory-per-instance': Flags.string({
      description:
        'Memory one instance of the service needs (its RSS at the measured load, e.g. from loadplan monitor): smaller types are left out. Default: not checked. Example: --memory-per-instance 3GiB',
      helpValue: 'SIZE',
    }),
    'reserved-cpu': Flags.string({
      description: `vCPUs kept on every node for the system (kubelet, daemons, the OS), not the service. Default: ${PLAN_DEFAULTS.reservedCpu}. Example: --reserved-cpu 0.2`,
      helpValue: 'VCPU',
    }),
    'reserved-memory': Flags.string({
      description: `Memory kept on every node for the system. Default: ${PLAN_DEFAULTS.reservedMemory}. Example: --reserved-memory 1GiB`,
      helpValue: 'SIZE',
    }),
    'storage-gb': Flags.string({
      description: 'Block storage in use now, GB. Default: 0 (left out). Example: --storage-gb 120',
      helpValue: 'GB',
    }),
    'storage-growth': Flags.string({
      description: 'Monthly storage growth. Default: 0%/mo. Example: --storage-growth 5%/mo',
      helpValue: 'RATE',
    }),
    'bytes-per-request': Flags.string({
      description:
        'Response bytes per request, for internet egress. Default: none (left out). Example: --bytes-per-request 18kB',
      helpValue: 'SIZE',
    }),
    format: Flags.string({
      char: 'f',
      description: `${describeFormats(PLAN_FORMATS)}; json is the versioned CapacityPlan. Default: table. Example: --format csv`,
      helpValue: 'FORMAT',
    }),
    json: Flags.boolean({
      description: 'Same as --format json. Default: off. Example: --json > plan.json',
      default: false,
    }),
    quiet: Flags.boolean({
      char: 'q',
      description: 'Print the table, not the explorer a terminal otherwise opens. Default: off. Example: --quiet',
      default: false,
    }),
    out: Flags.string({
      char: 'o',
      description: 'Also write the result to FILE (JSON for the table format). Default: none. Example: --out plan.json',
      helpValue: 'FILE',
    }),
    html: Flags.string({
      description:
        'Also write a self-contained HTML report with charts (traffic and forecast band, instances, cost by component). Default: none. Example: --html plan.html',
      helpValue: 'FILE',
    }),
    catalog: catalogFlags.catalog,
    ...priceBookFlag,
  }

  async run(): Promise<void> {
    // Loaded here, not at start-up: `--help` and other commands never pay for them.
    const {plan} = await import('../src/app/plan.js')
    const {renderPlanDocument} = await import('../src/report/plan-views.js')
    const {explorePlanOnTerminal, wantsPlanExplorer} = await import('../src/cli/plan-output.js')
    const {args, flags} = await this.parse(Plan)
    await runCommand('Cannot plan:', async () => {
      const request = {
        file: args.file,
        flags: {
          history: flags.history,
          recording: flags.recording,
          metric: flags.metric,
          aggregate: flags.aggregate,
          growth: flags.growth,
          growthKind: flags['growth-kind'],
          peak: flags.peak,
          meanToPeak: flags['mean-to-peak'],
          capacity: flags.capacity,
          calibration: flags.calibration,
          perInstance: flags['per-instance'],
          instanceType: flags['instance-type'],
          vcpus: flags.vcpus,
          provider: flags.provider,
          region: flags.region,
          regions: flags.regions,
          replication: flags.replication,
          passive: flags.passive,
          standby: flags.standby,
          instanceStart: flags['instance-start'],
          loadBalancer: flags['load-balancer'],
          nat: flags.nat,
          crossZone: flags['cross-zone'],
          dbStandby: flags['db-standby'],
          backups: flags.backups,
          serverless: flags.serverless,
          serverlessMemory: flags['serverless-memory'],
          serviceTime: flags['service-time'],
          family: flags.family,
          targetUtilization: flags['target-utilization'],
          redundancy: flags.redundancy,
          risk: flags.risk,
          sizeOn: flags['size-on'],
          sizeBy: flags['size-by'],
          balance: flags.balance,
          slo: flags.slo,
          months: flags.months,
          backtest: flags.backtest,
          holdType: flags['hold-type'],
          pricing: flags.pricing,
          scaling: flags.scaling,
          scaleFactor: flags['scale-factor'],
          memoryPerInstance: flags['memory-per-instance'],
          reservedCpu: flags['reserved-cpu'],
          reservedMemory: flags['reserved-memory'],
          storageGb: flags['storage-gb'],
          storageGrowth: flags['storage-growth'],
          bytesPerRequest: flags['bytes-per-request'],
          format: flags.format,
          json: flags.json,
        },
        catalog: flags.catalog,
        priceBook: flags['price-book'],
        out: flags.out,
        html: flags.html,
        nowMs: Date.now(),
      }
      if (flags.backtest !== undefined) {
        const {planBacktest} = await import('../src/app/plan-backtest.js')
        const {renderPlanBacktest} = await import('../src/report/plan-backtest-view.js')
        const outcome = await planBacktest(request)
        return emit(
          outcome,
          flags.json || flags.format === 'json'
            ? `${JSON.stringify(outcome.document, null, 2)}\n`
            : renderPlanBacktest(outcome.document, textColumns()),
        )
      }
      if (wantsPlanExplorer(flags))
        return explorePlanOnTerminal(request, {bin: this.config.bin, argv: [this.id ?? 'plan', ...this.argv]})
      const outcome = await plan(request)
      return emit(outcome, renderPlanDocument(outcome.document.plan, outcome.document.format, textColumns()))
    })
  }
}
