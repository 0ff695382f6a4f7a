/**
 * One vocabulary of output formats for every command: `--format table|json|csv|markdown|junit`
 * (`md` is accepted for `markdown` everywhere), and `--json` as the oclif shorthand for
 * `--format json`.
 */
import type {ProblemList} from '../errors.js'

export const OUTPUT_FORMATS = ['table', 'json', 'csv', 'markdown', 'junit'] as const
export type OutputFormat = (typeof OUTPUT_FORMATS)[number]

/** The formats `loadplan report` writes. */
export const REPORT_FORMATS = ['table', 'markdown', 'junit', 'json'] as const satisfies readonly OutputFormat[]
export type ReportFormat = (typeof REPORT_FORMATS)[number]

const ALIASES: Record<string, OutputFormat> = {md: 'markdown'}

/** How a list of formats reads in help and messages: `table, json, csv or markdown (md)`. */
export function describeFormats(allowed: readonly OutputFormat[]): string {
  const names = allowed.map((f) => (f === 'markdown' ? 'markdown (md)' : f))
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : (names[0] ?? '')
}

/**
 * Reads a `--format` value (with `--json` winning, as oclif's convention has it); adds a problem
 * when the format is not one this command writes.
 */
export function parseOutputFormat<F extends OutputFormat>(
  text: string | undefined,
  allowed: readonly F[],
  problems: ProblemList,
  json = false,
): F {
  if (json) return 'json' as F
  const name = (text ?? 'table').trim().toLowerCase()
  const format = (ALIASES[name] ?? name) as F
  if (!allowed.includes(format)) problems.add('--format', `expected ${describeFormats(allowed)}`, text)
  return format
}
