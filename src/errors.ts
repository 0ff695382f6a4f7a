/**
 * Coded errors raised by loadplan's core. The core never prints or exits: commands map these
 * classes to exit codes and render them (see `src/cli/handle-error.ts`).
 */

/** One thing wrong with the user's input: where, what was given, and how to fix it. */
export interface Problem {
  /** Dotted path of the field, e.g. `load.stages[1].duration` or `--connections`. */
  field: string
  /** What was given, as the user wrote it (already redacted if it may hold a secret). */
  value?: unknown
  /** What is wrong and how to fix it. */
  message: string
}

export class LoadplanError extends Error {
  readonly code: string = 'LOADPLAN_ERROR'
}

/** Invalid flags, service file or data file. Carries every problem found, not just the first. */
export class InputError extends LoadplanError {
  override readonly code = 'LOADPLAN_INPUT_INVALID'
  readonly problems: Problem[]

  constructor(heading: string, problems: Problem[]) {
    super(`${heading}\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`)
    this.name = 'InputError'
    this.problems = problems
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

  add(field: string, message: string, value?: unknown): void {
    this.items.push(value === undefined ? {field, message} : {field, message, value})
  }

  /** Throws an InputError if anything was collected. */
  throwIfAny(heading: string): void {
    if (this.items.length > 0) throw new InputError(heading, this.items)
  }
}
