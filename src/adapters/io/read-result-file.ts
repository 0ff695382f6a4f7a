/**
 * Reads a saved RunResult or CapacityResult (for `report`, `run --compare` and `plan --capacity`).
 * The file is checked against the fields every renderer reads, so a hand-edited or truncated file
 * is bad input with its field named, never a crash half-way through a report.
 */
import {readJsonFile} from './read-input-file.js'
import {formatProblem, problemsFromZod, type ProblemList} from '../../contracts/errors.js'
import {CAPACITY_RESULT_SCHEMA, type CapacityResult} from '../../contracts/results/capacity-result.js'
import {RUN_RESULT_SCHEMA, type RunResult} from '../../contracts/results/run-result.js'
import type {SavedResult} from '../../contracts/results/saved-result.js'

/**
 * Puts NaN back where the schema read an unmeasured statistic (saved as null) as NaN, in the file's
 * own object, so that its key order (what `report --format json` prints) stays as written.
 */
function reviveUnmeasured(original: unknown, parsed: unknown): void {
  if (original === null || typeof original !== 'object' || parsed === null || typeof parsed !== 'object') return
  const target = original as Record<string, unknown>
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value === 'number' && Number.isNaN(value) && target[key] === null) target[key] = Number.NaN
    else reviveUnmeasured(target[key], value)
  }
}

/** The saved result, or why it cannot be used (every problem with its field). */
export async function readResultFile(path: string): Promise<SavedResult | {error: string}> {
  const read = readJsonFile(path, '--json or --out')
  if ('error' in read) return read
  const {data} = read
  const schema = (data as {schema?: unknown} | null)?.schema
  const version = (data as {version?: unknown} | null)?.version
  const kind =
    schema === RUN_RESULT_SCHEMA && version === 1
      ? 'run'
      : schema === CAPACITY_RESULT_SCHEMA && version === 1
        ? 'capacity'
        : undefined
  if (!kind)
    return {
      error: `not a loadplan result (schema ${JSON.stringify(schema)}, version ${JSON.stringify(version)}); expected "${RUN_RESULT_SCHEMA}" or "${CAPACITY_RESULT_SCHEMA}" version 1`,
    }
  const {capacityResultShape, runResultShape} = await import('./result-shapes.js')
  const checked = (kind === 'run' ? runResultShape : capacityResultShape).safeParse(data)
  if (!checked.success)
    return {
      error: `is not a complete ${kind === 'run' ? 'RunResult' : 'CapacityResult'}: ${problemsFromZod(checked.error.issues, data, '').map(formatProblem).join('; ')}`,
    }
  reviveUnmeasured(data, checked.data)
  return kind === 'run' ? {kind, result: data as RunResult} : {kind, result: data as CapacityResult}
}

/** The CapacityResult a `--capacity` flag names; a missing, broken or run-result file goes to `problems`. */
export async function readCapacityFlag(
  path: string | undefined,
  problems: ProblemList,
): Promise<CapacityResult | undefined> {
  if (path === undefined) return undefined
  const saved = await readResultFile(path)
  if ('error' in saved) problems.add('--capacity', saved.error, path)
  else if (saved.kind !== 'capacity')
    problems.add('--capacity', 'is a run result; give a CapacityResult from loadplan capacity --out', path)
  else return saved.result
  return undefined
}
