/**
 * `loadplan plan --backtest 3mo`: the plan as it would have been made that many whole months
 * before the history ends, scored against the months that followed (issue 29).
 */
import {findInstance, monthlyCostUsd, priceOf} from '../core/catalog/catalog-lookup.js'
import {sizingPriceKind} from '../core/catalog/providers.js'
import {computePlan} from '../core/planning/compute-plan.js'
import {backtestCut, monthlyPeaks, scorePlanBacktest} from '../core/planning/plan-backtest.js'
import {EXIT, InputError, ProblemList} from '../contracts/errors.js'
import {PLAN_BACKTEST_SCHEMA, type PlanBacktestDocument} from '../contracts/results/plan-backtest-document.js'
import type {AppResult} from './app-result.js'
import {writeOutputFile} from './output-files.js'
import {historyOf, planInput, preparePlan, type PlanRequest} from './plan.js'

/** Less history than this before the cut leaves nothing to forecast from. */
const MIN_HISTORY_DAYS = 14

export async function planBacktest(request: PlanRequest): Promise<AppResult<PlanBacktestDocument>> {
  const problems = new ProblemList()
  const input = await planInput(request, problems)
  if (input.options.format !== 'table' && input.options.format !== 'json')
    problems.add('--format', 'with --backtest: table or json', input.options.format)
  if (request.html !== undefined) problems.add('--html', 'not with --backtest (use --json or --out)')
  problems.throwIfAny('Cannot backtest the plan:')
  const {options} = input
  const months = options.backtestMonths as number
  const history = (await historyOf(options.demand)) as NonNullable<Awaited<ReturnType<typeof historyOf>>>
  const cut = backtestCut(history.observations, months, options.aggregate)
  const before = history.observations.filter((o) => o.timeMs < cut.cutMs)
  const days = before.length === 0 ? 0 : (cut.cutMs - (before[0]?.timeMs ?? cut.cutMs)) / 86_400_000
  if (days < MIN_HISTORY_DAYS)
    throw new InputError('Cannot backtest the plan:', [
      {
        field: '--backtest',
        message: `cutting ${months} whole month${months === 1 ? '' : 's'} off leaves ${days.toFixed(0)} days of history before ${new Date(cut.cutMs).toISOString().slice(0, 10)} to plan from (at least ${MIN_HISTORY_DAYS}): backtest fewer months, or give a longer history`,
        value: `${months}mo`,
      },
    ])
  const prepared = await preparePlan(
    {
      ...input,
      options: {...options, months, demand: {kind: 'observations', observations: before, name: history.source}},
      nowMs: cut.cutMs,
    },
    problems,
  )
  const {doc, warnings} = computePlan(prepared, prepared.options)
  const region = doc.region
  const unitUsdPerMonth = (type: string) => {
    const instance = findInstance(prepared.catalog, type, options.provider)
    const price = instance
      ? (priceOf(instance, region, sizingPriceKind(options.pricing)) ?? priceOf(instance, region, 'on-demand'))
      : undefined
    return monthlyCostUsd(price ?? 0)
  }
  const actual = monthlyPeaks(history.observations, options.aggregate, cut.cutMs, cut.endMs)
  const scored = scorePlanBacktest(doc.plan, actual, {
    targetUtilization: options.targetUtilization,
    redundancy: options.redundancy,
    unitUsdPerMonth,
  })
  const document: PlanBacktestDocument = {
    schema: PLAN_BACKTEST_SCHEMA,
    version: 1,
    cutAt: new Date(cut.cutMs).toISOString(),
    source: history.source,
    months: scored.months,
    summary: scored.summary,
    plan: doc,
  }
  const failed = writeOutputFile(request.out, () => `${JSON.stringify(document, null, 2)}\n`)
  return {document, warnings: [...warnings, ...(failed ? [failed] : [])], exitCode: EXIT.ok}
}
