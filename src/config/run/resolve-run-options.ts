/**
 * `loadplan run` options: the defaults, the layering (defaults < service file < environment <
 * flags; oclif folds LOADPLAN_* variables into the flags) and the validation that reports every
 * problem at once. Pure: data files are read through an injected function.
 */
import {hideEnvValues} from '../../contracts/redact.js'
import type {RunOptions} from '../../core/engine/run-options.js'
import type {ResolveRunInput} from './run-flags.js'
import {createRunContext} from './run-context.js'
import {resolveTarget} from './resolve-target.js'
import {resolveRequests, resolveThresholds} from './resolve-requests.js'
import {resolveLoad} from './resolve-load.js'
import {resolveSharding} from './resolve-sharding.js'
import {resolveSessionRun} from './resolve-sessions.js'

/**
 * Builds validated run options from the URL or service file and the flags: each concern resolved
 * in turn over one context (run-context.ts), every problem reported at once.
 * @throws InputError listing every problem found
 */
export function resolveRunOptions(input: ResolveRunInput): RunOptions {
  const ctx = createRunContext(input)
  const {problems, flags, file} = ctx
  const target = resolveTarget(ctx)
  const {balanced} = target
  const {scenarios, data} = resolveRequests(ctx, target)
  const multiplexed = scenarios.some((s) => s.session?.kind === 'grpc')
  const {load, http2, workers, timeoutMs, gracefulStopMs, warmupMs} = resolveLoad(ctx, {multiplexed})
  const origin = resolveSessionRun(ctx, scenarios, target.origin, {http2, balanced: balanced !== undefined, load})
  const thresholds = resolveThresholds(ctx, scenarios)
  let seed = input.defaultSeed ?? 1
  if (flags.seed !== undefined) {
    seed = Number(flags.seed)
    if (!Number.isInteger(seed)) problems.add('--seed', 'expected a whole number, e.g. --seed 42', flags.seed)
  }

  const {segment, startAtEpochMs} = resolveSharding(ctx, load, workers)
  if (balanced && !http2 && load.model === 'closed' && load.pipelining > 1)
    problems.add(
      '--pipelining',
      'with --targets each request picks its target, so requests cannot be pipelined on one connection',
      load.pipelining,
    )
  if (flags.client !== undefined && flags.client !== 'raw' && flags.client !== 'undici')
    problems.add('--client', 'expected raw or undici', flags.client)
  const useUndici = flags.client === 'undici'
  const {secrets} = ctx
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
  if (useUndici) options.client = 'undici'
  if (balanced) {
    options.targets = balanced.targets
    options.balance = balanced.balance
  }
  const redact = [...(file.redact ?? []), ...(flags.redact ?? [])]
  if (redact.length > 0) options.redact = redact
  if (file.service !== undefined) options.service = file.service
  if (warmupMs) options.warmupMs = warmupMs
  if (data) options.data = data
  if (segment) options.segment = segment
  if (startAtEpochMs !== undefined) options.startAtEpochMs = startAtEpochMs
  if (secrets.length > 0) options.envSecrets = secrets
  return options
}
