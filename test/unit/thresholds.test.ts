import {describe, expect, it} from 'vitest'
import {
  evaluateThresholds,
  parseThreshold,
  type Threshold,
  type ThresholdSubject,
} from '../../src/contracts/stats/thresholds.js'

function parsed(text: string): Threshold {
  const result = parseThreshold(text)
  if ('error' in result) throw new Error(result.error)
  return result
}

const subject: ThresholdSubject = {
  latencyAtPercentileMs: (p) => (({50: 12, 99: 312.5, 99.9: 800}) as Record<number, number>)[p] ?? Number.NaN,
  meanMs: 20,
  minMs: 1,
  maxMs: 1200,
  errorRatio: 0.023,
  droppedRatio: 0,
  statusClassRatio: (c) => (c === 2 ? 0.977 : c === 5 ? 0.023 : 0),
  requestsPerSec: 480,
  checkRatio: 0.995,
}

describe('parseThreshold', () => {
  it('reads latency thresholds in any unit, into ms', () => {
    expect(parsed('p99<250ms')).toMatchObject({
      name: 'p99',
      operator: '<',
      limit: 250,
      metric: {kind: 'latency', percentile: 99},
    })
    expect(parsed('p(99.9) <= 1s')).toMatchObject({name: 'p99.9', operator: '<=', limit: 1000})
    expect(parsed('median < 500us')).toMatchObject({name: 'p50', limit: 0.5})
    expect(parsed('avg<20')).toMatchObject({name: 'mean', limit: 20})
    expect(parsed('max < 2s')).toMatchObject({name: 'max', limit: 2000})
  })

  it('reads ratios as fractions and rates per second', () => {
    expect(parsed('errors<1%')).toMatchObject({name: 'errors', limit: 0.01})
    expect(parsed('error_rate < 0.05')).toMatchObject({name: 'errors', limit: 0.05})
    expect(parsed('5xx<0.1%')).toMatchObject({name: '5xx', limit: 0.001})
    expect(parsed('2xx>=99%')).toMatchObject({name: '2xx', operator: '>=', limit: 0.99})
    expect(parsed('rps>500')).toMatchObject({name: 'rps', operator: '>', limit: 500})
    expect(parsed('requests/s >= 100/s')).toMatchObject({name: 'rps', limit: 100})
  })

  it('says what is wrong with a bad threshold', () => {
    expect(parseThreshold('p99 250ms')).toEqual({error: expect.stringContaining('metric op limit')})
    expect(parseThreshold('p99<250kg')).toEqual({error: expect.stringContaining('unknown latency unit')})
    expect(parseThreshold('latency<250ms')).toEqual({error: expect.stringContaining('unknown metric')})
    expect(parseThreshold('errors<150%')).toEqual({error: expect.stringContaining('cannot exceed 100%')})
    expect(parseThreshold('p0<1ms')).toEqual({error: expect.stringContaining('percentile must be')})
  })
})

describe('evaluateThresholds', () => {
  it('passes and fails with the measured value and limit', () => {
    const outcomes = evaluateThresholds(
      [parsed('p99<250ms'), parsed('errors<5%'), parsed('rps>=480'), parsed('5xx<1%'), parsed('mean<=20')],
      subject,
    )
    expect(outcomes.map((o) => [o.name, o.value, o.passed])).toEqual([
      ['p99', 312.5, false],
      ['errors', 0.023, true],
      ['rps', 480, true],
      ['5xx', 0.023, false],
      ['mean', 20, true],
    ])
  })

  it('fails a threshold that could not be measured', () => {
    const [outcome] = evaluateThresholds([parsed('p75<1s')], subject)
    expect(outcome).toMatchObject({passed: false})
    expect(outcome?.value).toBeNaN()
  })
})

describe('thresholds on WebSocket and gRPC sessions (issue 34)', () => {
  const sessions: NonNullable<ThresholdSubject['sessions']> = {
    latency: (of) => ({
      latencyAtPercentileMs: (p) => (of === 'connect' ? p / 10 : p * 100),
      meanMs: of === 'connect' ? 3 : 900,
      minMs: 1,
      maxMs: of === 'connect' ? 40 : 12_000,
    }),
    failedRatio: 0.02,
    sentPerSec: 1000,
    receivedPerSec: 990,
  }

  it('reads connect_ and session_ latencies, session errors and message rates', () => {
    expect(parsed('connect_p99<100ms')).toMatchObject({
      name: 'connect_p99',
      limit: 100,
      metric: {kind: 'latency', stat: 'percentile', percentile: 99, of: 'connect'},
    })
    expect(parsed('session_max <= 30s')).toMatchObject({name: 'session_max', limit: 30_000, metric: {of: 'session'}})
    expect(parsed('session_errors<1%')).toMatchObject({name: 'session_errors', limit: 0.01})
    expect(parsed('sessions_failed<1%')).toMatchObject({name: 'session_errors'})
    expect(parsed('received/s>=500')).toMatchObject({name: 'received/s', metric: {kind: 'rate', stat: 'received'}})
    expect(parsed('messages_sent/s>1')).toMatchObject({name: 'sent/s'})
    expect(parseThreshold('connect_errors<1%')).toEqual({
      error: expect.stringContaining('expected connect_ and a latency'),
    })
    expect(parseThreshold('connect_p99{scenario:a}<1s')).toEqual({error: expect.stringContaining('not per scenario')})
    expect(parseThreshold('sent/s>1ms')).toEqual({error: expect.stringContaining('takes no unit')})
  })

  it('judges them on the sessions, and fails them unmeasured on an HTTP run', () => {
    const expressions = [
      'connect_p99<10ms',
      'session_p50<=5s',
      'session_errors<1%',
      'sent/s>=1000',
      'received/s>=1000',
      'p99<1s',
    ]
    const outcomes = evaluateThresholds(expressions.map(parsed), {...subject, sessions})
    expect(outcomes.map((o) => [o.name, o.value, o.passed])).toEqual([
      ['connect_p99', 9.9, true],
      ['session_p50', 5000, true],
      ['session_errors', 0.02, false],
      ['sent/s', 1000, true],
      ['received/s', 990, false],
      ['p99', 312.5, true],
    ])
    expect(evaluateThresholds([parsed('connect_p99<10ms')], subject)[0]?.value).toBeNaN()
  })
})
