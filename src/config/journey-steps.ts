/**
 * A journey's `steps:` in a service file → the engine's JourneySteps: think times, checks and
 * extracts parsed and validated (regular expressions compile, JSON paths parse, variables are
 * extracted before they are used), every problem at once.
 */
import type {ProblemList} from '../contracts/errors.js'
import {parseJsonPath, type StepCheck, type StepExtract} from '../core/engine/journey.js'
import type {JourneyStep} from '../core/engine/run-options.js'
import {varsBeforeSteps, type VarsInScope} from '../core/engine/template.js'
import {parseDurationMs} from '../contracts/parse/parse-units.js'
import type {StepEntry} from './service-file.js'

type StepRequest = JourneyStep['request']

function compiles(problems: ProblemList, field: string, pattern: string): boolean {
  try {
    new RegExp(pattern)
    return true
  } catch (error) {
    problems.add(field, `not a regular expression: ${(error as Error).message}`, pattern)
    return false
  }
}

/** `500ms` or `1s..3s`: a fixed or uniformly random pause. */
function parseThink(problems: ProblemList, field: string, text: string | number): JourneyStep['think'] {
  const [low = '', high] = String(text).split('..')
  const minMs = parseDurationMs(low.trim())
  const maxMs = high === undefined ? minMs : parseDurationMs(high.trim())
  if (minMs === undefined || maxMs === undefined || maxMs < minMs || maxMs > 3_600_000) {
    problems.add(field, 'expected a pause such as 500ms, or a range such as 1s..3s (at most 1h)', text)
    return undefined
  }
  return {minMs, maxMs}
}

export function parseChecks(problems: ProblemList, field: string, check: NonNullable<StepEntry['check']>): StepCheck[] {
  const checks: StepCheck[] = []
  if (check.status !== undefined) {
    const statuses = Array.isArray(check.status) ? check.status : [check.status]
    if (statuses.some((s) => s < 100 || s > 599))
      problems.add(`${field}.status`, 'expected HTTP status codes from 100 to 599', check.status)
    checks.push({name: `status ${statuses.join('|')}`, kind: 'status', statuses})
  }
  for (const [header, pattern] of Object.entries(check.header ?? {})) {
    if (compiles(problems, `${field}.header.${header}`, pattern))
      checks.push({name: `header ${header} ~ /${pattern}/`, kind: 'header', header: header.toLowerCase(), pattern})
  }
  for (const [pathText, expected] of Object.entries(check.json ?? {})) {
    const path = parseJsonPath(pathText)
    if ('error' in path) {
      problems.add(`${field}.json`, path.error, pathText)
      continue
    }
    const spec =
      expected !== null && typeof expected === 'object' && !Array.isArray(expected)
        ? (expected as Record<string, unknown>)
        : undefined
    if (spec && typeof spec.match === 'string') {
      if (compiles(problems, `${field}.json.${pathText}`, spec.match))
        checks.push({name: `${pathText} ~ /${spec.match}/`, kind: 'json', path, pattern: spec.match})
    } else if (spec && spec.exists === true) checks.push({name: `${pathText} exists`, kind: 'json', path})
    else checks.push({name: `${pathText} = ${JSON.stringify(expected)}`, kind: 'json', path, equals: expected})
  }
  if (check.body !== undefined && compiles(problems, `${field}.body`, check.body))
    checks.push({name: `body ~ /${check.body}/`, kind: 'body', pattern: check.body})
  return checks
}

export function parseExtracts(
  problems: ProblemList,
  field: string,
  extract: NonNullable<StepEntry['extract']>,
): StepExtract[] {
  const out: StepExtract[] = []
  for (const [name, from] of Object.entries(extract)) {
    const at = `${field}.${name}`
    const sources = Object.entries(from).filter(([, v]) => v !== undefined)
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      problems.add(at, 'a variable name is letters, digits and _, e.g. token', name)
    if (sources.length !== 1) {
      problems.add(at, 'take the value from one of json: $.path, header: NAME, regex: PATTERN or cookie: NAME')
      continue
    }
    const [kind, text] = sources[0] as [string, string]
    if (kind === 'json') {
      const path = parseJsonPath(text)
      if ('error' in path) problems.add(`${at}.json`, path.error, text)
      else out.push({name, from: 'json', path})
    } else if (kind === 'header') out.push({name, from: 'header', header: text.toLowerCase()})
    else if (kind === 'cookie') out.push({name, from: 'cookie', cookie: text})
    else if (compiles(problems, `${at}.regex`, text)) out.push({name, from: 'regex', pattern: text})
  }
  return out
}

/**
 * The steps of one journey. `buildRequest` turns a step's request into the engine's form (with
 * the service's headers, base path and flags applied), checking its templates against the
 * variables the earlier steps extract.
 */
export function resolveSteps(
  problems: ProblemList,
  steps: readonly StepEntry[],
  field: string,
  buildRequest: (step: StepEntry, index: number, vars: VarsInScope) => StepRequest,
): JourneyStep[] {
  const parsed = steps.map((step, i) => {
    const at = `${field}[${i}]`
    const checks = step.check ? parseChecks(problems, `${at}.check`, step.check) : []
    const extracts = step.extract ? parseExtracts(problems, `${at}.extract`, step.extract) : []
    return {step, at, checks, extracts}
  })
  const vars = varsBeforeSteps(parsed)
  return parsed.map(({step, at, checks, extracts}, i) => {
    const journeyStep: JourneyStep = {
      name: step.name ?? `step ${i + 1}`,
      request: buildRequest(step, i, vars[i] as VarsInScope),
      checks,
      extracts,
      abortOnFailure: step.check?.abort === true,
      readsBody:
        checks.some((c) => c.kind === 'json' || c.kind === 'body') ||
        extracts.some((e) => e.from === 'json' || e.from === 'regex'),
    }
    if (step.think !== undefined) {
      const think = parseThink(problems, `${at}.think`, step.think)
      if (think) journeyStep.think = think
    }
    return journeyStep
  })
}
