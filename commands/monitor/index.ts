import {Command, Flags} from '@oclif/core'
import {helpFlag} from '../../src/cli/flags.js'
import {interactiveStdout, runCommand} from '../../src/cli/run-command.js'
import {DEFAULT_DB} from '../../src/config/monitor-options.js'

export default class Monitor extends Command {
  static override summary =
    'Sample this host (CPU by mode, memory, PSI, disks, network, TCP, fds, cgroup limits) and store 1-minute rollups.'

  static override description = `On Linux every sample is read straight from /proc and /sys (no child processes): CPU by mode
(user, nice, system, idle, iowait, irq, softirq, steal) in total and per core, load and run queue,
memory (MemAvailable based) and swap, pressure stall information, disk IOPS, bytes/s, %util and
await per device, network bytes, packets, errors and drops per interface, TCP retransmits,
file descriptors, filesystem use, and cgroup v1/v2 CPU and memory limits with throttling, so that
inside a container the effective capacity is what gets judged. The static inventory (CPU model,
cores, memory, OS) is read once through systeminformation. Other platforms are sampled through
systeminformation's dynamic calls, and the monitor says so.

Each period (--rollup, 1 minute) is stored as mean, max and p95 of its samples in an SQLite
database (WAL; one transaction per period): a crash loses at most the period being collected,
and a restart appends to the same history. On a terminal the view is live; otherwise one line per
period is printed.`

  static override examples = [
    {description: 'Monitor for a day into the default database', command: '<%= config.bin %> monitor --for 24h'},
    {
      description: 'Also record requests/s from the lines appended to an access log',
      command: '<%= config.bin %> monitor --traffic-log /var/log/nginx/access.log',
    },
    {
      description: 'Export the CPU history as CSV',
      command: '<%= config.bin %> monitor export --metric cpu.busy --format csv',
    },
  ]

  static override flags = {
    ...helpFlag,
    db: Flags.string({
      description: `SQLite database to append to. Default: ${DEFAULT_DB}. Example: --db ./host.db`,
      env: 'LOADPLAN_DB',
      default: DEFAULT_DB,
      helpValue: 'FILE',
    }),
    interval: Flags.string({
      char: 'i',
      description: 'Sampling interval. Default: 1s. Example: --interval 5s',
      default: '1s',
      helpValue: 'DURATION',
    }),
    rollup: Flags.string({
      description: 'Length of a stored period. Default: 1m. Example: --rollup 5m',
      default: '1m',
      helpValue: 'DURATION',
    }),
    for: Flags.string({
      description: 'Stop after this long. Default: until Ctrl-C. Example: --for 24h',
      helpValue: 'DURATION',
    }),
    retention: Flags.string({
      description: 'Delete periods older than this. Default: 30d. Example: --retention 90d',
      default: '30d',
      helpValue: 'DURATION',
    }),
    'traffic-log': Flags.string({
      description:
        'Count lines appended to this file per second as traffic.requests_per_sec (for loadplan forecast). Default: none. Example: --traffic-log /var/log/nginx/access.log',
      helpValue: 'FILE',
    }),
    json: Flags.boolean({
      description:
        'When sampling ends, print a JSON summary (database, periods written, samples, host) instead of period lines. Default: off. Example: --for 1h --json',
      default: false,
    }),
    quiet: Flags.boolean({
      description:
        'Print nothing while sampling. Default: live view on a terminal, a line per period otherwise. Example: --quiet',
      default: false,
    }),
  }

  async run(): Promise<void> {
    // Loaded here, not at start-up: `--help` and other commands never pay for them.
    const {monitorHost} = await import('../../src/app/monitor.js')
    const {onInterrupt} = await import('../../src/cli/on-interrupt.js')
    const {renderPeriodLine} = await import('../../src/report/monitor-views.js')
    const {flags} = await this.parse(Monitor)
    await runCommand('Cannot monitor:', async () => {
      const interrupt = onInterrupt('Stopping: writing the current period…')
      const interactive = interactiveStdout() && !flags.quiet && !flags.json
      let vcpus = 1
      const live = interactive
        ? await (await import('../../src/cli/live-monitor.js')).startLiveMonitor(process.stdout)
        : undefined
      try {
        const outcome = await monitorHost(
          {
            db: flags.db,
            interval: flags.interval,
            rollup: flags.rollup,
            for: flags.for,
            retention: flags.retention,
            trafficLog: flags['traffic-log'],
          },
          {
            signal: interrupt.signal,
            log: (line) => {
              if (!flags.quiet) process.stderr.write(`${line}\n`)
            },
            onStart: (inventory) => (vcpus = inventory.vCpus),
            onSample: live ? (sample, t) => live.onSample(sample, t, vcpus) : undefined,
            onPeriod:
              interactive || flags.quiet || flags.json
                ? undefined
                : (rows) => process.stdout.write(`${renderPeriodLine(rows)}\n`),
          },
          process.platform,
        )
        if (flags.json) process.stdout.write(`${JSON.stringify(outcome.document, null, 2)}\n`)
        return outcome.exitCode
      } finally {
        live?.stop()
        interrupt.dispose()
      }
    })
  }
}
