import {describe, expect, it} from 'vitest'
import {wrapText} from '../../src/contracts/format/wrap-text.js'

describe('wrapText', () => {
  it('leaves a line that fits alone', () => {
    expect(wrapText('  - short', 40)).toBe('  - short')
  })

  it('breaks at spaces with continuations under the text', () => {
    expect(wrapText('  - a b c d', 7, 4)).toBe('  - a b\n    c d')
    const warning =
      'warning: aws ebs-gp3 storage prices are from 2024-07-01 (infracost-ebs_volume_test), 887 days ago: check current prices'
    const wrapped = wrapText(warning, 60, 9).split('\n')
    expect(wrapped.every((line) => line.length <= 60)).toBe(true)
    expect(wrapped.slice(1).every((line) => line.startsWith('         ') && line[9] !== ' ')).toBe(true)
    expect(wrapped.join(' ').replace(/ +/g, ' ')).toBe(warning)
  })

  it('cuts a word longer than the line rather than overflow', () => {
    const wrapped = wrapText(`see ${'x'.repeat(50)}`, 20)
    expect(Math.max(...wrapped.split('\n').map((line) => line.length))).toBeLessThanOrEqual(20)
  })
})
