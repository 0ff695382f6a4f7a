import {describe, expect, it} from 'vitest'
import {fitTable, type TableColumn} from '../../src/contracts/format/fit-table.js'

const columns: TableColumn[] = [
  {header: 'type', priority: 9},
  {header: 'vCPU', align: 'right', priority: 1},
  {header: 'price', unit: '$', align: 'right', priority: 5},
]
const rows = [
  ['m7g.large', '2', '0.0816'],
  ['c7g.4xlarge', '16', '0.58'],
]

describe('fitTable', () => {
  it('says each unit once in the header and aligns the figures under it', () => {
    const t = fitTable(columns, rows, 80)
    expect(t.header).toBe('type         vCPU  price $')
    expect(t.rows).toEqual(['m7g.large       2   0.0816', 'c7g.4xlarge    16     0.58'])
    expect(t.dropped).toEqual([])
  })

  it('drops the least important column first when narrow, and names it', () => {
    const t = fitTable(columns, rows, 22)
    expect(t.dropped).toEqual(['vCPU'])
    expect(t.header).toBe('type         price $')
    for (const line of [t.header, ...t.rows]) expect(line.length).toBeLessThanOrEqual(22)
    expect(fitTable(columns, rows, 5).dropped).toEqual(['vCPU', 'price $'])
  })

  it('measures cells without their colour codes', () => {
    const t = fitTable(columns, [['\u001B[31mm7g.large\u001B[39m', '2', '0.0816']], 80)
    expect(t.rows[0]).toBe('\u001B[31mm7g.large\u001B[39m  vCPU'.replace('vCPU', '   2   0.0816'))
  })
})
