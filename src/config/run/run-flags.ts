/** `loadplan run`'s flags as typed, its defaults and its --out outputs. */
import type {ProblemList} from '../../contracts/errors.js'
import type {DataRows} from '../../core/engine/run-options.js'
import type {ServiceFile} from '../service-file.js'
import type {DescribeGrpcMethod} from './resolve-sessions.js'

/** Defaults, in one place; `--help` prints them from here. */
export const RUN_DEFAULTS = {
  connections: 10,
  pipelining: 1,
  duration: '10s',
  durationMs: 10_000,
  maxInFlight: 1000,
  workers: 1,
  method: 'GET',
  timeout: '10s',
  timeoutMs: 10_000,
  gracefulStop: '5s',
  gracefulStopMs: 5000,
} as const

/** Default for --regression: p99 or the error ratio may worsen by 10 % before it counts. */
export const DEFAULT_REGRESSION = '10%'

/** Flag values as typed by the user; everything is parsed here so all problems surface together. */
export interface RunFlags {
  target?: string
  connections?: string
  pipelining?: string
  duration?: string
  amount?: string
  rate?: string
  arrivalRate?: string
  stage?: string[]
  maxInFlight?: string
  workers?: string
  method?: string
  header?: string[]
  body?: string
  json?: string
  /** A file whose bytes are every request's body. */
  bodyFile?: string
  query?: string[]
  timeout?: string
  insecure?: boolean
  threshold?: string[]
  dataFile?: string
  gracefulStop?: string
  warmup?: string
  seed?: string
  /** Names to redact besides those the rule finds. */
  redact?: string[]
  targets?: string
  balance?: string
  weights?: string
  /** HTTP/2. */
  http2?: boolean
  /** The HTTP client: `raw` (default: loadplan's own) or `undici`. */
  client?: string
  /** HTTP/2 streams per connection. */
  streams?: string
  /** This process's shard of a split run, `i/n`. */
  segment?: string
  /** The wall-clock moment every shard starts from (ISO 8601 with a zone, or @EPOCH seconds). */
  startAt?: string
}

export interface ResolveRunInput {
  /** A URL given as the command's argument (absent when a service file was given). */
  url?: string
  file?: ServiceFile
  /** Name of the service file, for messages. */
  fileName?: string
  flags: RunFlags
  /** Reads a CSV data file; returns its rows or a message. */
  loadDataFile?: (path: string) => DataRows | {error: string}
  /** Reads a .proto file and finds a gRPC method in it. */
  describeGrpcMethod?: DescribeGrpcMethod
  /** Reads a body file's bytes; returns them or a message. */
  loadBodyFile?: (path: string) => {bytes: Uint8Array} | {error: string}
  /** Seed when none is given (the command passes a random one; tests pass a fixed one). */
  defaultSeed?: number
  /** This process's open-file limit (`ulimit -n`), when known: connections must fit under it. */
  openFileLimit?: number
  /** Sent as User-Agent unless the user sets one, e.g. `loadplan/0.1.0`. */
  userAgent?: string
  /** The wall clock now (epoch ms), to check --start-at. */
  nowEpochMs?: number
  /** The environment, for {{env.NAME}} placeholders. */
  env?: Readonly<Record<string, string | undefined>>
}

/** Where `run --out` sends results: a JSON file and/or a Prometheus remote-write receiver. */
export interface RunOutputs {
  file?: string
  prometheusRw?: string
}

/**
 * `--out FILE` and `--out prometheus-rw=URL` (repeatable, k6-style): at most one of each. Problems
 * go to `problems`.
 */
export function parseRunOutputs(values: readonly string[], problems: ProblemList): RunOutputs {
  const outputs: RunOutputs = {}
  for (const value of values) {
    const remote = /^prometheus-rw=(.*)$/.exec(value)
    if (remote) {
      const url = remote[1] as string
      if (!/^https?:\/\/[^\s]+$/.test(url) || !URL.canParse(url))
        problems.add(
          '--out',
          'expected prometheus-rw=http://HOST:PORT/api/v1/write (the receiver of Prometheus remote write)',
          value,
        )
      else if (outputs.prometheusRw !== undefined) problems.add('--out', 'give one prometheus-rw= receiver', value)
      else outputs.prometheusRw = url
    } else if (/^[a-z][a-z0-9-]*=/.test(value))
      problems.add('--out', 'unknown output; use a file path or prometheus-rw=URL', value)
    else if (outputs.file !== undefined) problems.add('--out', `give one result file (already ${outputs.file})`, value)
    else outputs.file = value
  }
  return outputs
}
