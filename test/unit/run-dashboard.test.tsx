import {render} from 'ink-testing-library'
import {describe, expect, it} from 'vitest'
import type {EngineSnapshot} from '../../src/contracts/results/engine-snapshot.js'
import {accumulate, RunDashboard, stageProgress, type RunView} from '../../src/ui/run-dashboard.js'
import {bar, sparkline} from '../../src/contracts/format/sparkline.js'

const snapshot: EngineSnapshot = {
  elapsedMs: 7500,
  lastSecond: {second: 6, requests: 198, errors: 2, p50Ms: 3.1, p90Ms: 4.2, p99Ms: 12.5, maxMs: 40},
  statusClasses: {'2xx': 1380, '5xx': 12},
  counters: {
    sent: 1400,
    completed: 1392,
    httpErrors: 12,
    transportErrors: 3,
    dropped: 4,
    aborted: 0,
    warmup: 0,
    bytesSent: 0,
    bytesReceived: 0,
    connectionsOpened: 0,
    http2Connections: 0,
  },
  inFlight: 5,
  queued: 0,
  targetRatePerSec: 200,
  plannedDurationMs: 15_000,
}
const stages = [
  {durationMs: 5000, targetRatePerSec: 200},
  {durationMs: 10_000, targetRatePerSec: 200},
]
const seconds = [50, 100, 150, 200, 200, 190, 198].map((rps, second) => ({
  second,
  achievedRps: rps,
  targetRps: Math.min(200, 40 * (second + 1)),
  p50Ms: 3,
  p90Ms: 4,
  p99Ms: 10 + second,
  maxMs: 40,
}))

function frame(columns: number, shown: EngineSnapshot = snapshot): string {
  const view: RunView = {
    title: 'loadplan run  http://127.0.0.1:8080/',
    snapshot: shown,
    seconds,
    stages,
    finished: [{index: 0, label: 'stage 1 (5.00 s to 200/s)', summary: '600 done, p99 14.0 ms at the end'}],
    columns,
  }
  const {lastFrame, unmount} = render(<RunDashboard view={view} />)
  const out = lastFrame() ?? ''
  unmount()
  return out
}

describe('sparklines and bars', () => {
  it('scales values into eight levels', () => {
    expect(sparkline([0, 5, 10], 3)).toBe('▁▅█')
    expect(sparkline([1, 2, 3, 4], 2, 8)).toBe('▄▅')
    expect(sparkline([Number.NaN, 4], 2)).toBe(' █')
    expect(bar(0.25, 8)).toBe('██░░░░░░')
  })
})

describe('run dashboard', () => {
  it('places the run in its stages', () => {
    expect(stageProgress(stages, 7500)).toEqual({index: 1, intoMs: 2500, lengthMs: 10_000})
    expect(stageProgress(stages, 100)).toEqual({index: 0, intoMs: 100, lengthMs: 5000})
  })

  it('renders every panel at 100 columns', () => {
    expect(frame(100)).toMatchInlineSnapshot(`
      "✓ stage 1 (5.00 s to 200/s): 600 done, p99 14.0 ms at the end
      loadplan run  http://127.0.0.1:8080/
      latency: corrected, of the last second
      progress   █████████████████████████░░░░░░░░░░░░░░░░░░░░░░░░░ 7.50 s / 15.00 s
      stage      2 of 2: 2.50 s done, 7.50 s left
      req/s      ▃▅▆████ 198/s (target 200/s)
      target     ▂▄▅▇███
      p99        ▃▃▃▃▃▄▄ 12.5 ms
      latency    p50 3.10 ms  p90 4.20 ms  p99 12.5 ms  max 40.0 ms
      requests   1,392 done  5 in flight  4 dropped
      status     2xx 1,380  5xx 12  errors 15
      q or Ctrl-C: stop, keep the partial result; twice: cut off in-flight"
    `)
  })

  it('shows a saturated generator, and a WebSocket run its sessions and messages (issues 33, 34)', () => {
    const sessions = {
      kind: 'ws' as const,
      started: 340,
      completed: 326,
      failed: 2,
      messagesSent: 5000,
      messagesReceived: 4990,
    }
    const generator = {cpuPct: 98.4, eventLoopLagP99Ms: 31.2, saturated: true}
    const lines = frame(80, {...snapshot, inFlight: 12, sessions, generator}).split('\n')
    expect(lines).toContain('sessions   12 under way  340 started  2 failed')
    expect(lines).toContain('messages   5,000 sent  4,990 received  1,392 round trips  4 dropped')
    expect(lines).toContain('generator  CPU 98%  loop lag p99 31.2 ms  SATURATED (try --workers)')
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80)
    expect(frame(80, {...snapshot, generator: {...generator, saturated: false}})).toContain(
      'generator  CPU 98%  loop lag p99 31.2 ms\n',
    )
  })

  it('degrades to 80 columns without wrapping the bars', () => {
    const lines = frame(80).split('\n')
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80)
    expect(lines.some((l) => l.startsWith('req/s'))).toBe(true)
  })

  it('keeps a per-second history and marks finished stages', () => {
    const first = accumulate({seconds: [], finished: []}, snapshot, stages, (i) => `stage ${i + 1}`)
    expect(first.seconds).toEqual([
      {second: 6, achievedRps: 198, targetRps: 200, p50Ms: 3.1, p90Ms: 4.2, p99Ms: 12.5, maxMs: 40},
    ])
    expect(first.finished.map((f) => f.label)).toEqual(['stage 1'])
    // The same second again adds nothing.
    expect(accumulate(first, snapshot, stages, (i) => `stage ${i + 1}`)).toEqual(first)
  })
})

describe('capacity steps above the live view', () => {
  it('shows step lines as they are, without a check mark', () => {
    const view: RunView = {
      title: 'loadplan capacity  step 2: ramp at 200/s',
      snapshot,
      seconds,
      stages: [stages[0] as never],
      finished: [{index: -1, label: 'step 1 (ramp) 100/s → 99.9/s, p99 15.3 ms, errors 0.00%: meets SLO', summary: ''}],
      columns: 100,
    }
    const {lastFrame, unmount} = render(<RunDashboard view={view} />)
    const lines = (lastFrame() ?? '').split('\n')
    unmount()
    expect(lines[0]).toBe('step 1 (ramp) 100/s → 99.9/s, p99 15.3 ms, errors 0.00%: meets SLO')
    expect(lines[1]).toBe('loadplan capacity  step 2: ramp at 200/s')
  })
})
