/**
 * A WebSocket or gRPC result (issue 34) in every output: the summary's sessions lines, the
 * Markdown table, the HTML sessions table and the Prometheus series, from one hand-built result.
 */
import {describe, expect, it} from 'vitest'
import type {RunResult} from '../../src/contracts/results/run-result.js'
import {addSessions} from '../../src/core/engine/session-summaries.js'
import {renderSummary} from '../../src/report/summary-table.js'
import {runResultToMarkdown} from '../../src/report/markdown.js'
import {renderRunHtml} from '../../src/report/run-html.js'
import {finalSeries, liveSeries} from '../../src/report/remote-write-metrics.js'
import {emptySnapshot} from '../../src/contracts/results/engine-snapshot.js'
import {encoded, engineResult} from '../helpers/fixtures.js'
import {buildRunResult} from '../../src/core/engine/build-run-result.js'
import {resolveRunOptions} from '../../src/config/run/resolve-run-options.js'

function sessionResult(): RunResult {
  const options = resolveRunOptions({url: 'http://127.0.0.1:8080/', flags: {}, defaultSeed: 1})
  const thread = (closeCodes: Record<string, number>, durations: number[]) =>
    engineResult([2, 3, 4, 5], {
      statusCodes: {},
      sessions: {
        kind: 'ws',
        started: durations.length,
        completed: closeCodes['1000'] ?? 0,
        failed: durations.length - (closeCodes['1000'] ?? 0),
        messagesSent: 4,
        messagesReceived: 5,
        connect: encoded(durations.map(() => 2)),
        duration: encoded(durations),
        closeCodes,
      },
    })
  return buildRunResult({
    options,
    results: [thread({1000: 1}, [100]), thread({1000: 1, 1006: 1}, [100, 300])],
    toolVersion: 'test',
  })
}

describe('a session run in every output', () => {
  const result = sessionResult()

  it('adds the threads’ sessions exactly', () => {
    expect(result.sessions).toMatchObject({
      kind: 'ws',
      started: 3,
      completed: 2,
      failed: 1,
      messagesSent: 8,
      messagesReceived: 10,
      closeCodes: {1000: 2, 1006: 1},
    })
    expect(result.sessions?.failedRatio).toBeCloseTo(1 / 3, 10)
    expect(result.sessions?.duration.maxMs).toBeCloseTo(300, 0)
    expect(addSessions([undefined], 1000)).toBeUndefined()
  })

  it('summary, Markdown and HTML', () => {
    const summary = renderSummary(result, {color: false})
    expect(summary).toContain('round trips 8 completed')
    expect(summary).toContain('sessions   3 started, 2 ended normally, 1 failed (33.33%); close codes 1000 ×2, 1006 ×1')
    expect(summary).toMatch(/connect {4}p50 2\.00 ms, p99 2\.00 ms \(3 handshakes\); session p50 100 ms/)
    expect(summary).toContain('messages   sent 8 (4.0/s), received 10 (5.0/s)')
    expect(summary).not.toContain('status     ')
    const markdown = runResultToMarkdown(result)
    expect(markdown).toContain('| round trips | rate |')
    expect(markdown).toContain('| 3 | 1 (33.33%) | 1000 ×2, 1006 ×1 |')
    const html = renderRunHtml(result)
    expect(html).toContain('<h2>Sessions</h2>')
    expect(html).toContain('<td>close codes</td><td>1000 ×2, 1006 ×1</td>')
  })

  it('Prometheus series: sessions and messages live and at the end', () => {
    const labels = {plan: 'p', scenario: 'chat', shard: '0/1', testid: 't'}
    const final = finalSeries(result, labels)
    const value = (name: string) => final.find((s) => s.labels.__name__ === name)?.value
    expect(value('loadplan_ws_sessions_total')).toBe(3)
    expect(value('loadplan_ws_sessions_failed_total')).toBe(1)
    expect(value('loadplan_ws_msgs_received_total')).toBe(10)
    expect(value('loadplan_ws_session_duration_p99')).toBeCloseTo(0.3, 2)
    expect(value('loadplan_ws_connecting_p99')).toBeCloseTo(0.002, 4)
    const sessions = {kind: 'grpc' as const, started: 7, completed: 5, failed: 1, messagesSent: 9, messagesReceived: 8}
    const live = liveSeries({...emptySnapshot(), sessions}, labels)
    expect(live.find((s) => s.labels.__name__ === 'loadplan_grpc_msgs_sent_total')?.value).toBe(9)
    expect(liveSeries(emptySnapshot(), labels).some((s) => (s.labels.__name__ ?? '').includes('sessions'))).toBe(false)
  })
})
