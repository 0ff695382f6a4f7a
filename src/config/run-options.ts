/**
 * `loadplan run` options: the defaults, the layering (defaults < service file < environment <
 * flags; oclif folds LOADPLAN_* variables into the flags) and the validation that reports every
 * problem at once. Pure: data files are read through an injected function.
 */
import {ProblemList} from '../contracts/errors.js'
import {parseThreshold, type Threshold} from '../contracts/stats/thresholds.js'
import type {RequestEntry, ServiceFile, StepEntry} from './service-file.js'
import {resolveSteps} from './journey-steps.js'
import {parseDurationMs, parseRatePerSec} from '../contracts/parse/parse-units.js'
import {formatDurationMs} from '../contracts/format/units.js'
import {compileTemplate} from '../core/engine/template.js'
import {hideEnvValues, redactUrl} from '../contracts/results/redact.js'
import {envSubstitution} from './env-placeholders.js'
import {
  TARGET_BALANCE_POLICIES,
  type BalancedTarget,
  type TargetBalance,
  type TargetBalancePolicy,
} from '../core/engine/target-balancer.js'
import type {ClosedLoad, DataRows, OpenLoad, RequestSpec, RunOptions, Segment} from '../core/engine/run-options.js'
import type {Stage} from '../core/schedule/arrival-schedule.js'

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

/** The flag a RunFlags key comes from, for messages. */
function flagName(key: string): string {
  return key === 'json' ? '--json-body' : `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`
}

/** File descriptors kept for everything but the connections (stdio, files written, the event loop). */
const FILE_DESCRIPTOR_RESERVE = 64

function parsePositiveInt(
  problems: ProblemList,
  field: string,
  text: string | number | undefined,
  fix: string,
): number | undefined {
  if (text === undefined) return undefined
  const value = typeof text === 'number' ? text : Number(text.trim())
  if (!Number.isInteger(value) || value < 1) {
    problems.add(field, `expected a whole number ≥ 1, ${fix}`, text)
    return undefined
  }
  return value
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

/** The most HTTP/2 streams per connection loadplan opens (servers usually allow 100 to 250). */
const MAX_STREAMS = 1000

/** The most shards a run may be split into. */
export const MAX_SEGMENTS = 10_000
/** How far in the past --start-at may be: a shard this late still joins, catching up on the schedule. */
export const START_AT_LATE_MS = 5_000
/** How far ahead --start-at may be. */
const START_AT_AHEAD_MS = 86_400_000

/** `--segment i/n`: shard i (from 0) of n. */
export function parseSegment(text: string): Segment | {error: string} {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text)
  const fix = 'expected i/n, shard i (counting from 0) of n, e.g. --segment 0/3'
  if (!match) return {error: fix}
  const index = Number(match[1])
  const count = Number(match[2])
  if (count < 1 || count > MAX_SEGMENTS) return {error: `n must be 1 to ${MAX_SEGMENTS}; ${fix}`}
  if (index >= count) return {error: `i must be below n (shards are numbered 0 to ${count - 1}); ${fix}`}
  return {index, count}
}

/** `--start-at`: an ISO 8601 time with a zone (…Z or …+01:00) or `@EPOCH` in seconds, as epoch ms. */
export function parseStartAt(text: string): number | {error: string} {
  const trimmed = text.trim()
  const fix =
    'expected an absolute time with a zone, e.g. --start-at 2026-12-01T09:30:00Z, or @EPOCH seconds, e.g. @1764581400'
  if (/^@\d+(\.\d+)?$/.test(trimmed)) {
    const ms = Math.round(Number(trimmed.slice(1)) * 1000)
    // Beyond the year 275760 a JavaScript date is invalid.
    return Number.isFinite(new Date(ms).getTime()) ? ms : {error: fix}
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(trimmed)) return {error: fix}
  const ms = Date.parse(trimmed)
  return Number.isFinite(ms) ? ms : {error: fix}
}

/**
 * The longest duration, timeout or stage loadplan accepts: 24 days, just under the longest delay
 * a Node.js timer holds (2³¹ − 1 ms ≈ 24.9 days; a longer one fires at once).
 */
