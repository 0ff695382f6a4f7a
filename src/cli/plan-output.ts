/**
 * Prints a plan: on a person's terminal (not CI, no --format/--json/--quiet) the explorer, which
 * recomputes the plan on each key; otherwise the text the format asks for. Ink loads only for the
 * explorer.
 */
import {openPlanExplorer} from '../app/plan-explorer.js'
import type {PlanRequest} from '../app/plan.js'
import type {ExitCode} from '../contracts/errors.js'
import {EXIT} from '../contracts/errors.js'
import {preferProductionReact} from '../ui/load-ink.js'
import {interactiveStdout} from './run-command.js'

/** The explorer needs keys and a screen: both ends a terminal, and no output format asked for. */
export function wantsPlanExplorer(flags: {format?: string; json: boolean; quiet: boolean}): boolean {
  return (
    flags.format === undefined && !flags.json && !flags.quiet && interactiveStdout() && Boolean(process.stdin.isTTY)
  )
}

/** Runs the explorer until the user quits; what `w` wrote is printed again after it closes. */
export async function explorePlanOnTerminal(
  request: PlanRequest,
  command: {bin: string; argv: readonly string[]},
): Promise<ExitCode> {
  const {explorer, warnings} = await openPlanExplorer(request, command)
  for (const warning of warnings) process.stderr.write(`${warning}\n`)
  preferProductionReact()
  const {explorePlan} = await import('../ui/plan-explorer-view.js')
  const written: string[] = []
  await explorePlan(
    {
      initial: explorer.current(),
      press: (key) => explorer.press(key),
      write: () => {
        written.push(explorer.write(process.cwd()).message)
        return explorer.current()
      },
      columns: process.stdout.columns ?? 80,
      rows: process.stdout.rows ?? 24,
    },
    process.stdout,
    process.stdin,
  )
  if (written.length > 0) process.stdout.write(`\n${written.join('\n')}\n`)
  return EXIT.ok
}
