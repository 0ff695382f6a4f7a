import {describe, expect, it} from 'vitest'
import {isSecretName, redactHeaders, redactText, redactUrl} from '../../src/contracts/redact.js'

describe('redaction', () => {
  it('hides credential headers and keeps the rest', () => {
    expect(
      redactHeaders({
        Authorization: 'Bearer abc',
        Cookie: 'sid=1',
        'X-API-Key': 'k',
        'x-auth-token': 't',
        accept: 'text/html',
      }),
    ).toEqual({
      Authorization: '[redacted]',
      Cookie: '[redacted]',
      'X-API-Key': '[redacted]',
      'x-auth-token': '[redacted]',
      accept: 'text/html',
    })
  })

  it('hides URL passwords and credential query parameters', () => {
    expect(redactUrl('https://user:hunter2@example.test/a?api_key=s3cret&page=2')).toBe(
      'https://user:redacted@example.test/a?api_key=%5Bredacted%5D&page=2',
    )
    expect(redactUrl('not a url')).toBe('not a url')
  })

  it('hides the value of a header line', () => {
    expect(redactText('Authorization: Bearer abc')).toBe('Authorization: [redacted]')
    expect(redactText('Accept: */*')).toBe('Accept: */*')
  })
})

describe('the redaction rule (issue 15)', () => {
  it('finds the names users reported, by whole words and credential stems', () => {
    for (const name of [
      'session_id',
      'sessionid',
      'sid',
      'jwt',
      'code',
      'X-Amz-Signature',
      'access_key',
      'private_token',
      'pass',
      'credential',
      'Ocp-Apim-Subscription-Key',
      'api_key',
      'Authorization',
      'x-auth-token',
      'Cookie',
      'client_secret',
      'refresh_token',
    ]) {
      expect(isSecretName(name), name).toBe(true)
    }
  })

  it('leaves ordinary names alone, and adds the names given with --redact', () => {
    for (const name of [
      'page',
      'accept',
      'content-type',
      'q',
      'sort',
      'keyword',
      'passenger',
      'side',
      'barcode',
      'x-request-id',
    ])
      expect(isSecretName(name), name).toBe(false)
    expect(isSecretName('x-tenant')).toBe(false)
    expect(isSecretName('X-Tenant', ['x-tenant'])).toBe(true)
  })
})