export const MAX_DURATION_MS = 24 * 86_400_000
const TOO_LONG = 'at most 24 days (the longest timer Node.js keeps); split longer tests into several runs'

function parseDuration(problems: ProblemList, field: string, text: string | number | undefined): number | undefined {
  if (text === undefined) return undefined
  const ms = parseDurationMs(text)
  if (ms === undefined || ms <= 0) {
    problems.add(field, 'expected a positive duration such as "30s", "2m", "1m30s" or "500ms"', text)
    return undefined
  }
  if (ms > MAX_DURATION_MS) {
    problems.add(field, TOO_LONG, text)
    return undefined
  }
  return ms
}

function parseRate(
  problems: ProblemList,
  field: string,
  text: string | number | undefined,
  allowZero = false,
): number | undefined {
  if (text === undefined) return undefined
  const rate = parseRatePerSec(text)
  if (rate === undefined || (!allowZero && rate <= 0)) {
    problems.add(field, `expected a ${allowZero ? '' : 'positive '}rate such as "500/s", "500" or "30000/min"`, text)
    return undefined
  }
  return rate
}

function parseHeaderFlag(problems: ProblemList, field: string, text: string): [string, string] | undefined {
  const colon = text.indexOf(':')
  const name = colon > 0 ? text.slice(0, colon).trim() : ''
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
    problems.add(field, 'expected "Name: value", e.g. -H "Accept: application/json"', text)
    return undefined
  }
  return [name, text.slice(colon + 1).trim()]
}

function parseQueryFlag(problems: ProblemList, field: string, text: string): [string, string] | undefined {
  const eq = text.indexOf('=')
  if (eq <= 0) {
    problems.add(field, 'expected "name=value", e.g. --query "page={{randInt 1 50}}"', text)
    return undefined
  }
  return [text.slice(0, eq), text.slice(eq + 1)]
}

function parseOrigin(problems: ProblemList, field: string, text: string): URL | undefined {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    problems.add(field, 'expected an absolute http(s) URL such as http://127.0.0.1:8080/', redactUrl(text))
    return undefined
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.add(field, `unsupported scheme "${url.protocol}"; use http:// or https://`, redactUrl(text))
    return undefined
  }
  return url
}

/** Sets a header, replacing one of the same name in any letter case (a user's User-Agent replaces loadplan's). */
function setHeader(headers: Record<string, string>, name: string, value: string): void {
  for (const existing of Object.keys(headers))
    if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing]
  headers[name] = value
}

/** Joins a base path and a request path: `/api` + `/orders?x=1` → `/api/orders?x=1`. */
function joinPath(basePath: string, path: string): string {
  const base = basePath.endsWith('/') ? basePath.slice(0, -1) : basePath
  if (path === '' || path === '/') return base === '' ? '/' : path === '/' ? `${base}/` : base
  return `${base}${path.startsWith('/') ? '' : '/'}${path}`
}

/** What follows the authority of a URL as written: its path and query (URL parsing would percent-encode {{placeholders}}). */
function pathAndQuery(text: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^#]*)/i.exec(text)?.[1] ?? ''
}

/**
 * `--targets A,B,C` (or the file's `targets:`), `--weights` and `--balance`: several origins of one
 * service, balanced by loadplan. Targets name origins only; paths come from the target URL and the
 * scenarios, the same on every instance.
 */
