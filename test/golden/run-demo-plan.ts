/** The plan step of `loadplan demo` for a given capacity result (the demo measures it live). */
import {join} from 'node:path'
import {planDemo} from '../../src/app/demo.js'
import {emit} from '../../src/cli/run-command.js'
import type {PlanFormat} from '../../src/config/plan-options.js'
import {renderPlanDocument} from '../../src/report/plan-views.js'
import type {CapacityResult} from '../../src/contracts/results/capacity-result.js'

export async function runDemoPlan(
  capacity: CapacityResult,
  nowMs: number,
  format: PlanFormat,
  html?: string,
): Promise<number> {
  const outcome = await planDemo(capacity, {packageRoot: join(import.meta.dirname, '..', '..'), format, html, nowMs})
  return emit(outcome, renderPlanDocument(outcome.document.plan, outcome.document.format))
}
