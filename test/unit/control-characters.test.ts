/**
 * Control characters × every place a name is shown (issue 35): an ESC in a scenario name or a HAR
 * page title reached the terminal raw and made JUnit XML malformed. Names in service files refuse
 * them; imported titles drop them; a saved result that holds one anyway (edited by hand) renders
 * inert in the terminal and Markdown, and as well-formed XML. The property tries every control
 * character, not just ESC.
 */
import fc from 'fast-check'
import {XMLParser, XMLValidator} from 'fast-xml-parser'
import {describe, expect, it} from 'vitest'
import {parseServiceFile} from '../../src/config/service-file.js'
import {InputError} from '../../src/contracts/errors.js'
import type {RunResult} from '../../src/contracts/results/run-result.js'
import {importHar} from '../../src/core/importers/har-import.js'
import {runResultToJunit} from '../../src/report/junit.js'
import {runResultToMarkdown} from '../../src/report/markdown.js'
import {renderSummary} from '../../src/report/summary-table.js'
import {fuzzRuns} from '../fuzz/fuzz-settings.js'
import {runResultFixture} from '../helpers/fixtures.js'

/** Every C0 and C1 control character and DEL: 65, few enough to try each. */
const CONTROLS = [...Array.from({length: 0x20}, (_, i) => i), ...Array.from({length: 0x21}, (_, i) => 0x7f + i)].map(
  (code) => String.fromCharCode(code),
)
const controlArb = fc.constantFrom(...CONTROLS)

/** A result whose scenario, step and check names hold `bad` (as a hand-edited file could). */
function resultNamed(bad: string): RunResult {
  const result = structuredClone(runResultFixture())
  const step = {
    name: `step${bad}`,
    completed: 1,
    errors: 0,
    latency: result.latency.corrected,
    checks: [{name: `check${bad}`, passed: 1, failed: 1}],
  }
  result.scenarios = [
    {
      name: `scenario${bad}`,
      weight: 1,
      share: 1,
      completed: 1,
      errors: 0,
      latency: result.latency.corrected,
      steps: [step],
    },
  ] as unknown as RunResult['scenarios']
  return result
}

describe('control characters in names', () => {
  it('a service file refuses them in scenario, step and service names, naming the field', () => {
    fc.assert(
      fc.property(controlArb, (c) => {
        const text = `service: "shop${escapeYaml(c)}"\ntarget: http://127.0.0.1:1\nscenarios:\n  - name: "a${escapeYaml(c)}"\n    steps:\n      - name: "s${escapeYaml(c)}"\n        request: {path: /}\n`
        let fields: string[] = []
        try {
          parseServiceFile(text, 'service.yaml')
        } catch (error) {
          if (!(error instanceof InputError)) throw error
          fields = error.problems.map((p) => p.field)
        }
        expect(fields).toEqual(expect.arrayContaining(['service', 'scenarios[0].name', 'scenarios[0].steps[0].name']))
      }),
      {numRuns: fuzzRuns(CONTROLS.length * 3)},
    )
  })

  it('an imported HAR page title loses them', () => {
    const imported = importHar({
      log: {
        pages: [{id: 'p', title: 'Login \u001b[31mRED\u0007'}],
        entries: [
          {
            pageref: 'p',
            startedDateTime: '2026-12-01T10:00:00.000Z',
            time: 1,
            request: {method: 'GET', url: 'https://a.test/', headers: []},
            response: {status: 200},
          },
        ],
      },
    })
    expect((imported.service.scenarios as Array<{name: string}>)[0]?.name).toBe('Login [31mRED')
  })

  it('a saved result holding them renders inert in the terminal and Markdown, and as well-formed JUnit', () => {
    fc.assert(
      fc.property(controlArb, (c) => {
        // Each output holds the character exactly as often as it does for a clean name: the
        // layout's own newlines, never the name's.
        const clean = resultNamed('')
        const result = resultNamed(c)
        const times = (text: string) => text.split(c).length - 1
        expect(times(renderSummary(result, {color: false}))).toBe(times(renderSummary(clean, {color: false})))
        expect(times(runResultToMarkdown(result))).toBe(times(runResultToMarkdown(clean)))
        const xml = runResultToJunit(result)
        expect(XMLValidator.validate(xml)).toBe(true)
        expect(times(xml)).toBe(times(runResultToJunit(clean)))
        const parsed = new XMLParser({ignoreAttributes: false}).parse(xml) as object
        expect(JSON.stringify(parsed)).toContain('check')
      }),
      {numRuns: fuzzRuns(CONTROLS.length * 3)},
    )
  })
})

/** The YAML double-quoted escape of one character. */
function escapeYaml(c: string): string {
  return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`
}
