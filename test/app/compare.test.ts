/** `loadplan compare BASE NEW`: the verdict of `run --compare` on two saved results. */
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {stringifyResult} from '../../src/contracts/results/run-result.js'
import {runResultFixture} from '../helpers/fixtures.js'
import {runInProcess} from '../helpers/in-process.js'

const dir = mkdtempSync(join(tmpdir(), 'loadplan-compare-'))
const save = (name: string, scale: number) => {
  const path = join(dir, name)
  writeFileSync(path, stringifyResult(runResultFixture([], scale)))
  return path
}
// 100 responses at 1..100 ms, and the same 1.5 times slower: p99 99 → 148.5 ms (+50 %).
const base = save('base.json', 1)
const slower = save('slower.json', 1.5)

describe('loadplan compare', () => {
  it('exits 3 and names the regression when p99 is worse by more than --regression', async () => {
    const {code, stdout, stderr} = await runInProcess(['compare', base, slower, '--markdown', join(dir, 'c.md')])
    expect(code).toBe(3)
    expect(stdout).toMatch(/^p99\s+99\.0 ms\s+149 ms\s+\+50\.\d%\s+REGRESSION/m)
    expect(stderr).toMatch(/regression: p99 worse than the baseline by more than 10%/)
    expect(readFileSync(join(dir, 'c.md'), 'utf8')).toMatch(/\| p99 \|/)
  })

  it('says when the two runs ran different load models or loads, and stays quiet when they match', async () => {
    // Given the same measurements, once from an open-model run and once from 8 connections
    const open = runResultFixture([], 1)
    open.options = {...open.options, model: 'open'}
    const eight = runResultFixture([], 1)
    eight.options = {...eight.options, connections: 8}
    writeFileSync(join(dir, 'open.json'), stringifyResult(open))
    writeFileSync(join(dir, 'eight.json'), stringifyResult(eight))
    // Then each comparison with the 4-connection baseline says why it says little
    const models = await runInProcess(['compare', base, join(dir, 'open.json')])
    expect(models.stderr).toContain('the baseline ran the closed model and this run the open model')
    const loads = await runInProcess(['compare', base, join(dir, 'eight.json')])
    expect(loads.stderr).toContain('the baseline ran 4 connections and this run 8 connections')
    expect((await runInProcess(['compare', base, slower])).stderr).not.toContain('warning:')
  })

  it('exits 0 when the allowance covers it, and the other way round is an improvement', async () => {
    expect((await runInProcess(['compare', base, slower, '--regression', '60%'])).code).toBe(0)
    const {code, stdout} = await runInProcess(['compare', slower, base, '--json'])
    expect(code).toBe(0)
    const json = JSON.parse(stdout) as {comparison: {regressed: boolean; rows: Array<{metric: string; change: number}>}}
    expect(json.comparison.regressed).toBe(false)
    expect(json.comparison.rows.find((r) => r.metric === 'p99')?.change).toBeCloseTo(-1 / 3, 2)
  })

  it('reports every bad input at once, exit 2', async () => {
    const {code, stderr} = await runInProcess(['compare', join(dir, 'missing.json'), base, '--regression', 'lots'])
    expect(code).toBe(2)
    expect(stderr).toMatch(/BASE/)
    expect(stderr).toMatch(/--regression/)
  })

  it('refuses a saved result whose optional counts are not numbers (merge printed "0[object Object]")', async () => {
    // Found by the fuzz test of merge (seed 702428530): connectionsOpened was read unchecked.
    const edited = JSON.parse(stringifyResult(runResultFixture([], 1))) as {totals: Record<string, unknown>}
    edited.totals.connectionsOpened = {}
    writeFileSync(join(dir, 'edited.json'), JSON.stringify(edited))
    const {code, stderr} = await runInProcess(['compare', base, join(dir, 'edited.json')])
    expect(code).toBe(2)
    expect(stderr).toContain('connectionsOpened')
  })
})
