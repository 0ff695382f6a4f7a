import {Command, Flags} from '@oclif/core'
import {emit, runCommand, stdoutColor} from '../src/cli/run-command.js'
import {helpFlag} from '../src/cli/flags.js'

export default class Simulate extends Command {
  static override summary =
    'How many instances keep a latency SLO behind a load balancer: a fleet simulation from measured service times.'

  static override description = `A discrete-event simulation of N instances behind a balancer. Each instance serves up to
--concurrency requests at once and queues the rest; service times are drawn from the latency
histogram of a capacity result's lowest passing step (or --service-time), and concurrency is
what Little's law needs to reach the capacity result's peak rate. Fleets grow from the smallest
that can keep up until the SLO holds with --lose instances (or a zone) out of service; the table
shows p50–p99.9, queueing and the busiest instance per fleet size, next to what a utilisation
target alone would buy. Exit 3 when no fleet up to --max-instances meets the SLO.

Policies: random, round-robin, weighted (by --speeds), least-conn, p2c (power of two choices),
hash (consistent hashing of --keys keys with Zipf(--zipf) popularity), sticky (sessions pinned
to an instance) and central (one queue for the whole fleet: the ideal, M/M/c).`

  static override examples = [
    {
      description: 'Size a fleet from a capacity result behind least-connections, surviving one instance lost',
      command:
        '<%= config.bin %> simulate --capacity cap.json --rate 2400/s --balance least-conn --slo "p99<250ms" --lose 1',
    },
    {
      description: 'A stated model: 8 requests at once, exponential 40 ms service, three zones',
      command: '<%= config.bin %> simulate --service-time exp:40ms --concurrency 8 --rate 1500/s --lose zone --zones 3',
    },
    {
      description: 'Consistent hashing with skewed keys: how much the hottest instance costs',
      command:
        '<%= config.bin %> simulate --service-time exp:20ms --concurrency 4 --rate 1200/s --balance hash --keys 5000 --zipf 1.1',
    },
  ]

