/**
 * Secrets × every output and error path (issue 35): a credential given in any shape the user can
 * mistype, or recorded in a header holding a URL or a request body, never comes back out — not in
 * an error message, a saved result, an imported service file or JUnit. The property runs each
 * shape with random secrets, because a fixed one could hide by luck in a redaction's pattern.
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {resolveRunOptions} from '../../src/config/run/resolve-run-options.js'
import type {RunFlags} from '../../src/config/run/run-flags.js'
import {InputError} from '../../src/contracts/errors.js'
import {redactHeaders, redactText, redactValue} from '../../src/contracts/redact.js'
import {importHar, type HarEntry} from '../../src/core/importers/har-import.js'
import {fuzzRuns} from '../fuzz/fuzz-settings.js'

/** Secrets that cannot appear in loadplan's own words: letters and digits, 10–24 of them. */
const secretArb = fc.stringMatching(/^[A-Za-z0-9]{10,24}$/).filter((s) => /\d/.test(s) && /[A-Z]/.test(s))

/** Each way a secret reaches loadplan as text (flag values, file values, header values). */
const SHAPES: Array<(s: string) => string> = [
  (s) => `Authorization Bearer ${s}`,
  (s) => `Authorization: Bearer ${s}`,
  (s) => `authorization:${s}`,
  (s) => `X-Api-Key ${s}`,
  (s) => `access_token:${s}`,
  (s) => `access_token=${s}`,
  (s) => `page=2&token=${s}&q=x`,
  (s) => `http://user:${s}@exa mple.com/?token=T`,
  (s) => `http://exa mple.com/?access_token=${s}`,
  (s) => `https://app.test/cb?code=1&client_secret=${s}#x`,
  (s) => `see http://a.test/x?sig=${s} and more`,
  (s) => `{"user":"ada","password":"${s}"}`,
  (s) => `{"otp": 123, "password" : "${s}"}`,
  (s) => `user=ada&password=${s}`,
  (s) => `Cookie: sid=${s}`,
  (s) => `curl -H 'Authorization: Basic ${s}'`,
]

describe('redactText: every shape a secret arrives in', () => {
  it.each(SHAPES.map((shape, i) => [i, shape] as const))('shape %i never shows the secret', (_i, shape) => {
    fc.assert(
      fc.property(secretArb, (secret) => {
        const text = shape(secret)
        expect(redactText(text)).not.toContain(secret)
        // Idempotent: redacting twice changes nothing more (outputs are redacted at several layers).
        expect(redactText(redactText(text))).toBe(redactText(text))
      }),
      {numRuns: fuzzRuns(60)},
    )
  })

  it('leaves ordinary text alone', () => {
    for (const text of [
      'Accept: application/json',
      'page=2&q=shoes',
      'http://127.0.0.1:8080/items?id=42',
      '{"user":"ada","count":3}',
      'expected "Name: value"',
    ])
      expect(redactText(text)).toBe(text)
  })

  it('hides header values that hold URLs with credentials (Referer), and secret members of objects', () => {
    expect(redactHeaders({referer: 'https://a.test/x?access_token=S3cretValue1', accept: '*/*'})).toEqual({
      referer: 'https://a.test/x?access_token=[redacted]',
      accept: '*/*',
    })
    expect(redactValue({password: 123456, nested: [{token: 'Abc123456789'}], ok: 'yes'})).toEqual({
      password: '[redacted]',
      nested: [{token: '[redacted]'}],
      ok: 'yes',
    })
  })
})

describe('error messages redact what they echo', () => {
  const target = 'http://127.0.0.1:8080'
  const messageOf = (flags: RunFlags): string => {
    try {
      resolveRunOptions({flags: {target, ...flags}, defaultSeed: 1})
    } catch (error) {
      if (error instanceof InputError) return `${error.message}\n${JSON.stringify(error.problems)}`
      throw error
    }
    throw new Error('expected bad input')
  }

  it('malformed -H, -q and an unparseable URL with userinfo and a token (the reported cases)', () => {
    fc.assert(
      fc.property(secretArb, (secret) => {
        for (const flags of [
          {header: [`Authorization Bearer ${secret}`]},
          {header: [`X-Api-Key ${secret}`]},
          {query: [`access_token:${secret}`]},
          {target: `http://user:${secret}@exa mple.com/?token=${secret}`},
          {target: `ftp://u:${secret}@host/?token=${secret}`},
        ] satisfies RunFlags[])
          expect(messageOf({duration: '1s', ...flags})).not.toContain(secret)
      }),
      {numRuns: fuzzRuns(25)},
    )
  })
})

describe('import har: nothing recorded that is secret reaches the file', () => {
  const entry = (headers: HarEntry['request']['headers'], postData?: HarEntry['request']['postData']): HarEntry => ({
    startedDateTime: '2026-12-01T10:00:00.000Z',
    time: 12,
    request: {method: 'POST', url: 'https://shop.example/api/login', headers, ...(postData ? {postData} : {})},
    response: {status: 200},
  })

  it('a Referer token, a form password, JSON password and a numeric otp (the reported file)', () => {
    fc.assert(
      fc.property(secretArb, fc.integer({min: 100_000, max: 999_999}), (secret, otp) => {
        const imported = importHar({
          log: {
            entries: [
              entry([{name: 'Referer', value: `https://shop.example/start?access_token=${secret}&page=1`}]),
              entry([], {mimeType: 'application/x-www-form-urlencoded', text: `user=ada&password=${secret}`}),
              entry([], {mimeType: 'application/json', text: JSON.stringify({password: secret, otp, keep: 'yes'})}),
            ],
          },
        })
        const text = JSON.stringify(imported.service)
        expect(text).not.toContain(secret)
        expect(text).not.toContain(String(otp))
        expect(text).toContain('page=1')
        expect(text).toContain('"keep":"yes"')
        expect(imported.env.map((e) => e.name).sort()).toEqual(['ACCESS_TOKEN', 'OTP', 'PASSWORD'])
      }),
      {numRuns: fuzzRuns(25)},
    )
  })
})