function resolveTargets(
  problems: ProblemList,
  flags: RunFlags,
  file: ServiceFile,
  fileField: (path: string) => string,
): {targets: BalancedTarget[]; balance: TargetBalance} | undefined {
  const entries =
    flags.targets !== undefined
      ? flags.targets
          .split(',')
          .map((text, i): [string, string, number | undefined] => [`--targets[${i}]`, text.trim(), undefined])
      : (file.targets ?? []).map((entry, i): [string, string, number | undefined] =>
          typeof entry === 'string'
            ? [fileField(`targets[${i}]`), entry, undefined]
            : [fileField(`targets[${i}].url`), entry.url, entry.weight],
        )
  const balanceText = flags.balance ?? file.balance
  if (entries.length === 0) {
    if (balanceText !== undefined || flags.weights !== undefined)
      problems.add(
        flags.weights !== undefined ? '--weights' : flags.balance !== undefined ? '--balance' : fileField('balance'),
        'balances over several targets: give them with --targets URL,URL (or targets: in the service file)',
      )
    return undefined
  }
  if (entries.length < 2)
    problems.add(
      flags.targets !== undefined ? '--targets' : fileField('targets'),
      'give at least two targets to balance over, comma-separated',
      flags.targets ?? file.targets,
    )
  const weightTexts = flags.weights?.split(',').map((w) => w.trim())
  if (weightTexts !== undefined && weightTexts.length !== entries.length)
    problems.add('--weights', `gives ${weightTexts.length} weights for ${entries.length} targets`, flags.weights)
  const targets: BalancedTarget[] = []
  entries.forEach(([field, text, fileWeight], i) => {
    const url = parseOrigin(problems, field, text)
    const path = pathAndQuery(text)
    if (url && path !== '' && path !== '/')
      problems.add(
        field,
        'a target names an instance (scheme, host and port) only: the path and query come from the target URL and the scenarios',
        text,
      )
    const weight = weightTexts?.[i] !== undefined ? Number(weightTexts[i]) : (fileWeight ?? 1)
    if (!(weight > 0 && Number.isFinite(weight)))
      problems.add('--weights', 'expected positive numbers, comma-separated, e.g. 3,1,1', flags.weights)
    if (url) targets.push({origin: url.origin, weight})
  })
  const [policy = '', key] = (balanceText ?? 'round-robin').split(':')
  const balanceField = flags.balance !== undefined ? '--balance' : fileField('balance')
  if (!(TARGET_BALANCE_POLICIES as readonly string[]).includes(policy))
    problems.add(
      balanceField,
      `expected one of ${TARGET_BALANCE_POLICIES.map((p) => (p === 'hash' ? 'hash:KEY' : p)).join(', ')}`,
      balanceText,
    )
  else if (policy === 'hash' && !key)
    problems.add(balanceField, 'hash needs the header or query parameter to hash, e.g. hash:x-user-id', balanceText)
  else if (policy !== 'hash' && key !== undefined)
    problems.add(balanceField, `${policy} takes no key (only hash:KEY does)`, balanceText)
  const balance: TargetBalance = key
    ? {policy: policy as TargetBalancePolicy, key}
    : {policy: policy as TargetBalancePolicy}
  return {targets, balance}
}

/**
 * Builds validated run options from the URL or service file and the flags.
 * @throws InputError listing every problem found
 */