  static override flags = {
    ...helpFlag,
    rate: Flags.string({
      char: 'r',
      description: 'Arrival rate the fleet must carry. Required. Example: --rate 1200/s',
      helpValue: 'RATE',
    }),
    capacity: Flags.string({
      description:
        'Capacity result (loadplan capacity --out) to take the service-time distribution and concurrency from. Default: none. Example: --capacity cap.json',
      helpValue: 'FILE',
    }),
    'service-time': Flags.string({
      description:
        'Service-time model instead of (or over) the capacity result: exp:MEAN or const:TIME. Default: from --capacity. Example: --service-time exp:20ms',
      helpValue: 'MODEL',
    }),
    concurrency: Flags.string({
      description:
        'Requests one instance serves at once (workers, threads, cores). Default: from --capacity. Example: --concurrency 8',
      helpValue: 'N',
    }),
    balance: Flags.string({
      char: 'b',
      description:
        'Balancing policy: random, round-robin, weighted, least-conn, p2c, hash, sticky or central. Default: round-robin. Example: --balance least-conn',
      default: 'round-robin',
      helpValue: 'POLICY',
    }),
    slo: Flags.string({
      description: 'Latency objective (p50, p90, p99 or p99.9). Default: p99<250ms. Example: --slo "p99<100ms"',
      helpValue: 'SLO',
    }),
    instances: Flags.string({
      char: 'n',
      description: 'Simulate this fleet size only. Default: search for the smallest. Example: --instances 6',
      helpValue: 'N',
    }),
    'max-instances': Flags.string({
      description: 'Largest fleet the search tries. Default: 1000. Example: --max-instances 200',
      default: '1000',
      helpValue: 'N',
    }),
    lose: Flags.string({
      description:
        'What the fleet must survive: a number of instances, or zone (one of --zones). Default: 0. Example: --lose zone',
      default: '0',
      helpValue: 'N|zone',
    }),
    zones: Flags.string({
      description: 'Zones the fleet spreads over, for --lose zone. Default: 3. Example: --zones 2',
      default: '3',
      helpValue: 'N',
    }),
    'arrival-cv2': Flags.string({
      description:
        'Burstiness of arrivals: squared coefficient of variation of the gaps (1 Poisson, above 1 burstier). Default: 1. Example: --arrival-cv2 2',
      helpValue: 'CV2',
    }),
    'arrivals-csv': Flags.string({
      description:
        'Measure the burstiness from a recorded request rate instead: timestamp,requests-per-second rows at a fine step (1 s is best). Default: none. Example: --arrivals-csv rate.csv',
      helpValue: 'FILE',
    }),
    'arrivals-recording': Flags.string({
      description:
        'Measure the burstiness from the request rate a loadplan monitor recording holds. Default: none. Example: --arrivals-recording ~/.loadplan/metrics.db',
      helpValue: 'DB',
    }),
    keys: Flags.string({
      description: 'For --balance hash: distinct request keys. Default: 10000. Example: --keys 5000',
      default: '10000',
      helpValue: 'N',
    }),
    zipf: Flags.string({
      description: 'For --balance hash: Zipf exponent of key popularity (0 uniform). Default: 1. Example: --zipf 0.8',
      default: '1',
      helpValue: 'S',
    }),
    sessions: Flags.string({
      description: 'For --balance sticky: sessions open at once. Default: 100 per instance. Example: --sessions 2000',
      helpValue: 'N',
    }),
    'session-requests': Flags.string({
      description: 'For --balance sticky: mean requests per session. Default: 20. Example: --session-requests 50',
      default: '20',
      helpValue: 'N',
    }),
    speeds: Flags.string({
      description:
        'Relative speed of each instance (with --instances; also the weights of weighted and least-conn). Default: all 1. Example: --speeds 1,1,2',
      helpValue: 'LIST',
    }),
    requests: Flags.string({
      description:
        'Requests measured per fleet size (a tenth more warm up first). Default: 200000. Example: --requests 1000000',
      default: '200000',
      helpValue: 'N',
    }),
    seed: Flags.string({
      description: 'Random seed: the same inputs and seed give the same answer. Default: 1. Example: --seed 7',
      default: '1',
      helpValue: 'N',
    }),
    json: Flags.boolean({
      description: 'Print the simulation as JSON instead of a table. Default: off. Example: --json > fleet.json',
      default: false,
    }),
    'target-utilization': Flags.string({
      description: 'The utilisation target to compare with. Default: 70%. Example: --target-utilization 60%',
      default: '70%',
      helpValue: 'SHARE',
    }),
  }

  async run(): Promise<void> {
    const {resolveSimulateOptions} = await import('../src/config/simulate-options.js')
    const {simulate} = await import('../src/app/simulate.js')
    const {renderSimulation, simulationToJson} = await import('../src/report/simulate-views.js')
    const {flags} = await this.parse(Simulate)
    await runCommand('Cannot simulate:', async () => {
      const options = resolveSimulateOptions({
        rate: flags.rate,
        capacity: flags.capacity,
        serviceTime: flags['service-time'],
        concurrency: flags.concurrency,
        balance: flags.balance,
        slo: flags.slo,
        instances: flags.instances,
        maxInstances: flags['max-instances'],
        lose: flags.lose,
        zones: flags.zones,
        arrivalCv2: flags['arrival-cv2'],
        arrivalsCsv: flags['arrivals-csv'],
        arrivalsRecording: flags['arrivals-recording'],
        keys: flags.keys,
        zipf: flags.zipf,
        sessions: flags.sessions,
        sessionRequests: flags['session-requests'],
        speeds: flags.speeds,
        requests: flags.requests,
        seed: flags.seed,
        targetUtilization: flags['target-utilization'],
      })
      const outcome = await simulate(options, this.config.version)
      return emit(
        outcome,
        flags.json ? simulationToJson(outcome.document) : renderSimulation(outcome.document, {color: stdoutColor()}),
      )
    })
  }
}
