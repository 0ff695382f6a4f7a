/** Credentials recorded in request bodies never reach the service file (issue 28). */
import {describe, expect, it} from 'vitest'
import {importHar, type HarEntry} from '../../src/core/importers/har-import.js'

const entry = (mimeType: string, text: string): HarEntry => ({
  startedDateTime: '2026-12-01T10:00:00.000Z',
  time: 12,
  request: {method: 'POST', url: 'https://shop.example/api/login', headers: [], postData: {mimeType, text}},
  response: {status: 200},
})

describe('import har: credentials in bodies', () => {
  it('turns a JSON body password into {{env.…}} and keeps the other fields', () => {
    const imported = importHar({
      log: {entries: [entry('application/json', JSON.stringify({user: 'ada', password: 'pw123', remember: true}))]},
    })
    const text = JSON.stringify(imported.service)
    expect(text).not.toContain('pw123')
    const steps = (imported.service.scenarios as Array<{steps: Array<{request: {json: unknown}}>}>)[0]?.steps
    expect(steps?.[0]?.request.json).toEqual({user: 'ada', password: '{{env.PASSWORD}}', remember: true})
    expect(imported.env).toEqual([{name: 'PASSWORD', header: 'password'}])
  })

  it('does the same in nested objects and form bodies', () => {
    const nested = importHar({
      log: {entries: [entry('application/json', JSON.stringify({auth: {apiKey: 'k-123', scope: 'read'}}))]},
    })
    expect(JSON.stringify(nested.service)).not.toContain('k-123')
    const form = importHar({log: {entries: [entry('application/x-www-form-urlencoded', 'user=ada&password=pw%20123')]}})
    const text = JSON.stringify(form.service)
    expect(text).not.toContain('pw')
    expect(text).toContain('user=ada&password={{env.PASSWORD}}')
  })
  it('keeps form fields whose escapes are not valid and still hides a malformed password', () => {
    // decodeURIComponent throws on `%zz`; one such field used to abort the whole import.
    const form = importHar({
      log: {entries: [entry('application/x-www-form-urlencoded', 'q=50%zz&pass%word=pw%zz9&password=%E0%A4%A')]},
    })
    const text = JSON.stringify(form.service)
    expect(text).toContain('q=50%zz')
    expect(text).not.toContain('pw%zz9')
    expect(text).not.toContain('%E0%A4%A')
  })
})
