/**
 * The live dashboard of `loadplan run` (and of each `loadplan capacity` step): a pure component
 * of a view model, and an app that polls the engine's snapshots about ten times a second. The
 * engine never waits for it.
 */
import {Box, Static, Text} from 'ink'
import {useEffect, useState} from 'react'
import {formatCount, formatDurationMs, formatMaybeMs} from '../contracts/format/units.js'
import type {EngineSnapshot} from '../contracts/results/engine-snapshot.js'
import type {Stage} from '../core/schedule/arrival-schedule.js'
import {bar, sparkline} from '../contracts/format/sparkline.js'

/** Per-second history the dashboard draws. */
export interface SecondPoint {
  second: number
  achievedRps: number
  targetRps: number | undefined
  p50Ms: number
  p90Ms: number
  p99Ms: number
  maxMs: number
}

export interface StageLine {
  index: number
  label: string
  /** Filled in when the stage has finished. */
  summary: string
}

export interface RunView {
  title: string
  snapshot: EngineSnapshot
  seconds: SecondPoint[]
  stages: Stage[]
  finished: StageLine[]
  columns: number
}

const ms = formatMaybeMs
const count = formatCount

/** Where the run is in its stages: index, elapsed in the stage and its length. */
export function stageProgress(
  stages: readonly Stage[],
  elapsedMs: number,
): {index: number; intoMs: number; lengthMs: number} | undefined {
  let start = 0
  for (let i = 0; i < stages.length; i++) {
    const length = (stages[i] as Stage).durationMs
    if (elapsedMs < start + length || i === stages.length - 1)
      return {index: i, intoMs: Math.max(0, elapsedMs - start), lengthMs: length}
    start += length
  }
  return undefined
}

export function RunDashboard({view}: {view: RunView}) {
  const {snapshot, seconds} = view
  const width = Math.max(10, Math.min(50, view.columns - 32))
  const last = snapshot.lastSecond
  const c = snapshot.counters
  const planned = snapshot.plannedDurationMs
  const stage = stageProgress(view.stages, snapshot.elapsedMs)
  const statuses = Object.entries(snapshot.statusClasses)
  const maxRps = Math.max(1, ...seconds.map((s) => Math.max(s.achievedRps, s.targetRps ?? 0)))
  const maxLatency = Math.max(1, ...seconds.map((s) => s.maxMs).filter(Number.isFinite))
  return (
    <Box flexDirection="column">
      <Static items={view.finished}>
        {(line) => (
          <Text key={line.index} color="gray">
            {line.summary ? `✓ ${line.label}: ${line.summary}` : line.label}
          </Text>
        )}
      </Static>
      <Text bold>{view.title}</Text>
      <Text color="gray">latency: corrected, of the last second</Text>
      <Text>{`progress   ${bar(planned ? snapshot.elapsedMs / planned : 0, width)} ${formatDurationMs(snapshot.elapsedMs)}${planned ? ` / ${formatDurationMs(planned)}` : ''}`}</Text>
      {stage && view.stages.length > 1 ? (
        <Text>{`stage      ${stage.index + 1} of ${view.stages.length}: ${formatDurationMs(stage.intoMs)} done, ${formatDurationMs(Math.max(0, stage.lengthMs - stage.intoMs))} left`}</Text>
      ) : null}
      <Text>{`req/s      ${sparkline(
        seconds.map((s) => s.achievedRps),
        width,
        maxRps,
      )} ${(last?.requests ?? 0).toFixed(0)}/s${snapshot.targetRatePerSec === undefined ? '' : ` (target ${snapshot.targetRatePerSec.toFixed(0)}/s)`}`}</Text>
      {snapshot.targetRatePerSec === undefined ? null : (
        <Text color="gray">{`target     ${sparkline(
          seconds.map((s) => s.targetRps ?? Number.NaN),
          width,
          maxRps,
        )}`}</Text>
      )}
      <Text>{`p99        ${sparkline(
        seconds.map((s) => s.p99Ms),
        width,
        maxLatency,
      )} ${ms(last?.p99Ms)}`}</Text>
      <Text>{`latency    p50 ${ms(last?.p50Ms)}  p90 ${ms(last?.p90Ms)}  p99 ${ms(last?.p99Ms)}  max ${ms(last?.maxMs)}`}</Text>
      {snapshot.sessions ? (
        <Text>
          {`sessions   ${snapshot.inFlight} under way  ${count(snapshot.sessions.started)} started  ${count(snapshot.sessions.failed)} failed`}
        </Text>
      ) : null}
      <Text>
        {snapshot.sessions
          ? `messages   ${count(snapshot.sessions.messagesSent)} sent  ${count(snapshot.sessions.messagesReceived)} received  ${count(c.completed)} round trips`
          : `requests   ${count(c.completed)} done  ${snapshot.inFlight} in flight`}
        {snapshot.queued > 0 ? `  ${snapshot.queued} queued` : ''}
        {`  ${count(c.dropped)} dropped`}
      </Text>
      <Text>
        {`status     ${statuses.length > 0 ? statuses.map(([cls, n]) => `${cls} ${count(n)}`).join('  ') : 'no responses yet'}`}
        <Text
          color={c.transportErrors + c.httpErrors > 0 ? 'red' : undefined}
        >{`  errors ${count(c.httpErrors + c.transportErrors)}`}</Text>
      </Text>
      {snapshot.generator ? (
        <Text color={snapshot.generator.saturated ? 'red' : 'gray'}>
          {`generator  CPU ${snapshot.generator.cpuPct.toFixed(0)}%  loop lag p99 ${snapshot.generator.eventLoopLagP99Ms.toFixed(1)} ms${snapshot.generator.saturated ? '  SATURATED (try --workers)' : ''}`}
        </Text>
      ) : null}
      <Text color="gray">q or Ctrl-C: stop, keep the partial result; twice: cut off in-flight</Text>
    </Box>
  )
}

