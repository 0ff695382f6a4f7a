/**
 * JUnit XML, the shape CI systems read (GitLab, Jenkins, GitHub test reporters): one testsuite
 * per run, one testcase per threshold or SLO objective and per journey check, a <failure> carrying
 * value and limit.
 */
import type {CapacityResult} from '../contracts/results/capacity-result.js'
import {runTargetLabel, type RunResult} from '../contracts/results/run-result.js'
import {formatThresholdValue} from './summary-table.js'
import {escapeXml} from './xml.js'

interface Case {
  name: string
  classname: string
  failure?: {message: string; detail: string}
}

function render(suiteName: string, timestamp: string, durationMs: number, cases: Case[]): string {
  const failures = cases.filter((c) => c.failure).length
  const seconds = (durationMs / 1000).toFixed(3)
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="loadplan" tests="${cases.length}" failures="${failures}" errors="0" time="${seconds}">`,
    `  <testsuite name="${escapeXml(suiteName)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="${seconds}" timestamp="${escapeXml(timestamp.replace(/\.\d+Z$/, ''))}">`,
  ]
  for (const c of cases) {
    const open = `    <testcase name="${escapeXml(c.name)}" classname="${escapeXml(c.classname)}" time="0"`
    if (!c.failure) lines.push(`${open}/>`)
    else {
      lines.push(`${open}>`)
      lines.push(
        `      <failure message="${escapeXml(c.failure.message)}" type="threshold">${escapeXml(c.failure.detail)}</failure>`,
      )
      lines.push('    </testcase>')
    }
  }
  lines.push('  </testsuite>', '</testsuites>', '')
  return lines.join('\n')
}

export function runResultToJunit(result: RunResult): string {
  const suite = `loadplan run ${result.service ? `${result.service} (${runTargetLabel(result)})` : runTargetLabel(result)}`
  const cases: Case[] = result.thresholds.map((t) => {
    const c: Case = {name: t.expression, classname: 'loadplan.thresholds'}
    if (!t.passed) {
      const message = `${t.name} was ${formatThresholdValue(t, t.value)}, limit ${t.operator} ${formatThresholdValue(t, t.limit)}`
      c.failure = {
        message,
        detail: `${message} (${result.totals.completed} responses over ${(result.durationMs / 1000).toFixed(1)} s)`,
      }
    }
    return c
  })
  // Journeys: a case per check, failed when any response failed it (checks count, they do not fail the run).
  for (const scenario of result.scenarios ?? []) {
    for (const step of scenario.steps ?? []) {
      for (const check of step.checks) {
        const c: Case = {name: `${step.name} › ${check.name}`, classname: `loadplan.checks.${scenario.name}`}
        const judged = check.passed + check.failed
        if (check.failed > 0)
          c.failure = {
            message: `${check.failed} of ${judged} responses failed it`,
            detail: `${scenario.name} › ${step.name} › ${check.name}: ${check.passed} passed, ${check.failed} failed`,
          }
        cases.push(c)
      }
    }
  }
  if (result.stopReason === 'interrupted')
    cases.push({
      name: 'run completed',
      classname: 'loadplan.run',
      failure: {message: 'the run was interrupted', detail: 'the figures are partial'},
    })
  return render(suite, result.startedAt, result.durationMs, cases)
}

export function capacityResultToJunit(result: CapacityResult): string {
  const suite = `loadplan capacity ${result.service ?? result.target}`
  const sustainable = result.sustainableRatePerSec
  const lowest = result.steps.reduce<CapacityResult['steps'][number] | undefined>(
    (low, s) => (low === undefined || s.offeredRatePerSec < low.offeredRatePerSec ? s : low),
    undefined,
  )
  const found: Case = {name: 'a sustainable rate meets the SLO', classname: 'loadplan.capacity'}
  if (sustainable === null)
    found.failure = {
      message: 'no rate met the SLO',
      detail: lowest
        ? `lowest rate tried: ${lowest.offeredRatePerSec}/s (${lowest.failures.join('; ')})`
        : 'no step ran',
    }
  // One case per objective: met at the sustainable rate by construction, or failed at the lowest rate tried.
  const objectives = result.slo.map((objective): Case => {
    const c: Case = {
      name: `${objective} at ${sustainable ?? lowest?.offeredRatePerSec ?? 0}/s`,
      classname: 'loadplan.slo',
    }
    if (sustainable === null && lowest?.failures.includes(objective))
      c.failure = {
        message: `${objective} not met at ${lowest.offeredRatePerSec}/s`,
        detail: `p99 ${lowest.p99Ms ?? '–'} ms, errors ${((lowest.errorRatio ?? 0) * 100).toFixed(2)}%`,
      }
    return c
  })
  return render(suite, result.startedAt, result.durationMs, [found, ...objectives])
}
