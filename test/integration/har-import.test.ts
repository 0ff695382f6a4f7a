/**
 * HAR import end to end: a real Chromium session (Debian's chromium, driven by playwright-core,
 * recording a HAR) runs a shop's page whose script logs in (cookie + token), lists products with
 * the token and orders with the cookie. `loadplan import har` turns the recording into a service
 * file that replays the journey: each virtual user logs in anew, and its token and cookie are
 * its own, so the server accepts every step of every user.
 */
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {parse} from 'yaml'
import type {RunResult} from '../../src/contracts/results/run-result.js'
import {hasChromium, launchChromium} from '../helpers/browser.js'
import {runInProcess} from '../helpers/in-process.js'
import {startServer, type LocalServer} from '../helpers/local-server.js'

const PAGE = `<!doctype html><html><head><title>shop</title><link rel="icon" href="data:,"></head><body><script>
fetch('/api/login', {method: 'POST', headers: {'content-type': 'application/json', 'x-api-key': 'k-static-secret-1'}, body: JSON.stringify({user: 'ada'})})
  .then((r) => r.json())
  .then(({token}) => new Promise((resolve) => setTimeout(() => resolve(token), 300)))
  .then((token) => fetch('/api/products', {headers: {authorization: 'Bearer ' + token}}))
  .then((r) => r.json())
  .then(({items}) => fetch('/api/orders', {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({item: items[0].id})}))
  .then((r) => r.text())
  .then((text) => { document.title = 'done: ' + text })
</script></body></html>`

let server: LocalServer
const sessions = new Map<string, {user: string; token: string}>()
const log: Array<{step: string; ok: boolean}> = []
let logins = 0

beforeAll(async () => {
  server = await startServer((request, response, _index, body) => {
    const url = String(request.url)
    const sid = /sid=([^;]+)/.exec(request.headers.cookie ?? '')?.[1]
    const session = sid ? sessions.get(sid) : undefined
    const json = (status: number, value: unknown) => {
      response.statusCode = status
      response.setHeader('content-type', 'application/json')
      response.end(JSON.stringify(value))
    }
    if (url === '/') {
      response.setHeader('content-type', 'text/html')
      return response.end(PAGE)
    }
    if (url === '/api/login') {
      const ok = request.headers['x-api-key'] === 'k-static-secret-1'
      log.push({step: 'login', ok})
      if (!ok) return json(401, {error: 'key'})
      const id = `sid-${++logins}`
      const token = `tok-${Math.random().toString(36).slice(2, 14)}`
      sessions.set(id, {user: (JSON.parse(body) as {user: string}).user, token})
      response.setHeader('set-cookie', `sid=${id}; Path=/; HttpOnly`)
      return json(200, {token, user: 'ada'})
    }
    if (url === '/api/products') {
      const ok = session !== undefined && request.headers.authorization === `Bearer ${session.token}`
      log.push({step: 'products', ok})
      return ok ? json(200, {items: [{id: 'sku-123456789', name: 'tea'}]}) : json(401, {error: 'token'})
    }
    if (url === '/api/orders') {
      const ok = session !== undefined && (JSON.parse(body) as {item: string}).item === 'sku-123456789'
      log.push({step: 'orders', ok})
      response.statusCode = ok ? 201 : 403
      return response.end(ok ? 'ordered' : 'no')
    }
    response.statusCode = 404
    response.end()
  })
})
afterAll(async () => {
  await server.close()
})

describe.skipIf(!hasChromium)('loadplan import har', () => {
  it('imports a recorded Chromium session into a service file that replays it for many users', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadplan-har-'))
    const harPath = join(dir, 'shop.har')
    const browser = await launchChromium()
    try {
      const context = await browser.newContext({recordHar: {path: harPath, content: 'embed'}})
      const page = await context.newPage()
      await page.goto(`${server.url}/`)
      // Runs in the page, where `document` exists (this file's types have no DOM).
      await page.waitForFunction("document.title.startsWith('done:')", undefined, {timeout: 20_000})
      expect(await page.title()).toBe('done: ordered')
      await context.close()
    } finally {
      await browser.close()
    }
    expect(log.map((e) => e.ok)).toEqual([true, true, true])

    const servicePath = join(dir, 'shop.yaml')
    const imported = await runInProcess(['import', 'har', harPath, '--out', servicePath])
    expect(imported.code, imported.stderr).toBe(0)
    expect(imported.stderr).toMatch(/Set before running: X_API_KEY \(the x-api-key header or parameter\)/)
    const text = readFileSync(servicePath, 'utf8')
    // The recorded secrets and session values are not in the file.
    expect(text).not.toContain('k-static-secret-1')
    expect(text).not.toMatch(/tok-[a-z0-9]+/)
    const service = parse(text) as {
      scenarios: Array<{
        steps: Array<{
          name: string
          request: Record<string, unknown>
          extract?: unknown
          think?: string
          check?: unknown
        }>
      }>
    }
    const steps = service.scenarios[0]?.steps ?? []
    expect(steps.map((s) => s.name)).toEqual(['GET /', 'POST /api/login', 'GET /api/products', 'POST /api/orders'])
    expect(steps[1]?.extract).toEqual({v1: {json: '$.token'}})
    expect(steps[2]?.request.headers).toMatchObject({authorization: 'Bearer {{vars.v1}}'})
    expect(steps[2]?.request.headers).not.toHaveProperty('cookie')
    // The page waited 300 ms between the login's answer and the product list.
    expect(Number.parseInt(String(steps[1]?.think), 10)).toBeGreaterThanOrEqual(290)
    expect(steps[3]?.request.json).toEqual({item: '{{vars.v2}}'})
    expect(steps[3]?.check).toEqual({status: 201})

    // Replayed by 5 users, 4 journeys each: every login, product list and order accepted.
    log.length = 0
    const {code, stdout, stderr} = await runInProcess(['run', servicePath, '-c', '5', '-a', '20', '--json'], {
      env: {X_API_KEY: 'k-static-secret-1'},
    })
    expect(code, stderr).toBe(0)
    const result = JSON.parse(stdout) as RunResult
    expect(log.filter((e) => e.step === 'orders')).toHaveLength(20)
    expect(log.every((e) => e.ok)).toBe(true)
    expect(result.totals).toMatchObject({completed: 80, checksFailed: 0})
  }, 90_000)

  it('a file that is not a HAR is bad input naming the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadplan-har-'))
    const path = join(dir, 'x.har')
    const {writeFileSync} = await import('node:fs')
    writeFileSync(path, JSON.stringify({log: {entries: [{request: {url: 1}}]}}))
    const {code, stderr} = await runInProcess(['import', 'har', path, '--include', '('])
    expect(code).toBe(2)
    expect(stderr).toMatch(/--include: not a regular expression/)
  })
})
