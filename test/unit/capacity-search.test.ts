import {describe, expect, it} from 'vitest'
import {
  nextSearchStep,
  type SearchDecision,
  type SearchSettings,
  type StepVerdict,
} from '../../src/core/capacity/capacity-search.js'
import {parseSlo} from '../../src/core/capacity/slo.js'
import {InputError} from '../../src/contracts/errors.js'

const settings: SearchSettings = {
  startRatePerSec: 50,
  growthFactor: 2,
  maxRatePerSec: 10_000,
  precision: 0.05,
  confirm: true,
  minRatePerSec: 1,
}

/** Drives the policy against a target that passes every rate up to `capacity`. */
function simulate(
  capacity: number,
  overrides: Partial<SearchSettings> = {},
  flaky?: (step: number) => boolean,
): {steps: StepVerdict[]; done: SearchDecision} {
  const steps: StepVerdict[] = []
  for (let i = 0; i < 100; i++) {
    const decision = nextSearchStep({...settings, ...overrides}, steps)
    if (decision.action === 'done') return {steps, done: decision}
    steps.push({
      phase: decision.phase,
      ratePerSec: decision.ratePerSec,
      passed: decision.ratePerSec <= capacity && !(flaky?.(i) ?? false),
    })
  }
  throw new Error('the search did not end')
}

describe('capacity search policy', () => {
  it('bisects below what a saturated step served, not below the rate it was offered', () => {
    // 640/s offered, 400/s served: the bracket's top is 400 × 1.05 = 420, so the next step is
    // (320 + 420) / 2 = 370 instead of (320 + 640) / 2 = 480. The breaking rate reported stays 640.
    const ramp: StepVerdict[] = [50, 100, 200, 320].map((r) => ({phase: 'ramp', ratePerSec: r, passed: true}))
    const steps: StepVerdict[] = [...ramp, {phase: 'ramp', ratePerSec: 640, passed: false, saturatedAtRatePerSec: 400}]
    expect(nextSearchStep(settings, steps)).toEqual({action: 'step', phase: 'bisect', ratePerSec: 370})
    // 370 passes: (370 + 420)/2 = 395 passes: (395 + 420)/2 = 407.5 → 408 passes, and
    // (420 − 408)/408 = 2.9 % ≤ 5 %: 408 is confirmed and reported.
    const more: StepVerdict[] = [370, 395].map((r) => ({phase: 'bisect', ratePerSec: r, passed: true}))
    expect(nextSearchStep(settings, [...steps, ...more])).toEqual({action: 'step', phase: 'bisect', ratePerSec: 408})
    const converged: StepVerdict[] = [
      ...steps,
      ...more,
      {phase: 'bisect', ratePerSec: 408, passed: true},
      {phase: 'confirm', ratePerSec: 408, passed: true},
    ]
    expect(nextSearchStep(settings, converged)).toEqual({
      action: 'done',
      sustainableRatePerSec: 408,
      breakingRatePerSec: 640,
      reason: 'converged',
    })
    // A first step that is already saturated steps down to just below what it served: min(100/2, 42 × 0.95 → 40) = 40.
    expect(
      nextSearchStep(settings, [{phase: 'ramp', ratePerSec: 100, passed: false, saturatedAtRatePerSec: 40}]),
    ).toEqual({action: 'step', phase: 'ramp', ratePerSec: 40})
  })

  it('ramps geometrically, bisects, then confirms', () => {
    const {steps, done} = simulate(390)
    // By hand: 50, 100, 200, 400 (fails); bisect 300, 350, 375 ((400 − 375)/375 = 6.7 % > 5 %), 388
    // (all pass); (400 − 388)/388 = 3.1 % ≤ 5 %, so 388 is repeated to confirm.
    expect(steps.map((s) => `${s.phase}:${s.ratePerSec}:${s.passed ? 'ok' : 'x'}`)).toEqual([
      'ramp:50:ok',
      'ramp:100:ok',
      'ramp:200:ok',
      'ramp:400:x',
      'bisect:300:ok',
      'bisect:350:ok',
      'bisect:375:ok',
      'bisect:388:ok',
      'confirm:388:ok',
    ])
    expect(done).toEqual({action: 'done', sustainableRatePerSec: 388, breakingRatePerSec: 400, reason: 'converged'})
  })

  it('treats a rate that fails its confirmation as bad and keeps looking below it', () => {
    // The confirmation (step 8) of 388 fails: 388 becomes the breaking rate, and 375, within 5 %
    // of it, is confirmed instead.
    const {steps, done} = simulate(390, {}, (i) => i === 8)
    expect(steps.slice(8).map((s) => `${s.phase}:${s.ratePerSec}:${s.passed ? 'ok' : 'x'}`)).toEqual([
      'confirm:388:x',
      'confirm:375:ok',
    ])
    expect(done).toMatchObject({sustainableRatePerSec: 375, breakingRatePerSec: 388})
  })

  it('stops at the maximum rate when the target sustains it', () => {
    const {steps, done} = simulate(1e9, {maxRatePerSec: 300})
    expect(steps.map((s) => s.ratePerSec)).toEqual([50, 100, 200, 300])
    expect(done).toEqual({
      action: 'done',
      sustainableRatePerSec: 300,
      breakingRatePerSec: undefined,
      reason: 'max-rate',
    })
  })

  it('ramps down when even the start rate fails, and gives up below the minimum', () => {
    expect(simulate(20).done).toMatchObject({
      sustainableRatePerSec: expect.any(Number),
      breakingRatePerSec: expect.any(Number),
    })
    expect(
      simulate(20)
        .steps.slice(0, 3)
        .map((s) => s.ratePerSec),
    ).toEqual([50, 25, 13])
    expect(simulate(0).done).toEqual({
      action: 'done',
      sustainableRatePerSec: undefined,
      breakingRatePerSec: 1.63,
      reason: 'nothing-sustainable',
    })
  })

  it('always finds the capacity within the precision', () => {
    for (const capacity of [7, 95, 401, 1234, 7777]) {
      const {done} = simulate(capacity)
      if (done.action !== 'done') throw new Error('not done')
      const good = done.sustainableRatePerSec as number
      expect(good).toBeLessThanOrEqual(capacity)
      expect((capacity - good) / capacity).toBeLessThan(0.06)
    }
  })
})

describe('parseSlo', () => {
  it('reads the flag, the file map and the file list', () => {
    expect(parseSlo('p99<100ms, errors<1%', undefined).map((t) => [t.name, t.limit])).toEqual([
      ['p99', 100],
      ['errors', 0.01],
    ])
    expect(
      parseSlo(undefined, {latencyP99Ms: 250, latencyP99_9Ms: 800, errorRatio: 0.01}).map((t) => [
        t.name,
        t.operator,
        t.limit,
      ]),
    ).toEqual([
      ['p99', '<=', 250],
      ['p99.9', '<=', 800],
      ['errors', '<=', 0.01],
    ])
    expect(parseSlo(undefined, ['p95 < 50ms']).map((t) => t.name)).toEqual(['p95'])
    expect(parseSlo(undefined, undefined).map((t) => t.expression)).toEqual(['p99<250ms', 'errors<1%'])
  })

  it('reports every bad part', () => {
    try {
      parseSlo(undefined, {latencyP99: 250, errorRatio: 'low'})
      throw new Error('expected an error')
    } catch (error) {
      expect(error).toBeInstanceOf(InputError)
      expect((error as InputError).problems.map((p) => p.field)).toEqual(['slo.latencyP99', 'slo.errorRatio'])
    }
    expect(() => parseSlo('rps>100', undefined)).toThrow(/the request rate is what the search finds/)
  })
})
