/**
 * Prints a headroom judgement: on a terminal (not in CI, not --json) the Ink view with the trend
 * charts; otherwise the text or the JSON. The view model is built here from the result, with the
 * report's own phrases, so both outputs say the same.
 */
import type {judgeHeadroom} from '../app/headroom.js'
import type {ExitCode} from '../contracts/errors.js'
import {
  currentText,
  headroomToJson,
  recommendationLine,
  renderHeadroom,
  savingText,
  trendOutlook,
} from '../report/headroom-views.js'
import {preferProductionReact} from '../ui/load-ink.js'
import {emit, interactiveStdout} from './run-command.js'

export async function printHeadroom(
  outcome: Awaited<ReturnType<typeof judgeHeadroom>>,
  json: boolean,
): Promise<ExitCode> {
  const result = outcome.document
  if (json || !interactiveStdout()) return emit(outcome, json ? headroomToJson(result) : renderHeadroom(result))
  for (const warning of outcome.warnings) process.stderr.write(`${warning}\n`)
  preferProductionReact()
  const {showHeadroom} = await import('../ui/headroom-view.js')
  await showHeadroom(
    {
      title: `loadplan headroom  profile ${result.profile}, ${result.hours.toFixed(0)} h of history`,
      resources: result.resources.map((r) => ({
        name: r.resource,
        p95: r.p95,
        max: r.max,
        judged: r.judged,
        target: r.targetPct,
        scale: r.scale,
      })),
      binding: result.binding,
      factor: result.headroomFactor,
      trends: result.exhaustion.map((e) => ({
        resource: e.resource,
        daily: e.daily,
        slopePerDay: e.slopePerDay,
        levelAtLast: e.levelAtLast,
        target: e.targetPct,
        outlook: trendOutlook(e),
        days: e.days,
      })),
      current: currentText(result),
      recommendation: result.recommendation
        ? {
            line: recommendationLine(result.recommendation, false),
            risk: result.recommendation.risk,
            saving: savingText(result),
          }
        : undefined,
      alternatives: result.alternatives.map((alt) => recommendationLine(alt)),
      columns: process.stdout.columns ?? 80,
    },
    process.stdout,
  )
  return outcome.exitCode
}
