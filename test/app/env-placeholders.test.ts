/**
 * `{{env.NAME}}` in service files and flags: the server receives the environment's value, every
 * output shows the placeholder, and an unset variable is bad input naming it.
 */
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {resolveRunOptions} from '../../src/config/run/resolve-run-options.js'
import {parseServiceFile} from '../../src/config/service-file.js'
import {InputError} from '../../src/contracts/errors.js'
import {runInProcess} from '../helpers/in-process.js'
import {startServer, type LocalServer} from '../helpers/local-server.js'

const TOKEN = 'tok-Zq81-very-private'
const TENANT = 'acme-tenant-7'
let server: LocalServer
const received: Array<{url: string; auth: string | undefined; body: string}> = []
const dir = mkdtempSync(join(tmpdir(), 'loadplan-env-'))

beforeAll(async () => {
  server = await startServer((request, response, _index, body) => {
    received.push({url: String(request.url), auth: request.headers.authorization, body})
    response.end('ok')
  })
})
afterAll(async () => {
  await server.close()
})

describe('{{env.NAME}}', () => {
  it('sends the values and shows the placeholders in every output', async () => {
    const file = join(dir, 'service.yaml')
    writeFileSync(
      file,
      `target: "{{env.BASE_URL}}"\nheaders:\n  authorization: "Bearer {{env.API_TOKEN}}"\nrequest:\n  method: POST\n  path: /t/{{ env.TENANT }}/orders\n  json: {tenant: "{{env.TENANT}}", n: "{{seq}}"}\nload: {model: closed, connections: 1, amount: 3}\n`,
    )
    const out = join(dir, 'result.json')
    const markdown = join(dir, 'summary.md')
    const {code, stdout, stderr} = await runInProcess(
      ['run', file, '-q', 'tenant={{env.TENANT}}', '--out', out, '--markdown', markdown, '--junit', join(dir, 'j.xml')],
      {env: {BASE_URL: server.url, API_TOKEN: TOKEN, TENANT}},
    )
    expect(code, stderr).toBe(0)
    expect(received).toHaveLength(3)
    expect(received[0]).toEqual({
      url: `/t/${TENANT}/orders?tenant=${TENANT}`,
      auth: `Bearer ${TOKEN}`,
      body: `{"tenant":"${TENANT}","n":"0"}`,
    })
    const outputs = [
      stdout,
      stderr,
      readFileSync(out, 'utf8'),
      readFileSync(markdown, 'utf8'),
      readFileSync(join(dir, 'j.xml'), 'utf8'),
    ]
    for (const text of outputs) {
      expect(text).not.toContain(TOKEN)
      expect(text).not.toContain(TENANT)
    }
    const saved = JSON.parse(readFileSync(out, 'utf8')) as {
      options: {origin: string; scenarios: Array<{path: string; query: Array<[string, string]>}>}
    }
    expect(saved.options.origin).toBe('{{env.BASE_URL}}/')
    expect(saved.options.scenarios[0]?.path).toBe('/t/{{env.TENANT}}/orders')
    expect(saved.options.scenarios[0]?.query).toEqual([['tenant', '{{env.TENANT}}']])
  })

  it('an unset variable is bad input naming it and where it is used, with every other problem', () => {
    const file = parseServiceFile('target: http://127.0.0.1:1/\nheaders:\n  x-key: "{{env.MISSING_KEY}}"\n', 's.yaml')
    let error: unknown
    try {
      resolveRunOptions({
        file,
        fileName: 's.yaml',
        flags: {header: ['x-b: {{env.ALSO_MISSING}}'], connections: '0'},
        env: {},
      })
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(InputError)
    const problems = (error as InputError).problems.map((p) => `${p.field}: ${p.message}`)
    expect(problems).toContainEqual(expect.stringMatching(/^--header\[0\]: ALSO_MISSING is not set in the environment/))
    expect(problems).toContainEqual(expect.stringMatching(/^s\.yaml: headers\.x-key: MISSING_KEY is not set/))
    expect(problems).toContainEqual(expect.stringMatching(/^--connections/))
    // Each unset variable once: not again as an "unknown placeholder" of the request it is in.
    expect(problems.filter((p) => p.includes('unknown placeholder'))).toEqual([])
    expect(problems).toHaveLength(3)
  })
})
