import {describe, expect, it} from 'vitest'
import fc from 'fast-check'
import {encodePath} from '../../src/core/engine/request-factory.js'
import {fuzzRuns} from '../fuzz/fuzz-settings.js'
import {createRandom} from '../../src/contracts/stats/random.js'
import {compileTemplate, type CompiledTemplate, type TemplateContext} from '../../src/core/engine/template.js'

function compiled(text: string, dataColumns?: string[], escape?: (v: string) => string): CompiledTemplate {
  const result = compileTemplate(text, {dataColumns, escape})
  if ('errors' in result) throw new Error(result.errors.join('; '))
  return result
}

const context = (seq: number, row?: Record<string, string>): TemplateContext => ({seq, random: createRandom(7), row})

describe('templates', () => {
  it('keeps a string without placeholders static', () => {
    const template = compiled('/products?page=1')
    expect(template.isStatic).toBe(true)
    expect(template.render(context(0))).toBe('/products?page=1')
  })

  it('renders seq, uuid, randInt and data columns', () => {
    const template = compiled('/u/{{seq}}/{{ data.email }}/{{randInt 3 5}}/{{uuid}}', ['email'])
    const out = template.render(context(42, {email: 'a@b.c'}))
    const [, , seq, email, n, uuid] = out.split('/')
    expect(seq).toBe('42')
    expect(email).toBe('a@b.c')
    expect(['3', '4', '5']).toContain(n)
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it('draws randInt uniformly over the closed range', () => {
    const template = compiled('{{randInt 1 4}}')
    const ctx = context(0)
    const counts = new Map<string, number>()
    for (let i = 0; i < 40_000; i++) {
      const v = template.render(ctx)
      counts.set(v, (counts.get(v) ?? 0) + 1)
    }
    expect([...counts.keys()].sort()).toEqual(['1', '2', '3', '4'])
    for (const n of counts.values()) expect(Math.abs(n - 10_000)).toBeLessThan(500) // > 5 σ (σ ≈ 87)
  })

  it('escapes substituted values, not the literal text', () => {
    const template = compiled('{"name":"{{data.name}}"}', ['name'], (v) => JSON.stringify(v).slice(1, -1))
    const out = template.render(context(0, {name: 'say "hi"\\'}))
    expect(JSON.parse(out)).toEqual({name: 'say "hi"\\'})
  })

  it('reports every bad placeholder', () => {
    const result = compileTemplate('{{seqq}} {{randInt 5 1}} {{data.x}}', {})
    expect('errors' in result && result.errors).toEqual([
      expect.stringContaining('unknown placeholder'),
      expect.stringContaining('low ≤ high'),
      expect.stringContaining('needs a data file'),
    ])
    const missingColumn = compileTemplate('{{data.x}}', {dataColumns: ['a', 'b']})
    expect('errors' in missingColumn && missingColumn.errors[0]).toContain('its columns are a, b')
  })

  it('seeds a reproducible random sequence', () => {
    const a = createRandom(42)
    const b = createRandom(42)
    const first = [a(), a(), a()]
    expect([b(), b(), b()]).toEqual(first)
    for (const x of first) expect(x >= 0 && x < 1).toBe(true)
  })
})

describe('paths on the wire (issue 35: non-ASCII paths failed with UND_ERR_INVALID_ARG)', () => {
  it('percent-encodes as UTF-8 what a request target cannot hold, and keeps the rest', () => {
    expect(encodePath('/café/日本 x')).toBe('/caf%C3%A9/%E6%97%A5%E6%9C%AC%20x')
    expect(encodePath('/a%20b/c?d=1')).toBe('/a%20b/c?d=1')
    expect(encodePath('/\u0000\u007f\ud800')).toBe('/%00%7F%EF%BF%BD')
  })

  it('any text: visible ASCII out, the same text back by decoding', () => {
    fc.assert(
      fc.property(fc.string({unit: 'grapheme', maxLength: 40}), (segment) => {
        const text = `/${segment.replaceAll('%', '')}`
        const encoded = encodePath(text)
        expect(encoded).toMatch(/^[\x21-\x7e]*$/)
        expect(decodeURIComponent(encoded)).toBe(text)
      }),
      {numRuns: fuzzRuns(300)},
    )
  })
})
