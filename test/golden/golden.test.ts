/**
 * Golden outputs: what users see from the example plans, the demo's plan, the forecast, reports,
 * the catalog, headroom and monitor export, byte for byte. Taken before the application layer was
 * restructured (issue 13), which changed none of them. Regenerate only on a deliberate output
 * change, and say so in the commit (the honest forecast bands of issue 20 were one):
 * `UPDATE_GOLDEN=1 npx vitest run test/golden`.
 */
import {existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {GOLDEN_CASES, type GoldenOutcome} from './golden-cases.js'

const DIR = join(import.meta.dirname, 'outputs')

const ROOT = join(import.meta.dirname, '..', '..')

/** The outcome as text, with the checkout's and the scratch folder's paths replaced, so that it is the same in any clone. */
function serialise(outcome: GoldenOutcome, work: string): string {
  const files = Object.entries(outcome.files ?? {}).map(([name, text]) => `--- file ${name}\n${text}`)
  return [`exit ${outcome.code}`, `--- stdout\n${outcome.stdout}`, `--- stderr\n${outcome.stderr}`, ...files]
    .join('\n')
    .replaceAll(work, '<tmp>')
    .replaceAll(ROOT, '<repo>')
}

describe('golden outputs', () => {
  for (const [name, run] of Object.entries(GOLDEN_CASES)) {
    it(name, async () => {
      const work = mkdtempSync(join(tmpdir(), 'loadplan-golden-'))
      const text = serialise(await run(work), work)
      const path = join(DIR, `${name}.txt`)
      if (process.env.UPDATE_GOLDEN || !existsSync(path)) {
        mkdirSync(DIR, {recursive: true})
        writeFileSync(path, text)
      }
      expect(text).toBe(readFileSync(path, 'utf8'))
    })
  }
})
