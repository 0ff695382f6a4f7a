/**
 * loadplan's one error mechanism. Everything the user can fix is a `LoadplanError` with a stable
 * `code` and the exit code it maps to; anything else that escapes a command is a bug (exit 1).
 * The core throws these and never prints or exits; the command boundary (src/cli/report-error.ts)
 * renders them.
 */
import type {z} from 'zod'
import {redactValue} from './redact.js'

/** Exit codes: CI can tell "the SLO failed" apart from "you typed it wrong". */
export const EXIT = {
  ok: 0,
  /** A bug in loadplan: please report it. */
  bug: 1,
  /** Invalid flags, service file or data file. */
  badInput: 2,
  /** A threshold (or SLO) failed. */
  thresholdsFailed: 3,
  /** Stopped by Ctrl-C or SIGTERM; the partial result was still written. */
  interrupted: 130,
} as const

export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

/** Stable error codes (for scripts and tests; messages may be reworded). */
export type ErrorCode = 'LOADPLAN_INPUT_INVALID' | 'LOADPLAN_DATA_INSUFFICIENT' | 'LOADPLAN_INTERRUPTED'

/** One thing wrong with the user's input: where, what was given, and how to fix it. */
export interface Problem {
  /** Dotted path of the field, e.g. `load.stages[1].duration` or `--connections`. */
  field: string
  /** What was given, as the user wrote it; InputError redacts whatever looks like a secret. */
  value?: unknown
  /** What is wrong and how to fix it. */
  message: string
}

export class LoadplanError extends Error {
  readonly code: ErrorCode
  readonly exitCode: ExitCode

  constructor(code: ErrorCode, message: string, exitCode: ExitCode) {
    super(message)
    this.name = 'LoadplanError'
    this.code = code
    this.exitCode = exitCode
  }
}

/** Invalid flags, service file or data file. Carries every problem found, not just the first. */
export class InputError extends LoadplanError {
  readonly problems: Problem[]

  constructor(heading: string, given: Problem[]) {
    // Every value echoed back is redacted here, once, so that no validation path can leak a
    // secret the user mistyped (`-H "Authorization Bearer S"` is still a secret).
    const problems = given.map((p) => (p.value === undefined ? p : {...p, value: redactValue(p.value)}))
    super(
      'LOADPLAN_INPUT_INVALID',
      `${heading}\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`,
      EXIT.badInput,
    )
    this.name = 'InputError'
    this.problems = problems
  }
}

/**
 * The data given cannot answer the question (too short a history, no candidate types): the input
 * is well-formed but not enough. The command names what it was doing ("Cannot forecast: …").
 */
export class DataError extends LoadplanError {
  constructor(message: string) {
    super('LOADPLAN_DATA_INSUFFICIENT', message, EXIT.badInput)
    this.name = 'DataError'
  }
}

export function formatProblem(problem: Problem): string {
  const value = problem.value === undefined ? '' : ` (got ${JSON.stringify(problem.value)})`
  return `${problem.field}: ${problem.message}${value}`
}

/**
 * Collects problems while validating, so that every problem is reported at once.
 */
export class ProblemList {
  readonly items: Problem[] = []

  /** Adds a problem; the same problem twice (one check reached by several paths) is kept once. */
  add(field: string, message: string, value?: unknown): void {
    if (this.items.some((p) => p.field === field && p.message === message && p.value === value)) return
    this.items.push(value === undefined ? {field, message} : {field, message, value})
  }

  /** Throws an InputError if anything was collected. */
  throwIfAny(heading: string): void {
    if (this.items.length > 0) throw new InputError(heading, this.items)
  }
}

/** Renders a zod/YAML path the way users write it: `load.stages[1].duration`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`
  return out
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<PropertyKey, unknown>)[key]
  }
  return node
}

/** Converts zod issues into problems that name the field, the value and the fix. */
export function problemsFromZod(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  prefix: string,
  knownKeysAt?: (path: readonly PropertyKey[]) => string,
): Problem[] {
  const problems: Problem[] = []
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const field = `${prefix}${formatPath([...issue.path, key])}`
        problems.push({
          field,
          message: knownKeysAt ? `unknown key; known keys here are ${knownKeysAt(issue.path)}` : 'unknown key',
        })
      }
      continue
    }
    const value = valueAt(input, issue.path)
    const problem: Problem = {field: `${prefix}${formatPath(issue.path)}`, message: issue.message}
    if (value !== undefined && typeof value !== 'object') problem.value = value
    problems.push(problem)
  }
  return problems
}
