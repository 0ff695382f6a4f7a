/** TLS verification, CSV data files and a target that goes away mid-run. */
import {mkdtempSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:https'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {readDataFile} from '../../src/adapters/io/read-data-file.js'
import {renderSummary} from '../../src/report/summary-table.js'
import {startServer} from '../helpers/local-server.js'
import {runAgainst} from '../helpers/run-against.js'
import {selfSignedCertificate} from '../helpers/self-signed.js'

describe('TLS', () => {
  it('verifies certificates by default and skips verification with --insecure', async () => {
    let count = 0
    const server = createServer(selfSignedCertificate(), (_q, s) => {
      count++
      s.end('ok')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `https://127.0.0.1:${(server.address() as {port: number}).port}/`
    try {
      const verified = await runAgainst(url, {duration: '500ms', connections: '1'})
      expect(verified.totals.completed).toBe(0)
      expect(verified.errors.tls).toBeGreaterThan(0)
      // The reason is kept and named, with the way out.
      expect(Object.keys(verified.errorCodes ?? {})).toEqual(['DEPTH_ZERO_SELF_SIGNED_CERT'])
      const summary = renderSummary(verified, {color: false})
      expect(summary).toMatch(
        /DEPTH_ZERO_SELF_SIGNED_CERT ×[\d,]+: self-signed certificate; --insecure skips certificate checks/,
      )
      expect(count).toBe(0)

      const insecure = await runAgainst(url, {amount: '50', connections: '2', insecure: true})
      expect(insecure.totals.completed).toBe(50)
      expect(count).toBe(50)
    } finally {
      server.closeAllConnections()
      server.close()
    }
  })
})

describe('data files', () => {
  it('feeds CSV rows to {{data.column}} in turn, with a detected delimiter', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadplan-data-'))
    const file = join(dir, 'users.csv')
    writeFileSync(file, 'user;email\nann;ann@example.test\nbob;bob@example.test\ncy;cy@example.test\n')
    expect(readDataFile(file)).toEqual({
      columns: ['user', 'email'],
      rows: [
        {user: 'ann', email: 'ann@example.test'},
        {user: 'bob', email: 'bob@example.test'},
        {user: 'cy', email: 'cy@example.test'},
      ],
    })
    const paths: string[] = []
    const server = await startServer((request, response) => {
      paths.push(request.url ?? '')
      response.end()
    })
    await runAgainst(`${server.url}/u/{{data.user}}?mail={{data.email}}`, {
      amount: '6',
      connections: '1',
      dataFile: file,
    })
    await server.close()
    expect(paths).toEqual(['ann', 'bob', 'cy', 'ann', 'bob', 'cy'].map((u) => `/u/${u}?mail=${u}%40example.test`))
  })

  it('says what is wrong with a missing or empty data file', () => {
    expect(readDataFile('/nonexistent/users.csv')).toEqual({error: expect.stringContaining('ENOENT')})
    const dir = mkdtempSync(join(tmpdir(), 'loadplan-data-'))
    writeFileSync(join(dir, 'empty.csv'), 'user,email\n')
    expect(readDataFile(join(dir, 'empty.csv'))).toEqual({error: expect.stringContaining('no rows')})
  })
})

describe('a target that goes away', () => {
  it('keeps running, counts the failures and still returns the result', async () => {
    const server = await startServer()
    setTimeout(() => void server.close(), 500)
    const result = await runAgainst(`${server.url}/`, {duration: '1500ms', connections: '2'})
    expect(result.totals.completed).toBeGreaterThan(0)
    expect(result.totals.transportErrors).toBeGreaterThan(0)
    expect(result.errors.refused + result.errors.reset).toBe(result.totals.transportErrors)
    expect(result.stopReason).toBe('duration')
  })
})