/** Turns a stream of snapshots into the view model's per-second history and finished stages. */
export function accumulate(
  previous: {seconds: SecondPoint[]; finished: StageLine[]},
  snapshot: EngineSnapshot,
  stages: readonly Stage[],
  describeStage: (index: number) => string,
) {
  let seconds = previous.seconds
  const last = snapshot.lastSecond
  if (last && seconds.at(-1)?.second !== last.second) {
    seconds = [
      ...seconds.slice(-299),
      {
        second: last.second,
        achievedRps: last.requests,
        targetRps: snapshot.targetRatePerSec,
        p50Ms: last.p50Ms,
        p90Ms: last.p90Ms,
        p99Ms: last.p99Ms,
        maxMs: last.maxMs,
      },
    ]
  }
  let finished = previous.finished
  let end = 0
  for (let i = 0; i < stages.length - 1; i++) {
    end += (stages[i] as Stage).durationMs
    if (snapshot.elapsedMs >= end && !finished.some((f) => f.index === i)) {
      const recent = seconds.filter((s) => s.second * 1000 < end).slice(-5)
      const p99 = Math.max(...recent.map((s) => s.p99Ms).filter(Number.isFinite))
      finished = [
        ...finished,
        {
          index: i,
          label: describeStage(i),
          summary: `${count(snapshot.counters.completed)} done, p99 ${ms(Number.isFinite(p99) ? p99 : undefined)} at the end`,
        },
      ]
    }
  }
  return {seconds, finished}
}

/** What the dashboard thread receives: a snapshot, and for capacity searches a title and step lines. */
export interface DashboardUpdate {
  snapshot: EngineSnapshot
  title?: string
  notes?: string[]
}

/** The dashboard app: redraws whenever a new snapshot arrives (see dashboard-worker.tsx). */
export function RunDashboardApp(props: {
  title: string
  stages: Stage[]
  columns: number
  subscribe: (listener: (update: DashboardUpdate) => void) => () => void
}) {
  const [state, setState] = useState<{
    snapshot: EngineSnapshot | undefined
    title: string
    seconds: SecondPoint[]
    finished: StageLine[]
  }>({snapshot: undefined, title: props.title, seconds: [], finished: []})
  useEffect(() => {
    const describeStage = (index: number) => {
      const stage = props.stages[index] as Stage
      return `stage ${index + 1} (${formatDurationMs(stage.durationMs)} to ${stage.targetRatePerSec}/s)`
    }
    return props.subscribe((update) =>
      setState((previous) => {
        const next = accumulate(previous, update.snapshot, props.stages, describeStage)
        // Step lines of a capacity search stay above the live view, like finished stages.
        const notes = (update.notes ?? []).slice(next.finished.filter((f) => f.index < 0).length)
        const finished = [
          ...next.finished,
          ...notes.map((note, i) => ({
            index: -1 - (next.finished.filter((f) => f.index < 0).length + i),
            label: note,
            summary: '',
          })),
        ]
        return {snapshot: update.snapshot, title: update.title ?? previous.title, seconds: next.seconds, finished}
      }),
    )
  }, [props])
  if (!state.snapshot) return <Text color="gray">starting…</Text>
  return (
    <RunDashboard
      view={{
        title: state.title,
        snapshot: state.snapshot,
        seconds: state.seconds,
        stages: props.stages,
        finished: state.finished,
        columns: props.columns,
      }}
    />
  )
}
