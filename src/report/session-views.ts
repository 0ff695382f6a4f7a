/**
 * The sessions of a WebSocket or gRPC run (issue 34) in the summary, Markdown and HTML: how many
 * started and how they ended, connect time and session duration, and the messages each way. Pure.
 */
import {formatCount, formatMaybeMs} from '../contracts/format/units.js'
import type {RunResult, RunResultSessions} from '../contracts/results/run-result.js'

const count = formatCount
const ms = formatMaybeMs
const rate = (perSec: number) => `${perSec.toFixed(1)}/s`
const pct = (ratio: number) => (Number.isFinite(ratio) ? `${(ratio * 100).toFixed(2)}%` : '–')

/** What the run's round trips are, for headings: a request, or a session's message or call. */
export function roundTripNoun(result: Pick<RunResult, 'sessions'>): string {
  if (!result.sessions) return 'requests'
  return result.sessions.kind === 'ws' ? 'round trips' : 'calls/messages'
}

/** Close codes (WebSocket) or statuses (gRPC) as `1000 ×98, 1006 ×2`, most frequent first. */
export function closeCodesText(sessions: RunResultSessions): string {
  const entries = Object.entries(sessions.closeCodes).sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
  return entries.length === 0 ? 'none' : entries.map(([code, n]) => `${code} ×${count(n)}`).join(', ')
}

/** The summary's lines for a session run; none for HTTP. */
export function sessionSummaryLines(result: RunResult): string[] {
  const s = result.sessions
  if (!s) return []
  const what = s.kind === 'ws' ? 'close codes' : 'statuses'
  return [
    `sessions   ${count(s.started)} started, ${count(s.completed)} ended normally, ${count(s.failed)} failed (${pct(s.failedRatio)}); ${what} ${closeCodesText(s)}`,
    `connect    p50 ${ms(s.connect.percentilesMs['50'])}, p99 ${ms(s.connect.percentilesMs['99'])} (${count(s.connect.count)} ${s.kind === 'ws' ? 'handshakes' : 'channels'}); session p50 ${ms(s.duration.percentilesMs['50'])}, p99 ${ms(s.duration.percentilesMs['99'])}, max ${ms(s.duration.maxMs)}`,
    `messages   sent ${count(s.messagesSent)} (${rate(s.messagesSentPerSec)}), received ${count(s.messagesReceived)} (${rate(s.messagesReceivedPerSec)})`,
  ]
}

/** A Markdown table of the sessions; none for HTTP. */
export function sessionMarkdown(result: RunResult): string[] {
  const s = result.sessions
  if (!s) return []
  return [
    '',
    `| sessions | failed | ${s.kind === 'ws' ? 'close codes' : 'statuses'} | connect p99 | session p50 | session p99 | sent | received |`,
    '|---:|---:|---|---:|---:|---:|---:|---:|',
    `| ${count(s.started)} | ${count(s.failed)} (${pct(s.failedRatio)}) | ${closeCodesText(s)} | ${ms(s.connect.percentilesMs['99'])} | ${ms(s.duration.percentilesMs['50'])} | ${ms(s.duration.percentilesMs['99'])} | ${rate(s.messagesSentPerSec)} | ${rate(s.messagesReceivedPerSec)} |`,
  ]
}

/** Rows for the HTML report's sessions table; none for HTTP. */
export function sessionRows(result: RunResult): string[][] {
  const s = result.sessions
  if (!s) return []
  return [
    ['sessions started', count(s.started)],
    ['ended normally', count(s.completed)],
    ['failed', `${count(s.failed)} (${pct(s.failedRatio)})`],
    [s.kind === 'ws' ? 'close codes' : 'statuses', closeCodesText(s)],
    ['connect p50 / p99', `${ms(s.connect.percentilesMs['50'])} / ${ms(s.connect.percentilesMs['99'])}`],
    [
      'session p50 / p99 / max',
      `${ms(s.duration.percentilesMs['50'])} / ${ms(s.duration.percentilesMs['99'])} / ${ms(s.duration.maxMs)}`,
    ],
    ['messages sent', `${count(s.messagesSent)} (${rate(s.messagesSentPerSec)})`],
    ['messages received', `${count(s.messagesReceived)} (${rate(s.messagesReceivedPerSec)})`],
  ]
}
