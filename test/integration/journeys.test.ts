/**
 * Journeys against a local server with a login that sets a session cookie and returns a token:
 * log in, browse with the token, buy with the cookie. Every virtual user completes the three
 * steps with its own session; a broken check is counted, not fatal; per-scenario and per-step
 * counts add up exactly to the totals; a check can end a journey when asked.
 */
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {RunResult} from '../../src/contracts/results/run-result.js'
import {runInProcess} from '../helpers/in-process.js'
import {startServer, type LocalServer} from '../helpers/local-server.js'

let server: LocalServer
const sessions = new Map<string, string>() // session id → user
const log: Array<{step: string; user: string | undefined; ok: boolean}> = []
const dir = mkdtempSync(join(tmpdir(), 'loadplan-journey-'))

beforeAll(async () => {
  let next = 0
  server = await startServer((request, response, _index, body) => {
    const url = String(request.url)
    const cookie = /sid=([^;]+)/.exec(request.headers.cookie ?? '')?.[1]
    if (url === '/login') {
      const user = (JSON.parse(body) as {user: string}).user
      const sid = `s${next++}`
      sessions.set(sid, user)
      log.push({step: 'login', user, ok: true})
      response.setHeader('set-cookie', `sid=${sid}; Path=/; HttpOnly`)
      response.setHeader('content-type', 'application/json')
      return response.end(JSON.stringify({token: `t-${user}`, user}))
    }
    const user = cookie ? sessions.get(cookie) : undefined
    if (url.startsWith('/products')) {
      const ok = request.headers.authorization === `Bearer t-${user}`
      log.push({step: 'browse', user, ok})
      response.statusCode = ok ? 200 : 401
      response.setHeader('content-type', 'application/json')
      return response.end(JSON.stringify({items: [{id: 7, name: 'tea'}]}))
    }
    if (url === '/orders') {
      const item = (JSON.parse(body) as {item: string}).item
      const ok = user !== undefined && item === '7'
      log.push({step: 'buy', user, ok})
      response.statusCode = ok ? 201 : 403
      return response.end(ok ? `order for ${user}` : 'no session')
    }
    response.statusCode = 404
    response.end()
  })
})
afterAll(async () => {
  await server.close()
})

const SERVICE = (checkBody: string, abort = false) => `target: "{{env.SHOP_URL}}"
scenarios:
  - name: shopper
    steps:
      - name: login
        request: {method: POST, path: /login, json: {user: "u{{seq}}"}}
        check: {status: 200, json: {"$.token": {exists: true}}}
        extract: {token: {json: $.token}, session: {cookie: sid}}
      - name: browse
        request: {path: /products, headers: {authorization: "Bearer {{vars.token}}"}}
        think: 1ms..5ms
        check: {status: 200, body: "${checkBody}"${abort ? ', abort: true' : ''}}
        extract: {item: {json: "$.items[0].id"}}
      - name: buy
        request: {method: POST, path: /orders, json: {item: "{{vars.item}}"}}
        check: {status: 201, body: "order for u\\\\d+"}
thresholds: ["checks{scenario:shopper} > 99%"]
`

async function run(text: string, args: string[]): Promise<{code: number; result: RunResult; stderr: string}> {
  const file = join(dir, `s${Math.random().toString(36).slice(2)}.yaml`)
  writeFileSync(file, text)
  const {code, stdout, stderr} = await runInProcess(['run', file, ...args, '--json'], {env: {SHOP_URL: server.url}})
  return {code, result: JSON.parse(stdout) as RunResult, stderr}
}

describe('journeys', () => {
  it('every virtual user logs in, browses with its token and buys with its own session cookie', async () => {
    log.length = 0
    const {code, result, stderr} = await run(SERVICE('tea'), ['-c', '5', '-a', '40'])
    expect(code, stderr).toBe(0)
    // 40 journeys (iterations) × 3 steps, all accepted by the server with the right user.
    expect(log).toHaveLength(120)
    expect(log.every((entry) => entry.ok)).toBe(true)
    for (const user of new Set(log.map((e) => e.user)))
      expect(log.filter((e) => e.user === user).map((e) => e.step)).toEqual(['login', 'browse', 'buy'])
    const [shopper] = result.scenarios ?? []
    expect(shopper?.steps?.map((s) => [s.name, s.completed, s.errors])).toEqual([
      ['login', 40, 0],
      ['browse', 40, 0],
      ['buy', 40, 0],
    ])
    expect(result.totals).toMatchObject({completed: 120, checksPassed: 40 * 6, checksFailed: 0})
    expect(result.thresholds[0]).toMatchObject({expression: 'checks{scenario:shopper} > 99%', passed: true})
  })

  it('a broken check is counted, not fatal: the journeys go on and the threshold on checks fails', async () => {
    log.length = 0
    const {code, result} = await run(SERVICE('coffee'), ['-c', '4', '-a', '20'])
    expect(code).toBe(3)
    expect(log).toHaveLength(60)
    const browse = result.scenarios?.[0]?.steps?.[1]
    expect(browse?.checks).toEqual([
      {name: 'status 200', passed: 20, failed: 0},
      {name: 'body ~ /coffee/', passed: 0, failed: 20},
    ])
    // Per-step counts add up exactly to the scenario's and the run's.
    const steps = result.scenarios?.[0]?.steps ?? []
    expect(steps.reduce((sum, s) => sum + s.completed, 0)).toBe(result.totals.completed)
    expect(result.scenarios?.[0]?.completed).toBe(result.totals.completed)
  })

  it('abort: true ends the journey at a failed check', async () => {
    log.length = 0
    const {result} = await run(SERVICE('coffee', true), ['-c', '2', '-a', '10'])
    expect(log.map((e) => e.step).filter((s) => s === 'buy')).toHaveLength(0)
    expect(result.scenarios?.[0]?.steps?.map((s) => s.completed)).toEqual([10, 10, 0])
  })

  it('variables must be extracted by an earlier step; every problem at once', async () => {
    const file = join(dir, 'bad.yaml')
    writeFileSync(
      file,
      `target: http://127.0.0.1:1\nscenarios:\n  - name: x\n    steps:\n      - request: {path: "/a/{{vars.token}}"}\n        extract: {token: {json: "token"}}\n        check: {body: "(" }\n      - request: {path: /b}\n        think: soon\n`,
    )
    const {code, stderr} = await runInProcess(['run', file])
    expect(code).toBe(2)
    expect(stderr).toMatch(/steps\[0\]\.request\.path: \{\{vars\.token\}\}: no earlier step extracts "token"/)
    expect(stderr).toMatch(/steps\[0\]\.extract\.token\.json: expected a JSON path/)
    expect(stderr).toMatch(/steps\[0\]\.check\.body: not a regular expression/)
    expect(stderr).toMatch(/steps\[1\]\.think: expected a pause/)
  })
})
