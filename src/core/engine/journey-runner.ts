/**
 * Journeys in the engine: a slot that picks a journey scenario becomes its virtual user and walks
 * the steps in order, judging checks, extracting values and cookies, and thinking between steps.
 * The engine sends each step's request; this file decides what the user does after each response.
 */
import type {RunOptions, JourneyStep} from './run-options.js'
import type {RequestFactory} from './request-factory.js'
import type {EngineRecorder} from './engine-recorder.js'
import type {RequestSlot} from './request-slot.js'
import {applyResponse, judgeChecks} from './journey.js'

/** What a journey drives: the engine's clock, its sending and whether users may go on. */
export interface JourneyHost {
  now(): number
  send(slot: RequestSlot, intendedMs: number): void
  /** The slot's user left: the slot takes its next request from the load model. */
  next(slot: RequestSlot): void
  /** Whether journeys go on: not once time is up or the user interrupts; a fixed amount's last journeys finish. */
  journeysContinue(): boolean
}

export class JourneyRunner {
  /** Journeys begun and not ended: a run of a fixed amount lets them finish. */
  active = 0

  constructor(
    private readonly scenarios: RunOptions['scenarios'],
    private readonly factory: RequestFactory,
    private readonly recorder: EngineRecorder,
    /** Think times. */
    private readonly random: () => number,
    private readonly host: JourneyHost,
  ) {}

  /** A new iteration picked a journey scenario: the slot becomes its virtual user. */
  begin(slot: RequestSlot): void {
    const scenario = this.scenarios[slot.scenario]
    const steps = scenario?.steps
    if (!steps) return
    const cookies = scenario?.cookies === false ? undefined : new Map<string, string>()
    slot.journey = {
      scenario: slot.scenario,
      steps,
      step: 0,
      seq: this.factory.seq,
      row: this.factory.row,
      vars: {},
      cookies,
    }
    this.active++
  }

  /** After a step's response: judge, extract and go on (after the think time), or leave. */
  afterResponse(slot: RequestSlot, measured: boolean): void {
    const journey = slot.journey
    if (!journey) return
    const host = this.host
    const step = journey.steps[journey.step] as JourneyStep
    const response = {
      status: slot.status,
      headers: slot.responseHeaders ?? undefined,
      body: slot.bodyChunks ? Buffer.concat(slot.bodyChunks).toString() : undefined,
    }
    slot.responseHeaders = null
    slot.bodyChunks = undefined
    slot.bodyBytes = 0
    let failed = false
    if (step.checks.length > 0) {
      const passed = judgeChecks(step.checks, response)
      failed = passed.includes(false)
      if (measured) this.recorder.checks(journey.scenario, journey.step, passed)
    }
    applyResponse(step.extracts, response, journey.vars, journey.cookies)
    journey.step++
    if (!host.journeysContinue() || journey.step >= journey.steps.length || (failed && step.abortOnFailure))
      return this.end(slot)
    const thinkMs = step.think ? step.think.minMs + this.random() * (step.think.maxMs - step.think.minMs) : 0
    if (thinkMs <= 0) return host.send(slot, host.now())
    slot.thinkTimer = setTimeout(() => {
      slot.thinkTimer = undefined
      if (host.journeysContinue()) host.send(slot, host.now())
      else this.end(slot)
    }, thinkMs)
  }

  private end(slot: RequestSlot): void {
    this.leave(slot)
    this.host.next(slot)
  }

  /** The slot's user leaves its journey (ended, failed in transport, or cut off). */
  leave(slot: RequestSlot): void {
    if (!slot.journey) return
    slot.journey = undefined
    slot.responseHeaders = null
    slot.bodyChunks = undefined
    slot.bodyBytes = 0
    this.active--
  }

  /** A user thinking between steps leaves at once (nothing is in flight for it). */
  cut(slot: RequestSlot): void {
    if (!slot.thinkTimer) return
    clearTimeout(slot.thinkTimer)
    slot.thinkTimer = undefined
    this.leave(slot)
  }
}
