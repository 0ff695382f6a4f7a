/** The plan step of `loadplan demo` for a given capacity result (the demo measures it live). */
import {join} from 'node:path'
import {executePlan} from '../../src/cli/execute-plan.js'
import {readSeriesCsv} from '../../src/io/read-series-csv.js'
import type {CapacityResult} from '../../src/report/capacity-result.js'

export async function runDemoPlan(capacity: CapacityResult, nowMs: number, format: string, html?: string): Promise<number> {
  const history = readSeriesCsv(join(import.meta.dirname, '..', '..', 'plans', 'data', 'sample-traffic.csv')).observations
  const lastHourMs = Math.floor(nowMs / 3_600_000) * 3_600_000 - 3_600_000
  const shiftMs = lastHourMs - (history.at(-1)?.timeMs ?? lastHourMs)
  const observations = history.map((o) => ({timeMs: o.timeMs + shiftMs, value: o.value * 3}))
  return executePlan({observations, metric: 'traffic', aggregate: 'mean', growthKind: 'compound', meanToPeak: '50%', capacityResult: capacity, instanceType: 'c7g.large', provider: 'aws', families: ['c7g', 'm7g'], targetUtilization: '70%', redundancy: 'n+1', sizeOn: 'hi80', months: '12', holdType: false, scaleFactor: '1', storageGb: '50', storageGrowth: '5%', bytesPerRequest: '18kB', format, html, service: 'demo service', nowMs})
}
