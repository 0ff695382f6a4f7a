import {Args, Command, Flags} from '@oclif/core'
import {helpFlag, outputFlags, requestFlags, requestFlagsToRunFlags} from '../src/cli/flags.js'
import {runCommand} from '../src/cli/run-command.js'
import {DEFAULT_REGRESSION, RUN_DEFAULTS} from '../src/config/run/run-flags.js'

const D = RUN_DEFAULTS

export default class Run extends Command {
  static override summary =
    'Send HTTP load (or WebSocket and gRPC sessions) to a URL or a service file and measure latency, throughput and errors.'

  static override description = `Two load models:
  closed  --connections N keep N connections busy (optionally capped with --rate); measures what
          the server sustains when clients wait for answers.
  open    --arrival-rate R or --stage DURATION:TARGET sends requests on a schedule whether or not
          earlier ones finished, like real users; late arrivals count as "dropped".

Latency is reported twice: "corrected" is measured from when each request should have been sent
(coordinated omission included: what users saw), "uncorrected" from when it was written.
Thresholds judge the corrected latency.

WebSocket sessions and gRPC calls: scenarios with ws: or grpc: in a service file (see
plans/chat-ws.yaml, plans/greeter-grpc.yaml); a session is what the models schedule, and the
latency counts round trips (a message and its reply, a call, a streamed message).

Exit codes: 0 ok, 2 bad input, 3 a threshold failed or no request got a response, 130 interrupted (partial result still
written), 1 a bug in loadplan.`

  static override examples = [
    {
      description: 'Try it: run the bundled example plan against an embedded local demo server',
      command: '<%= config.bin %> run --demo',
    },
    {
      description: '50 connections for 30 seconds',
      command: '<%= config.bin %> run http://127.0.0.1:8080/ -c 50 -d 30s',
    },
    {
      description: 'An open-model run at 500 requests/s that fails CI if p99 exceeds 250 ms',
      command:
        '<%= config.bin %> run http://127.0.0.1:8080/api --arrival-rate 500/s -d 1m --threshold "p99<250ms" --threshold "errors<1%"',
    },
    {
      description: 'A service file, with flags overriding it, the result saved as JSON',
      command: '<%= config.bin %> run plans/example.yaml --target http://127.0.0.1:9000 --out result.json',
    },
    {
      description:
        'Shard 1 of 3 of a run split over three hosts, all starting at one moment (then: loadplan merge shard-*.json)',
      command:
        '<%= config.bin %> run plans/example.yaml --segment 1/3 --start-at 2026-12-01T09:30:00Z --out shard-1.json',
    },
    {
      description: 'WebSocket sessions from a service file (ws: scenarios), 200 of them, 20 at once',
      command: '<%= config.bin %> run plans/chat-ws.yaml --target ws://127.0.0.1:8080 -c 20 -a 200',
    },
    {
      description: 'A POST with a JSON body and per-request values',
      command: `<%= config.bin %> run http://127.0.0.1:8080/orders -m POST --json-body '{"id":"{{uuid}}","qty":{{randInt 1 5}}}' -a 1000`,
    },
  ]

  static override args = {
    target: Args.string({
      description:
        'URL to load (http:// or https://) or path of a service file (YAML; ws:// and grpc:// targets need one). Example: http://127.0.0.1:8080/ or plans/example.yaml',
      required: false,
    }),
  }

