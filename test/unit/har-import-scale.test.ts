/**
 * A long recording imports in linear time (issue 35: a 30 MB HAR took 102 s at full CPU, the time
 * growing with the square of its length, because each field was checked against every value of
 * every earlier response). 15,000 requests in one journey, each response holding 12 values: the
 * quadratic import needed over two minutes here; the bound leaves a busy machine ample room.
 */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {importHarFile} from '../../src/app/import-har.js'
import {varsBeforeSteps} from '../../src/core/engine/template.js'
import {importHar, type HarEntry} from '../../src/core/importers/har-import.js'

const ENTRIES = 15_000

function recording(): HarEntry[] {
  return Array.from({length: ENTRIES}, (_, i) => ({
    startedDateTime: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    time: 20,
    request: {
      method: 'GET',
      // Each request uses the id the response before it returned: a chain to correlate.
      url: `https://app.test/api/item/${i === 0 ? 'first' : `id-${i - 1}-zzzzzzzz`}?page=${i % 7}`,
      headers: [{name: 'Accept', value: 'application/json'}],
    },
    response: {
      status: 200,
      content: {
        mimeType: 'application/json',
        text: JSON.stringify({
          id: `id-${i}-zzzzzzzz`,
          items: Array.from({length: 10}, (_, k) => ({name: `name-${i}-${k}-yyyyyy`})),
        }),
      },
    },
  }))
}

describe('import har at scale', () => {
  it(`${ENTRIES.toLocaleString('en-US')} requests in one journey: linear, and every link of the chain correlated`, () => {
    const entries = recording()
    const startedMs = performance.now()
    const imported = importHar({log: {entries}}, {oneJourney: true})
    const elapsedMs = performance.now() - startedMs
    const steps = (imported.service.scenarios as Array<{steps: Array<{request: {path: string}; extract?: object}>}>)[0]
      ?.steps
    expect(steps).toHaveLength(ENTRIES)
    expect(steps?.[1]?.request.path).toBe('/api/item/{{vars.v1}}')
    expect(steps?.[ENTRIES - 1]?.request.path).toBe(`/api/item/{{vars.v${ENTRIES - 1}}}`)
    expect(steps?.filter((s) => s.extract !== undefined)).toHaveLength(ENTRIES - 1)
    expect(elapsedMs).toBeLessThan(30_000)
  })
})

describe('variables in scope along a long journey', () => {
  it('each step sees exactly what the steps before it extract', () => {
    const scopes = varsBeforeSteps([
      {extracts: [{name: 'a'}]},
      {extracts: []},
      {extracts: [{name: 'b'}, {name: 'a'}]},
      {extracts: []},
    ])
    expect(scopes.map((s) => s.names())).toEqual([[], ['a'], ['a'], ['a', 'b']])
    expect([scopes[0]?.has('a'), scopes[1]?.has('a'), scopes[2]?.has('b'), scopes[3]?.has('b')]).toEqual([
      false,
      true,
      false,
      true,
    ])
  })

  it('stays linear: 200,000 steps that each extract a new variable', () => {
    // A list per step (what each template was checked against) held 2e10 names here: out of memory.
    const steps = Array.from({length: 200_000}, (_, i) => ({extracts: [{name: `v${i}`}]}))
    const startedMs = performance.now()
    const scopes = varsBeforeSteps(steps)
    expect(scopes[199_999]?.has('v199998')).toBe(true)
    expect(scopes[199_999]?.has('v199999')).toBe(false)
    expect(performance.now() - startedMs).toBeLessThan(10_000)
  })
})

describe('import har: progress', () => {
  it('reports each stage of an import in order, and nothing with no listener', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'loadplan-har-progress-'))
    try {
      const file = join(folder, 'small.har')
      writeFileSync(file, JSON.stringify({log: {entries: recording().slice(0, 3)}}))
      const lines: string[] = []
      // An interval of 0 shows every line a long import would show once a second.
      await importHarFile({file, oneJourney: true, onProgress: (line) => lines.push(line), progressIntervalMs: 0})
      expect(lines.map((line) => line.replace(/ · \d+ s$/, ''))).toEqual([
        'import har: read 3 recorded requests',
        'import har: 1 of 3 requests turned into steps',
        'import har: 2 of 3 requests turned into steps',
        'import har: 3 of 3 requests turned into steps',
        'import har: writing the service file',
        'import har: checking that the service file runs as written',
      ])
      const quiet = await importHarFile({file, oneJourney: true})
      expect(quiet.document.yaml).toContain('{{vars.v1}}')
    } finally {
      rmSync(folder, {recursive: true, force: true})
    }
  })
})
