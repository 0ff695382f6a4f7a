/**
 * What a WebSocket or gRPC run records of its sessions beside the round trips (engine-recorder.ts):
 * connect times, session durations, how sessions ended and the messages each way, encoded into a
 * SessionSample once at the end.
 */
import {createLatencyHistogram, encodeHistogram, recordLatencyMs} from '../../contracts/stats/histogram.js'
import type {SessionSample} from './engine-result.js'
import type {SessionCounters} from '../../contracts/results/engine-snapshot.js'

/** Distinct close codes or statuses kept; the rest are counted as `other` (a server could send any number). */
const MAX_CLOSE_CODES = 24

export class SessionRecorder {
  started = 0
  messagesSent = 0
  messagesReceived = 0
  completed = 0
  failed = 0
  private readonly connect = createLatencyHistogram()
  private readonly duration = createLatencyHistogram()
  private readonly closeCodes = new Map<string, number>()

  constructor(readonly kind: SessionSample['kind']) {}

  /** The counts so far, for live views. */
  counters(): SessionCounters {
    const {kind, started, completed, failed, messagesSent, messagesReceived} = this
    return {kind, started, completed, failed, messagesSent, messagesReceived}
  }

  connected(connectMs: number): void {
    recordLatencyMs(this.connect, connectMs)
  }

  ended(durationMs: number, code: string, ok: boolean): void {
    recordLatencyMs(this.duration, durationMs)
    if (ok) this.completed++
    else this.failed++
    const key = this.closeCodes.has(code) || this.closeCodes.size < MAX_CLOSE_CODES - 1 ? code : 'other'
    this.closeCodes.set(key, (this.closeCodes.get(key) ?? 0) + 1)
  }

  sample(): SessionSample {
    return {
      kind: this.kind,
      started: this.started,
      completed: this.completed,
      failed: this.failed,
      messagesSent: this.messagesSent,
      messagesReceived: this.messagesReceived,
      connect: encodeHistogram(this.connect),
      duration: encodeHistogram(this.duration),
      closeCodes: Object.fromEntries(this.closeCodes),
    }
  }
}
