/** The headroom view at 80 and 120 columns, and the trend chart it draws. */
import {stripVTControlCharacters} from 'node:util'
import {render} from 'ink-testing-library'
import {describe, expect, it} from 'vitest'
import {trendChart} from '../../src/contracts/format/trend-chart.js'
import {HeadroomView, type HeadroomViewModel} from '../../src/ui/headroom-view.js'

// CPU rising 2 pp a day from 20 % to 40 % over 11 days, target 60 %: 10 days to go.
const daily = Array.from({length: 11}, (_, day) => 20 + 2 * day)
const model = (columns: number): HeadroomViewModel => ({
  title: 'loadplan headroom  profile batch, 264 h of history',
  resources: [
    {name: 'cpu', p95: 38, max: 45, judged: 40, target: 60, scale: 40 / 60},
    {name: 'memory', p95: 50, max: 52, judged: 51, target: 80, scale: 51 / 80},
  ],
  binding: 'cpu',
  factor: 1.5,
  trends: [
    {
      resource: 'cpu',
      daily,
      slopePerDay: 2,
      levelAtLast: 40,
      target: 60,
      outlook: 'reaches its target in about 10 days',
      days: 10,
    },
  ],
  current: 'm7g.xlarge (4 vCPU, 16 GiB) $119.14/month',
  recommendation: {
    line: 'm7g.large (general, 2 vCPU, 8 GiB, arm64) $59.57/month; projected CPU 80.0%, memory 51.0%',
    risk: 2,
    saving: '; saves $59.57/month',
  },
  alternatives: [],
  columns,
})

function frame(columns: number): string {
  const {lastFrame, unmount} = render(<HeadroomView view={model(columns)} />)
  // Colours depend on the environment (picocolors turns them on under CI): compare the text.
  const out = stripVTControlCharacters(lastFrame() ?? '')
  unmount()
  return out
}

describe('trend chart', () => {
  it('draws the days, the trend carried forward and the target row, the trend meeting the target at the right', () => {
    const rows = trendChart({daily, slopePerDay: 2, levelAtLast: 40, target: 60, futureDays: 10}, 21, 7)
    const targetRow = rows.findIndex((row) => row.includes('─'))
    expect(targetRow).toBeGreaterThanOrEqual(0)
    // Day 20 (the last column) is where the trend reaches 60 %: on the target row.
    expect(rows[targetRow]?.at(-1)).toBe('·')
    expect(rows.join('').split('•').length - 1).toBeGreaterThanOrEqual(8)
  })
})

describe('headroom view', () => {
  for (const columns of [80, 120]) {
    it(`fits ${columns} columns with the factor, the trend chart and the recommendation's risk`, () => {
      const text = frame(columns)
      for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(columns)
      expect(text).toContain('headroom ×1.50 before cpu crosses its target')
      expect(text).toContain('cpu trend +2.00 pp/day: reaches its target in about 10 days')
      expect(text).toMatch(/│.*─/)
      // (The recommendation wraps at the terminal's width.)
      expect(text.replace(/\s+/g, ' ')).toMatch(/risk 2\/4 \(low\); saves \$59\.57\/month/)
    })
  }
})