export function resolveRunOptions(input: ResolveRunInput): RunOptions {
  const problems = new ProblemList()
  const fileField = (path: string) => (input.fileName ? `${input.fileName}: ${path}` : path)
  // {{env.NAME}} first, so that everything below reads the values (and outputs show the placeholders).
  const env = envSubstitution(input.env ?? {}, problems)
  const flags = Object.fromEntries(
    Object.entries(input.flags).map(([key, value]) => [key, env.value(value, flagName(key))]),
  ) as RunFlags
  const file = env.value(input.file ?? {}, '', fileField)
  const urlArgument = input.url === undefined ? undefined : env.text(input.url, 'url')
  const fileLoad = file.load ?? {}

  const balanced = resolveTargets(problems, flags, file, fileField)
  // Target: --target beats the file's target; a URL argument is the target itself; with only
  // --targets, the first of them.
  const targetText = flags.target ?? urlArgument ?? file.target ?? balanced?.targets[0]?.origin
  let origin = ''
  let basePath = ''
  let urlPath: string | undefined
  let urlQuery: Array<[string, string]> = []
  if (targetText === undefined) {
    problems.add(
      input.fileName ? fileField('target') : 'target',
      'no target: give a URL, a service file with target:, or --target URL',
    )
  } else {
    const field = flags.target !== undefined ? '--target' : urlArgument !== undefined ? 'url' : fileField('target')
    const url = parseOrigin(problems, field, targetText)
    if (url) {
      origin = url.origin
      // Path and query come from the raw text: URL parsing would percent-encode {{placeholders}}.
      const rest = pathAndQuery(targetText)
      const queryStart = rest.indexOf('?')
      const rawPath = (queryStart >= 0 ? rest.slice(0, queryStart) : rest) || '/'
      if (input.file) basePath = rawPath === '/' ? '' : rawPath
      else {
        urlPath = rawPath
        if (queryStart >= 0) urlQuery = [...new URLSearchParams(rest.slice(queryStart + 1)).entries()]
      }
    }
  }

  // Requests: the file's scenarios (or single request), else one request from the URL and flags.
  const globalHeaders: Record<string, string> = {}
  if (input.userAgent !== undefined) globalHeaders['user-agent'] = input.userAgent
  for (const [name, value] of Object.entries(file.headers ?? {})) setHeader(globalHeaders, name, String(value))
  for (const [i, text] of (flags.header ?? []).entries()) {
    const header = parseHeaderFlag(problems, `--header[${i}]`, text)
    if (header) setHeader(globalHeaders, header[0], header[1])
  }
  const flagQuery: Array<[string, string]> = []
  for (const [i, text] of (flags.query ?? []).entries()) {
    const pair = parseQueryFlag(problems, `--query[${i}]`, text)
    if (pair) flagQuery.push(pair)
  }
  if (flags.json !== undefined) {
    try {
      // Placeholders may stand for numbers ("qty": {{randInt 1 5}}): check the shape with them as 0.
      JSON.parse(flags.json.replace(/\{\{[^}]*\}\}/g, '0'))
    } catch (error) {
      problems.add(
        '--json-body',
        `not valid JSON (${(error as Error).message}); quote it, e.g. --json-body '{"sku":"{{uuid}}"}'`,
        flags.json,
      )
    }
    if (flags.body !== undefined) problems.add('--body', 'give either --body or --json-body, not both', flags.body)
  }
  if (flags.method !== undefined && !/^[A-Za-z]+$/.test(flags.method))
    problems.add('--method', 'expected an HTTP method such as GET or POST', flags.method)

  const entries: Array<{
    name: string
    weight: number
    request: RequestEntry
    field: string
    steps?: StepEntry[]
    stepsField?: string
    cookies?: boolean
  }> = []
  if (file.scenarios && file.scenarios.length > 0) {
    file.scenarios.forEach((scenario, i) => {
      const field = fileField(`scenarios[${i}]`)
      if ((scenario.request === undefined) === (scenario.steps === undefined))
        problems.add(field, 'give a scenario either request: (one request) or steps: (a journey), not both')
      const entry: (typeof entries)[number] = {
        name: scenario.name,
        weight: scenario.weight ?? 1,
        request: scenario.request ?? scenario.steps?.[0]?.request ?? {},
        field: `${field}.request`,
      }
      if (scenario.steps) {
        entry.steps = scenario.steps
        entry.stepsField = `${field}.steps`
        if (scenario.cookies !== undefined) entry.cookies = scenario.cookies
      }
      entries.push(entry)
    })
  } else if (file.request) {
    entries.push({name: 'default', weight: 1, request: file.request, field: fileField('request')})
  } else {
    entries.push({name: 'default', weight: 1, request: {}, field: 'request'})
  }

  // Data file: needed before templates, whose {{data.x}} must name real columns.
  let data: DataRows | undefined
  const dataFile = flags.dataFile ?? file.dataFile
  if (dataFile !== undefined) {
    const loaded = input.loadDataFile?.(dataFile) ?? {error: 'data files cannot be read here'}
    if ('error' in loaded)
      problems.add(flags.dataFile !== undefined ? '--data-file' : fileField('dataFile'), loaded.error, dataFile)
    else data = loaded
  }
  const templateOptions = data ? {dataColumns: data.columns} : {}
  const checkTemplate = (field: string, text: string, vars?: readonly string[]) => {
    const compiled = compileTemplate(text, vars ? {...templateOptions, vars} : templateOptions)
    if ('errors' in compiled) for (const message of compiled.errors) problems.add(field, message)
  }

  const buildRequest = (
    name: string,
    weight: number,
    request: RequestEntry,
    field: string,
    vars?: readonly string[],
  ): RequestSpec => {
    const method = (flags.method ?? request.method ?? RUN_DEFAULTS.method).toUpperCase()
    const headers = {...globalHeaders}
    for (const [headerName, value] of Object.entries(request.headers ?? {}))
      setHeader(headers, headerName, String(value))
    const query: Array<[string, string]> = [...urlQuery]
    for (const [key, value] of Object.entries(request.query ?? {})) query.push([key, String(value)])
    query.push(...flagQuery)
    let body = flags.body ?? request.body
    let bodyIsJson = false
    const jsonText = flags.json ?? (request.json === undefined ? undefined : JSON.stringify(request.json))
    if (jsonText !== undefined && flags.body === undefined) {
      body = jsonText
      bodyIsJson = true
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
        headers['content-type'] = 'application/json'
    }
    if (request.body !== undefined && request.json !== undefined)
      problems.add(`${field}.body`, 'give either body: or json:, not both')
    const rawPath = request.path ?? urlPath ?? '/'
    const queryStart = rawPath.indexOf('?')
    const pathOnly = queryStart >= 0 ? rawPath.slice(0, queryStart) : rawPath
    if (queryStart >= 0)
      for (const [key, value] of new URLSearchParams(rawPath.slice(queryStart + 1))) query.push([key, value])
    const path = joinPath(basePath, pathOnly)
    checkTemplate(`${field}.path`, path, vars)
    for (const [key, value] of query) checkTemplate(`${field}.query.${key}`, value, vars)
    for (const [key, value] of Object.entries(headers)) checkTemplate(`${field}.headers.${key}`, value, vars)
    if (body !== undefined) checkTemplate(`${field}.${bodyIsJson ? 'json' : 'body'}`, body, vars)
    return body === undefined
      ? {name, weight, method, path, query, headers, bodyIsJson}
      : {name, weight, method, path, query, headers, body, bodyIsJson}
  }

  const scenarios: RequestSpec[] = entries.map(({name, weight, request, field, steps, stepsField, cookies}) => {
    if (!steps || !stepsField) return buildRequest(name, weight, request, field)
    const journey = resolveSteps(problems, steps, stepsField, (step, i, vars) => {
      const {
        name: _name,
        weight: _weight,
        ...fields
      } = buildRequest(name, weight, step.request, `${stepsField}[${i}].request`, vars)
      return fields
    })
    const first = journey[0]?.request
    const spec: RequestSpec = first
      ? {name, weight, ...first, steps: journey}
      : buildRequest(name, weight, request, field)
    if (cookies !== undefined) spec.cookies = cookies
    return spec
  })

  // Load model.
  const connections =
    parsePositiveInt(problems, '--connections', flags.connections, 'e.g. -c 50') ??
    parsePositiveInt(problems, fileField('load.connections'), fileLoad.connections, 'e.g. 50')
  const http2 = flags.http2 ?? file.h2 ?? false
  const streams = parsePositiveInt(problems, '--streams', flags.streams, 'e.g. --streams 10') ?? fileLoad.streams
  const streamsField = flags.streams !== undefined ? '--streams' : fileField('load.streams')
  if (streams !== undefined && !http2)
    problems.add(streamsField, 'streams are HTTP/2; add --http2 (or h2: true in the file)', streams)
  if (streams !== undefined && streams > MAX_STREAMS)
    problems.add(streamsField, `at most ${MAX_STREAMS} per connection`, streams)
  const flagPipelining =
    parsePositiveInt(problems, '--pipelining', flags.pipelining, 'e.g. -p 10') ?? fileLoad.pipelining
  if (http2 && (flagPipelining ?? 1) > 1)
    problems.add(
      flags.pipelining !== undefined ? '--pipelining' : fileField('load.pipelining'),
      'HTTP/2 multiplexes instead of pipelining: use --streams N',
      flagPipelining,
    )
  // HTTP/2 streams take the place of pipelined requests: requests in flight per connection.
  const pipelining = http2 ? streams : flagPipelining
  const workers =
    parsePositiveInt(problems, '--workers', flags.workers, 'e.g. -w 2') ?? fileLoad.workers ?? RUN_DEFAULTS.workers
  const maxInFlight =
    parsePositiveInt(problems, '--max-in-flight', flags.maxInFlight, 'e.g. --max-in-flight 2000') ??
    fileLoad.maxInFlight
  const flagAmount = parsePositiveInt(problems, '--amount', flags.amount, 'e.g. -a 10000')
  const flagDurationMs = parseDuration(problems, '--duration', flags.duration)
  if (flags.amount !== undefined && flags.duration !== undefined)
    problems.add('--amount', 'give either --duration or --amount, not both', flags.amount)
  const lengthFromFlags = flags.amount !== undefined || flags.duration !== undefined
  const amount = lengthFromFlags ? flagAmount : fileLoad.amount
  const durationMs = lengthFromFlags
    ? flagDurationMs
    : parseDuration(problems, fileField('load.duration'), fileLoad.duration)

  const flagStages: Stage[] = []
  for (const [i, text] of (flags.stage ?? []).entries()) {
    const [durationText = '', targetText = ''] = text.split(':')
    const stageDurationMs = parseDurationMs(durationText)
    const target = parseRatePerSec(targetText)
    if (stageDurationMs === undefined || stageDurationMs <= 0 || target === undefined) {
      problems.add(`--stage[${i}]`, 'expected "duration:target", e.g. --stage 30s:200 (ramp to 200/s over 30 s)', text)
    } else if (stageDurationMs > MAX_DURATION_MS) problems.add(`--stage[${i}]`, TOO_LONG, text)
    else flagStages.push({durationMs: stageDurationMs, targetRatePerSec: target})
  }
  const flagArrivalRate = parseRate(problems, '--arrival-rate', flags.arrivalRate)
  if (flags.arrivalRate !== undefined && flags.stage !== undefined)
    problems.add('--stage', 'give either --arrival-rate (constant) or --stage (ramping), not both')
  const openFromFlags = flags.arrivalRate !== undefined || flags.stage !== undefined
  const fileModel =
    fileLoad.model === 'arrival-rate' || fileLoad.model === 'open'
      ? 'open'
      : fileLoad.model === undefined
        ? undefined
        : 'closed'
  const fileIsOpen =
    fileModel === 'open' ||
    (fileModel === undefined && (fileLoad.arrivalRate !== undefined || fileLoad.stages !== undefined))
  const model = openFromFlags ? 'open' : flags.rate !== undefined ? 'closed' : fileIsOpen ? 'open' : 'closed'
  const timeoutMs =
    parseDuration(problems, '--timeout', flags.timeout) ??
    parseDuration(problems, fileField('timeout'), file.timeout) ??
    RUN_DEFAULTS.timeoutMs
  const gracefulStopMs = parseDuration(problems, '--graceful-stop', flags.gracefulStop) ?? RUN_DEFAULTS.gracefulStopMs
  const warmupMs = flags.warmup === undefined ? undefined : parseDurationMs(flags.warmup)
  if (flags.warmup !== undefined && warmupMs === undefined)
    problems.add('--warmup', 'expected a duration such as "5s" (0 for none)', flags.warmup)
  else if (warmupMs !== undefined && warmupMs > MAX_DURATION_MS) problems.add('--warmup', TOO_LONG, flags.warmup)

  let load: ClosedLoad | OpenLoad | undefined
  if (model === 'closed') {
    if (flags.maxInFlight !== undefined)
      problems.add(
        '--max-in-flight',
        'applies to the open model only (--arrival-rate or --stage); the closed model keeps connections × pipelining in flight',
        flags.maxInFlight,
      )
    const ratePerSec =
      flags.rate !== undefined
        ? parseRate(problems, '--rate', flags.rate)
        : parseRate(problems, fileField('load.rate'), fileLoad.rate)
    const closed: ClosedLoad = {
      model: 'closed',
      connections: connections ?? RUN_DEFAULTS.connections,
      pipelining: pipelining ?? RUN_DEFAULTS.pipelining,
    }
    if (amount !== undefined) closed.amount = amount
    else closed.durationMs = durationMs ?? RUN_DEFAULTS.durationMs
    if (ratePerSec !== undefined) closed.ratePerSec = ratePerSec
    load = closed
  } else {
    if (flags.rate !== undefined)
      problems.add('--rate', 'caps the closed model; for a constant arrival rate use --arrival-rate', flags.rate)
    if (!http2 && (pipelining ?? 1) > 1)
      problems.add(
        flags.pipelining !== undefined ? '--pipelining' : fileField('load.pipelining'),
        'the open model sends each request on its own connection slot; pipelining is for the closed model',
        pipelining,
      )
    let stages: Stage[] = []
    let startRatePerSec = 0
    if (flags.stage !== undefined) {
      stages = flagStages
      if (flags.duration !== undefined)
        problems.add(
          '--duration',
          'stages set their own durations; drop --duration or use --arrival-rate',
          flags.duration,
        )
    } else if (flagArrivalRate !== undefined) {
      stages = [
        {
          durationMs: amount !== undefined ? Number.POSITIVE_INFINITY : (durationMs ?? RUN_DEFAULTS.durationMs),
          targetRatePerSec: flagArrivalRate,
        },
      ]
      startRatePerSec = flagArrivalRate
    } else if (fileLoad.stages !== undefined) {
      startRatePerSec = parseRate(problems, fileField('load.startRate'), fileLoad.startRate ?? 0, true) ?? 0
      fileLoad.stages.forEach((stage, i) => {
        const stageDurationMs = parseDuration(problems, fileField(`load.stages[${i}].duration`), stage.duration)
        const target = parseRate(problems, fileField(`load.stages[${i}].target`), stage.target, true)
        if (stageDurationMs !== undefined && target !== undefined)
          stages.push({durationMs: stageDurationMs, targetRatePerSec: target})
      })
      if (fileLoad.stages.length === 0)
        problems.add(fileField('load.stages'), 'needs at least one {duration, target} stage')
    } else {
      const rate = parseRate(problems, fileField('load.arrivalRate'), fileLoad.arrivalRate)
      if (fileLoad.arrivalRate === undefined)
        problems.add(fileField('load.arrivalRate'), 'the arrival-rate model needs arrivalRate: (e.g. 200) or stages:')
      if (rate !== undefined) {
        stages = [
          {
            durationMs: amount !== undefined ? Number.POSITIVE_INFINITY : (durationMs ?? RUN_DEFAULTS.durationMs),
            targetRatePerSec: rate,
          },
        ]
        startRatePerSec = rate
      }
    }
    if (stages.length > 0 && stages.every((stage) => stage.targetRatePerSec === 0) && startRatePerSec === 0) {
      problems.add(
        flags.stage !== undefined ? '--stage' : fileField('load.stages'),
        'every stage has a target of 0/s, so nothing would be sent',
      )
    }
    const inFlight = maxInFlight ?? RUN_DEFAULTS.maxInFlight
    const streamsPerConnection = http2 ? (streams ?? 1) : 1
    const open: OpenLoad = {
      model: 'open',
      startRatePerSec,
      stages,
      maxInFlight: inFlight,
      connections: Math.min(connections ?? Math.ceil(inFlight / streamsPerConnection), inFlight),
      streams: streamsPerConnection,
    }
    if (amount !== undefined) open.amount = amount
    load = open
  }
  const loadConnections = load.connections
  if (workers > loadConnections)
    problems.add(
      '--workers',
      `cannot exceed the number of connections (${loadConnections}); each worker needs at least one`,
      workers,
    )
  const plannedMs =
    load.model === 'closed' ? load.durationMs : load.stages.reduce((sum, stage) => sum + stage.durationMs, 0)
  if (
    warmupMs !== undefined &&
    warmupMs > 0 &&
    plannedMs !== undefined &&
    Number.isFinite(plannedMs) &&
    warmupMs >= plannedMs
  ) {
    problems.add(
      '--warmup',
      `must be shorter than the run (${formatDurationMs(plannedMs)}), or nothing would be measured`,
      flags.warmup,
    )
  }
  // Each connection is a socket, and so a file descriptor: past the limit they fail as "other" errors.
  if (input.openFileLimit !== undefined && loadConnections > input.openFileLimit - FILE_DESCRIPTOR_RESERVE) {
    problems.add(
      load.model === 'open' && flags.connections === undefined ? '--max-in-flight' : '--connections',
      `at most ${input.openFileLimit - FILE_DESCRIPTOR_RESERVE} here: the open-file limit is ${input.openFileLimit} (raise it with ulimit -n, or use fewer connections)`,
      loadConnections,
    )
  }

  const thresholds: Threshold[] = []
  const thresholdTexts: Array<[string, string]> = [
    ...(file.thresholds ?? []).map((text, i): [string, string] => [fileField(`thresholds[${i}]`), text]),
    ...(flags.threshold ?? []).map((text, i): [string, string] => [`--threshold[${i}]`, text]),
  ]
  for (const [field, text] of thresholdTexts) {
    const parsed = parseThreshold(text)
    if ('error' in parsed) problems.add(field, parsed.error, text)
    else if (parsed.scenario !== undefined && !scenarios.some((s) => s.name === parsed.scenario))
      problems.add(
        field,
        `no scenario is named "${parsed.scenario}"; the scenarios are ${scenarios.map((s) => s.name).join(', ')}`,
        text,
      )
    else thresholds.push(parsed)
  }

  let seed = input.defaultSeed ?? 1
  if (flags.seed !== undefined) {
    seed = Number(flags.seed)
    if (!Number.isInteger(seed)) problems.add('--seed', 'expected a whole number, e.g. --seed 42', flags.seed)
  }

  const segment = flags.segment === undefined ? undefined : parseSegment(flags.segment)
  if (segment && 'error' in segment) problems.add('--segment', segment.error, flags.segment)
  else if (segment && segment.count > 1) {
    // Every shard needs a connection for each of its workers, and a request in flight at least.
    const perShard = Math.floor(loadConnections / segment.count)
    if (perShard < workers)
      problems.add(
        '--segment',
        `${segment.count} shards of ${loadConnections} connections leave ${perShard} per shard, fewer than its ${workers} worker(s); use more connections or fewer shards`,
        flags.segment,
      )
    if (load.model === 'open' && load.maxInFlight < segment.count)
      problems.add(
        '--segment',
        `--max-in-flight ${load.maxInFlight} cannot be split over ${segment.count} shards`,
        flags.segment,
      )
    if (load.amount !== undefined && load.amount < segment.count)
      problems.add(
        '--segment',
        `--amount ${load.amount} leaves some of ${segment.count} shards nothing to send`,
        flags.segment,
      )
  }
  const startAtEpochMs = flags.startAt === undefined ? undefined : parseStartAt(flags.startAt)
  if (typeof startAtEpochMs === 'object') problems.add('--start-at', startAtEpochMs.error, flags.startAt)
  else if (startAtEpochMs !== undefined && input.nowEpochMs !== undefined) {
    const aheadMs = startAtEpochMs - input.nowEpochMs
    if (aheadMs < -START_AT_LATE_MS)
      problems.add(
        '--start-at',
        `is ${formatDurationMs(-aheadMs)} in the past (a shard may join at most ${formatDurationMs(START_AT_LATE_MS)} late); choose a later time for every shard`,
        flags.startAt,
      )
    if (aheadMs > START_AT_AHEAD_MS) problems.add('--start-at', 'is more than 24 hours ahead', flags.startAt)
  }

  if (balanced && !http2 && load.model === 'closed' && load.pipelining > 1)
    problems.add(
      '--pipelining',
      'with --targets each request picks its target, so requests cannot be pipelined on one connection',
      load.pipelining,
    )
  const secrets = env.secrets
  if (secrets.length > 0)
    for (const problem of problems.items)
      problem.value = typeof problem.value === 'string' ? hideEnvValues(problem.value, secrets) : problem.value
  problems.throwIfAny(input.fileName ? `Cannot run ${input.fileName}:` : 'Cannot run:')
  const options: RunOptions = {
    origin,
    scenarios,
    load,
    timeoutMs,
    gracefulStopMs,
    insecure: flags.insecure ?? file.insecure ?? false,
    workers,
    thresholds,
    seed,
  }
  if (http2) options.http2 = true
  if (balanced) {
    options.targets = balanced.targets
    options.balance = balanced.balance
  }
  const redact = [...(file.redact ?? []), ...(flags.redact ?? [])]
  if (redact.length > 0) options.redact = redact
  if (file.service !== undefined) options.service = file.service
  if (warmupMs) options.warmupMs = warmupMs
  if (data) options.data = data
  if (segment && !('error' in segment)) options.segment = segment
  if (typeof startAtEpochMs === 'number') options.startAtEpochMs = startAtEpochMs
  if (secrets.length > 0) options.envSecrets = secrets
  return options
}