  static override flags = {
    ...helpFlag,
    ...requestFlags,
    ...outputFlags,
    out: Flags.string({
      char: 'o',
      description:
        'Write the result JSON to FILE (even when interrupted); prometheus-rw=URL streams live metrics. Repeatable. Default: none. Example: -o prometheus-rw=http://prom:9090/api/v1/write',
      multiple: true,
      helpValue: 'FILE',
    }),
    connections: Flags.string({
      char: 'c',
      description: `Concurrent connections. Closed model: connections kept busy. Open model: most sockets to open (default: --max-in-flight). Default: ${D.connections}. Example: -c 50`,
      env: 'LOADPLAN_CONNECTIONS',
      helpValue: 'N',
    }),
    pipelining: Flags.string({
      char: 'p',
      description: `Requests in flight per connection (HTTP/1.1 pipelining, closed model). Default: ${D.pipelining}. Example: -p 10`,
      env: 'LOADPLAN_PIPELINING',
      helpValue: 'N',
    }),
    duration: Flags.string({
      char: 'd',
      description: `How long to send load. Default: ${D.duration}. Example: -d 1m30s`,
      env: 'LOADPLAN_DURATION',
      helpValue: 'DURATION',
    }),
    amount: Flags.string({
      char: 'a',
      description:
        'Send exactly this many requests, then stop (instead of --duration). Default: none. Example: -a 10000',
      env: 'LOADPLAN_AMOUNT',
      helpValue: 'N',
    }),
    rate: Flags.string({
      char: 'r',
      description:
        'Cap on the total request rate in the closed model; latency is then corrected for coordinated omission (wrk2-style). Default: no cap. Example: --rate 1000/s',
      env: 'LOADPLAN_RATE',
      helpValue: 'RATE',
    }),
    'arrival-rate': Flags.string({
      char: 'R',
      description:
        'Open model: send at this constant rate for --duration. Default: closed model. Example: --arrival-rate 500/s',
      env: 'LOADPLAN_ARRIVAL_RATE',
      helpValue: 'RATE',
    }),
    stage: Flags.string({
      description:
        'Open model: a ramp to TARGET requests/s over DURATION, starting from 0/s; repeat for more stages. Default: none. Example: --stage 30s:200 --stage 2m:200',
      multiple: true,
      helpValue: 'DURATION:TARGET',
    }),
    'max-in-flight': Flags.string({
      description: `Open model: most requests outstanding at once; arrivals beyond it are counted as dropped, never queued. Default: ${D.maxInFlight}. Example: --max-in-flight 2000`,
      env: 'LOADPLAN_MAX_IN_FLIGHT',
      helpValue: 'N',
    }),
    warmup: Flags.string({
      description:
        'Requests due in this first part of the run are sent but left out of every figure (connection set-up, JIT and cache warm-up). Default: 0s. Example: --warmup 5s',
      env: 'LOADPLAN_WARMUP',
      helpValue: 'DURATION',
    }),
    'graceful-stop': Flags.string({
      description: `When time is up, how long in-flight requests may still finish before they are cut off. Default: ${D.gracefulStop}. Example: --graceful-stop 30s`,
      env: 'LOADPLAN_GRACEFUL_STOP',
      helpValue: 'DURATION',
    }),
    threshold: Flags.string({
      description:
        'Fail (exit 3) unless this holds; repeatable. Metrics: p50..p99.99, mean, min, max (latency), errors, dropped, 2xx..5xx (ratios), rps. Default: none. Example: --threshold "p99<250ms" --threshold "errors<1%"',
      multiple: true,
      helpValue: 'EXPR',
    }),
    compare: Flags.string({
      description:
        'Compare with a RunResult saved earlier (--out); exit 3 when p99 or the error ratio is worse by more than --regression. Default: none. Example: --compare baseline.json',
      helpValue: 'FILE',
    }),
    regression: Flags.string({
      description: `How much worse p99 or the error ratio may get against --compare before it fails. Default: ${DEFAULT_REGRESSION}. Example: --regression 5%`,
      helpValue: 'PERCENT',
    }),
    'allow-no-response': Flags.boolean({
      description:
        'Exit 0 even when no request got a response (every one failed to connect, reset or timed out), e.g. to probe a target expected to be down. Default: off (such a run exits 3 and says why). Example: --allow-no-response',
    }),
    'allow-saturated': Flags.boolean({
      description:
        "Judge thresholds even when the load generator could not deliver the load asked for (the summary's generator line says why); by default they fail (exit 3). Default: off. Example: --allow-saturated",
    }),
    segment: Flags.string({
      description:
        'Run shard I of N (from 0): its exact share of the load; add the shards up with loadplan merge. Default: the whole run. Example: --segment 0/3',
      env: 'LOADPLAN_SEGMENT',
      helpValue: 'I/N',
    }),
    'start-at': Flags.string({
      description:
        'Start at this wall-clock time, the same for all shards (ISO 8601 or @EPOCH). Default: at once. Example: --start-at 2026-12-01T09:30:00Z',
      env: 'LOADPLAN_START_AT',
      helpValue: 'TIME',
    }),
    dashboard: Flags.string({
      description:
        'Live dashboard on stderr: auto (on a terminal, not in CI or with --quiet), on, off. Default: auto. Example: --dashboard off',
      default: 'auto',
      options: ['auto', 'on', 'off'],
      helpValue: 'MODE',
    }),
    demo: Flags.boolean({
      description:
        'Start an embedded demo server on 127.0.0.1 and run the bundled example plan (plans/example.yaml) against it. Default: off. Example: --demo',
      default: false,
    }),
  }

  async run(): Promise<void> {
    // Loaded here, not at start-up: `--help` and other commands never pay for them.
    const [{runLoadTest}, {renderRunOutcome}, {watchLoad}] = await Promise.all([
      import('../src/app/run.js'),
      import('../src/cli/render-load.js'),
      import('../src/cli/watch-load.js'),
    ])
    const {args, flags} = await this.parse(Run)
    await runCommand('Cannot run:', async () => {
      const live = watchLoad({
        dashboard: flags.dashboard,
        quiet: flags.quiet,
        progressLines: true,
        stopMessage: 'Stopping: waiting briefly for in-flight requests, then writing the partial result…',
      })
      try {
        const outcome = await runLoadTest(
          {
            target: args.target,
            flags: {
              ...requestFlagsToRunFlags(flags),
              connections: flags.connections,
              pipelining: flags.pipelining,
              duration: flags.duration,
              amount: flags.amount,
              rate: flags.rate,
              arrivalRate: flags['arrival-rate'],
              stage: flags.stage,
              maxInFlight: flags['max-in-flight'],
              gracefulStop: flags['graceful-stop'],
              warmup: flags.warmup,
              threshold: flags.threshold,
              segment: flags.segment,
              startAt: flags['start-at'],
            },
            demo: flags.demo,
            outputs: flags.out,
            remoteWriteInterval: process.env.LOADPLAN_PROMETHEUS_RW_INTERVAL,
            junit: flags.junit,
            markdown: flags.markdown,
            stepSummary: process.env.GITHUB_STEP_SUMMARY,
            compare: flags.compare,
            regression: flags.regression,
            allowNoResponse: flags['allow-no-response'],
            allowSaturated: flags['allow-saturated'],
            packageRoot: this.config.root,
            toolVersion: this.config.version,
            defaultSeed: Math.floor(Math.random() * 2 ** 31),
          },
          live,
        )
        return renderRunOutcome(outcome, {json: flags.json, compare: flags.compare})
      } finally {
        live.dispose()
      }
    })
  }
}
