/**
 * A long recording imports in linear time (issue 35: a 30 MB HAR took 102 s at full CPU, the time
 * growing with the square of its length, because each field was checked against every value of
 * every earlier response). 15,000 requests in one journey, each response holding 12 values: the
 * quadratic import needed over two minutes here; the bound leaves a busy machine ample room.
 */
import {describe, expect, it} from 'vitest'
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
