/** The target of a run: one origin (a URL, --target or the file's target:), or several balanced ones (--targets). */
import {ProblemList} from '../../contracts/errors.js'
import type {ServiceFile} from '../service-file.js'
import {redactUrl} from '../../contracts/redact.js'
import {
  TARGET_BALANCE_POLICIES,
  type BalancedTarget,
  type TargetBalance,
  type TargetBalancePolicy,
} from '../../core/engine/target-balancer.js'
import {type RunFlags} from './run-flags.js'
import type {RunContext} from './run-context.js'

/** Schemes a target may have: HTTP, and WebSocket and gRPC for their scenarios (resolve-sessions.ts). */
const TARGET_SCHEMES = ['http:', 'https:', 'ws:', 'wss:', 'grpc:', 'grpcs:']

function parseOrigin(problems: ProblemList, field: string, text: string): URL | undefined {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    problems.add(field, 'expected an absolute http(s) URL such as http://127.0.0.1:8080/', redactUrl(text))
    return undefined
  }
  if (!TARGET_SCHEMES.includes(url.protocol)) {
    problems.add(
      field,
      `unsupported scheme "${url.protocol}"; use http:// or https:// (ws://, wss://, grpc:// and grpcs:// with WebSocket and gRPC scenarios)`,
      redactUrl(text),
    )
    return undefined
  }
  if (url.host === '') {
    problems.add(field, 'expected a host, e.g. grpc://127.0.0.1:50051', redactUrl(text))
    return undefined
  }
  return url
}

/** A URL's origin: scheme, host and port (URL.origin is "null" for grpc://, a scheme WHATWG does not know). */
function originOf(url: URL): string {
  return `${url.protocol}//${url.host}`
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
    if (url) targets.push({origin: originOf(url), weight})
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

/** Where requests go: the origin, the base path of a service file's target, or the URL argument's path and query. */
export interface ResolvedTarget {
  origin: string
  basePath: string
  urlPath: string | undefined
  urlQuery: Array<[string, string]>
  balanced: {targets: BalancedTarget[]; balance: TargetBalance} | undefined
}

/** The target and, with --targets, the balanced origins. */
export function resolveTarget(ctx: RunContext): ResolvedTarget {
  const {problems, flags, file, fileField, input, urlArgument} = ctx
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
      origin = originOf(url)
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
  return {origin, basePath, urlPath, urlQuery, balanced}
}
