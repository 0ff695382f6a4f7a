import {describe, expect, it} from 'vitest'
import {parseDurationMs, parseMonthlyRate, parseRatePerSec, parseRatio} from '../../src/contracts/parse/parse-units.js'
import {formatBytes, formatCount, formatDurationMs} from '../../src/contracts/format/units.js'

describe('parseDurationMs', () => {
  it('reads compound durations and bare seconds', () => {
    expect(parseDurationMs('30s')).toBe(30_000)
    expect(parseDurationMs('1m30s')).toBe(90_000)
    expect(parseDurationMs('250ms')).toBe(250)
    expect(parseDurationMs('1.5h')).toBe(5_400_000)
    expect(parseDurationMs('500us')).toBe(0.5)
    expect(parseDurationMs('10')).toBe(10_000)
    expect(parseDurationMs(2)).toBe(2000)
  })

  it('rejects what is not a duration', () => {
    for (const text of ['', 'abc', '30x', '1m 30s', 's30', '-5s']) expect(parseDurationMs(text)).toBeUndefined()
  })
})

describe('parseRatePerSec', () => {
  it('reads rates in any time unit', () => {
    expect(parseRatePerSec('500/s')).toBe(500)
    expect(parseRatePerSec('500')).toBe(500)
    expect(parseRatePerSec('120/m')).toBe(2)
    expect(parseRatePerSec('7200/h')).toBe(2)
    expect(parseRatePerSec(' 2.5 / s ')).toBe(2.5)
  })

  it('rejects what is not a rate', () => {
    for (const text of ['fast', '500/d', '/s', '-1']) expect(parseRatePerSec(text)).toBeUndefined()
  })
})

describe('parseRatio', () => {
  it('reads percentages and fractions', () => {
    expect(parseRatio('1%')).toBe(0.01)
    expect(parseRatio('0.25')).toBe(0.25)
    expect(parseRatio('x')).toBeUndefined()
  })
})

describe('formatting', () => {
  it('formats durations at every magnitude', () => {
    expect(formatDurationMs(0.85)).toBe('850 µs')
    expect(formatDurationMs(2.345)).toBe('2.35 ms')
    expect(formatDurationMs(12.34)).toBe('12.3 ms')
    expect(formatDurationMs(420)).toBe('420 ms')
    expect(formatDurationMs(4200)).toBe('4.20 s')
    expect(formatDurationMs(125_000)).toBe('2m05s')
    expect(formatDurationMs(3_723_000)).toBe('1h02m')
  })

  it('formats bytes with SI units', () => {
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(12_345)).toBe('12.3 kB')
    expect(formatBytes(4_560_000)).toBe('4.56 MB')
  })
})

describe('parseMonthlyRate', () => {
  it('reads monthly growth with or without its unit', () => {
    expect(parseMonthlyRate('8%/mo')).toBe(0.08)
    expect(parseMonthlyRate('8% / month')).toBe(0.08)
    expect(parseMonthlyRate('5%')).toBe(0.05)
    expect(parseMonthlyRate('fast')).toBeUndefined()
  })
})

describe('formatCount', () => {
  it('groups thousands as toLocaleString("en-US") does, without loading Intl', () => {
    for (const n of [0, 7, 999, 1000, 12345, 1234567, -1234567, 1234.5, 1234.56789, 0.5, 999999.9999, 2 ** 53])
      expect(formatCount(n), String(n)).toBe(n.toLocaleString('en-US'))
    expect(formatCount(Number.NaN)).toBe('NaN')
  })
})
