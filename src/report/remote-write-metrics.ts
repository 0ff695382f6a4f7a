/**
 * A run as Prometheus time series, for `--out prometheus-rw=URL`. Names follow k6's
 * experimental-prometheus-rw output where they fit (prefix `loadplan_` for `k6_`; counters end in
 * `_total`, latency gauges in the stat, values in seconds), so a k6 dashboard needs only the prefix
 * changed. Every series carries the run's labels: plan, scenario, shard and testid (one value for
 * all the shards of a run, so a dashboard can sum them).
 *
 * While running, counters are the engine's live counters and the latency gauges are the last
 * completed second's (k6 sends statistics since the start; a second's are what a live view needs).
 * The final push carries the result's own totals and whole-run percentiles, so queries after the
 * run equal the saved result.
 *
 * WebSocket and gRPC runs (issue 34) keep the request series for their round trips and add their
 * sessions under `ws_` or `grpc_` (k6's ws_sessions, ws_msgs_sent, ws_connecting, ws_session_duration):
 * sessions started and failed, messages each way, and at the end connect time and session duration.
 */
import type {EngineSnapshot, SessionCounters} from '../contracts/results/engine-snapshot.js'
import type {MetricSeries} from '../contracts/results/metric-series.js'
import type {RunResult} from '../contracts/results/run-result.js'

export const METRIC_PREFIX = 'loadplan_'

function series(name: string, labels: Record<string, string>, value: number): MetricSeries {
  return {labels: {__name__: `${METRIC_PREFIX}${name}`, ...labels}, value}
}

/** Counters every push carries, from live counters or the final totals. */
function counterSeries(
  labels: Record<string, string>,
  c: {
    completed: number
    transportErrors: number
    httpErrors: number
    dropped: number
    bytesSent: number
    bytesReceived: number
  },
): MetricSeries[] {
  const requests = c.completed + c.transportErrors
  const failed = c.httpErrors + c.transportErrors
  return [
    series('http_reqs_total', labels, requests),
    series('http_req_failed_total', labels, failed),
    series('http_req_failed_rate', labels, requests === 0 ? 0 : failed / requests),
    series('dropped_iterations_total', labels, c.dropped),
    series('data_sent_total', labels, c.bytesSent),
    series('data_received_total', labels, c.bytesReceived),
  ]
}

function sessionSeries(labels: Record<string, string>, s: SessionCounters): MetricSeries[] {
  return [
    series(`${s.kind}_sessions_total`, labels, s.started),
    series(`${s.kind}_sessions_failed_total`, labels, s.failed),
    series(`${s.kind}_msgs_sent_total`, labels, s.messagesSent),
    series(`${s.kind}_msgs_received_total`, labels, s.messagesReceived),
  ]
}

/** What a running load test shows now. */
export function liveSeries(snapshot: EngineSnapshot, labels: Record<string, string>): MetricSeries[] {
  const out = counterSeries(labels, snapshot.counters)
  out.push(series('requests_in_flight', labels, snapshot.inFlight))
  if (snapshot.sessions) out.push(...sessionSeries(labels, snapshot.sessions))
  if (snapshot.targetRatePerSec !== undefined) out.push(series('target_rate', labels, snapshot.targetRatePerSec))
  const second = snapshot.lastSecond
  if (second && second.requests > 0) {
    out.push(
      series('http_req_duration_p50', labels, second.p50Ms / 1000),
      series('http_req_duration_p90', labels, second.p90Ms / 1000),
      series('http_req_duration_p99', labels, second.p99Ms / 1000),
      series('http_req_duration_max', labels, second.maxMs / 1000),
    )
  }
  return out
}

/** The finished run: its totals and whole-run corrected percentiles. */
export function finalSeries(result: RunResult, labels: Record<string, string>): MetricSeries[] {
  const out = counterSeries(labels, result.totals)
  out.push(series('requests_in_flight', labels, 0))
  const latency = result.latency.corrected
  if (latency.count > 0) {
    for (const [name, key] of [
      ['p50', '50'],
      ['p90', '90'],
      ['p99', '99'],
    ] as const)
      out.push(series(`http_req_duration_${name}`, labels, (latency.percentilesMs[key] as number) / 1000))
    out.push(series('http_req_duration_max', labels, latency.maxMs / 1000))
  }
  const s = result.sessions
  if (s) {
    out.push(...sessionSeries(labels, s))
    const seconds = (ms: number | undefined) => (ms ?? Number.NaN) / 1000
    if (s.connect.count > 0)
      out.push(series(`${s.kind}_connecting_p99`, labels, seconds(s.connect.percentilesMs['99'])))
    if (s.duration.count > 0)
      out.push(series(`${s.kind}_session_duration_p99`, labels, seconds(s.duration.percentilesMs['99'])))
  }
  return out
}

/** The labels of a run's series. */
export function runLabels(input: {
  plan: string
  scenarios: readonly string[]
  segment?: {index: number; count: number} | undefined
  testId: string
}): Record<string, string> {
  return {
    plan: input.plan,
    scenario: input.scenarios.length === 1 ? (input.scenarios[0] as string) : 'all',
    shard: input.segment ? `${input.segment.index}/${input.segment.count}` : '0/1',
    testid: input.testId,
  }
}
