/**
 * Issue 15: hostile or broken input gets exit 2 and one clear message, never a stack trace; a
 * reader never creates the database it was asked to read.
 */
import {existsSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {stringifyResult} from '../../src/contracts/results/run-result.js'
import {capacityResultFixture, runResultFixture} from '../helpers/fixtures.js'
import {runInProcess} from '../helpers/in-process.js'

const dir = mkdtempSync(join(tmpdir(), 'loadplan-issue-15-'))
const file = (name: string, content: string | Uint8Array) => {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

/** Exit 2, the message on stderr, and no stack trace. */
async function expectBadInput(args: string[], message: RegExp): Promise<void> {
  const {code, stderr} = await runInProcess(args)
  expect(code, stderr).toBe(2)
  expect(stderr).toMatch(message)
  expect(stderr).not.toMatch(/internal error|\n\s+at /)
}

describe('issue 15: broken files are bad input', () => {
  it('a YAML alias bomb as a service file', async () => {
    const levels = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...['b', 'c', 'd', 'e'].map((name, i) => `${name}: &${name} [${Array(10).fill(`*${'abcd'[i]}`).join(', ')}]`),
    ]
    await expectBadInput(
      ['run', file('bomb.yaml', `${levels.join('\n')}\ntarget: http://127.0.0.1:1\n`)],
      /bomb\.yaml: .*alias/i,
    )
  })

  it('a CSV with an unterminated quote, and random bytes as a CSV, in forecast, plan --history and headroom --csv', async () => {
    const unterminated = file('unterminated.csv', 'timestamp,value\n2026-01-01T00:00:00Z,"5\n2026-01-01T01:00:00Z,6\n')
    // 3,000 pseudo-random bytes (a fixed seed, so a failure reproduces).
    let seed = 15
    const binary = file(
      'binary.csv',
      Uint8Array.from({length: 3000}, () => (seed = (seed * 16807) % 2147483647) % 256),
    )
    for (const csv of [unterminated, binary]) {
      await expectBadInput(['forecast', csv], /not a readable CSV file/)
      await expectBadInput(
        ['plan', '--history', csv, '--per-instance', '100/s', '--vcpus', '2', '--family', 'c7g'],
        /not a readable CSV file|need at least/,
      )
      await expectBadInput(
        ['headroom', '--csv', csv, '--vcpus', '2', '--memory', '4'],
        /not a readable CSV file|history/,
      )
    }
  })

  it('a RunResult without totals in report and run --compare', async () => {
    const result = JSON.parse(stringifyResult(runResultFixture())) as Record<string, unknown>
    delete result.totals
    const path = file('no-totals.json', JSON.stringify(result))
    await expectBadInput(['report', path], /not a complete RunResult: totals/)
    await expectBadInput(
      ['run', 'http://127.0.0.1:1/', '-a', '1', '--compare', path],
      /--compare: is not a complete RunResult: totals/,
    )
  })

  it('a CapacityResult with steps "x", host null or a rate ≤ 0 in report, report --format junit and plan --capacity', async () => {
    const base = JSON.parse(stringifyResult(capacityResultFixture(388))) as Record<string, unknown>
    const cases = [
      [{...base, steps: 'x'}, /steps/],
      [{...base, host: null}, /host/],
      [{...base, sustainableRatePerSec: -100}, /sustainableRatePerSec: a sustainable rate must be greater than 0/],
      [{...base, sustainableRatePerSec: 0}, /sustainableRatePerSec: a sustainable rate must be greater than 0/],
    ] as const
    for (const [index, [data, message]] of cases.entries()) {
      const path = file(`cap-${index}.json`, JSON.stringify(data))
      await expectBadInput(['report', path], message)
      await expectBadInput(['report', path, '--format', 'junit'], message)
      await expectBadInput(
        ['plan', '--capacity', path, '--growth', '5%/mo', '--peak', '100/s', '--family', 'c7g'],
        message,
      )
    }
  })
})

describe('issue 15: negative values', () => {
  it('a traffic series with negative values is forecast without them, and no band goes below zero', async () => {
    const rows = Array.from(
      {length: 24 * 21},
      (_, i) =>
        `${new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString()},${i % 50 === 7 ? -500 : 100 + 50 * Math.sin((2 * Math.PI * i) / 24)}`,
    )
    const csv = file('negative.csv', `time,requests\n${rows.join('\n')}\n`)
    const {code, stdout, stderr} = await runInProcess(['forecast', csv, '--horizon', '2d', '--json'])
    expect(code, stderr).toBe(0)
    const document = JSON.parse(stdout) as {history: {notes: string[]}; result: {points: Array<{lo95: number}>}}
    expect(document.history.notes.join('\n')).toMatch(/10 rows had a negative value/) // i = 7, 57, …, 457
    expect(Math.min(...document.result.points.map((p) => p.lo95))).toBeGreaterThanOrEqual(0)
  })
})

describe('issue 15: databases', () => {
  it('monitor export and forecast --recording on /dev/null, a folder and a file that is not SQLite', async () => {
    const notSqlite = file('not-sqlite.db', 'hello')
    for (const db of ['/dev/null', dir, notSqlite]) {
      await expectBadInput(['monitor', 'export', '--db', db], /Cannot open the database/)
      await expectBadInput(['forecast', '--recording', db], /Cannot open the database/)
    }
  })

  it('reading a database that does not exist does not create it', async () => {
    const missing = join(dir, 'missing.db')
    await expectBadInput(['forecast', '--recording', missing], /no such database file/)
    await expectBadInput(['headroom', '--db', missing], /no such database file/)
    await expectBadInput(['monitor', 'export', '--db', missing], /no such database file/)
    expect(existsSync(missing)).toBe(false)
  })

  it('monitor --db under /proc fails at once instead of hanging', async () => {
    const started = Date.now()
    await expectBadInput(['monitor', '--db', '/proc/nope/x.db', '--for', '1s'], /folder cannot be created/)
    expect(Date.now() - started).toBeLessThan(10_000)
  })
})

describe('issue 15: limits are checked before any load is sent', () => {
  it('durations, stages and timeouts past 24 days (a timer would overflow and end the run at once)', async () => {
    await expectBadInput(['run', 'http://127.0.0.1:1/', '-d', '99999999999h'], /--duration: at most 24 days/)
    await expectBadInput(['run', 'http://127.0.0.1:1/', '--stage', '99999999999h:10'], /--stage\[0\]: at most 24 days/)
    await expectBadInput(
      ['run', 'http://127.0.0.1:1/', '-a', '1', '--timeout', '99999999999h'],
      /--timeout: at most 24 days/,
    )
    const yaml = file('long.yaml', 'target: http://127.0.0.1:1\nload: {model: connections, duration: 99999999999h}\n')
    await expectBadInput(['run', yaml], /load\.duration: at most 24 days/)
  })

  it('a warm-up as long as the run, which would measure nothing', async () => {
    await expectBadInput(
      ['run', 'http://127.0.0.1:1/', '--warmup', '20s', '-d', '2s'],
      /--warmup: must be shorter than the run \(2\.00 s\)/,
    )
  })

  it('more connections than the open-file limit allows', async () => {
    await expectBadInput(
      ['run', 'http://127.0.0.1:1/', '-c', '1000000000', '-d', '1s'],
      /--connections: at most \d+ here: the open-file limit is \d+/,
    )
  })
})

describe('issue 15: friction', () => {
  it('sends User-Agent loadplan/VERSION unless the user sets one', async () => {
    const {startServer} = await import('../helpers/local-server.js')
    const agents: string[] = []
    const server = await startServer((request, response) => {
      agents.push(String(request.headers['user-agent']))
      response.end('ok')
    })
    try {
      expect((await runInProcess(['run', `${server.url}/`, '-a', '2', '-c', '1'])).code).toBe(0)
      expect(
        (await runInProcess(['run', `${server.url}/`, '-a', '1', '-c', '1', '-H', 'user-agent: my-probe/1'])).code,
      ).toBe(0)
    } finally {
      await server.close()
    }
    expect(agents.slice(0, 2)).toEqual([
      expect.stringMatching(/^loadplan\/\d+\.\d+\.\d+/),
      expect.stringMatching(/^loadplan\//),
    ])
    expect(agents[2]).toBe('my-probe/1')
  })

  it('a target with a bad scheme is reported with its password and credential parameters redacted', async () => {
    const {code, stderr} = await runInProcess([
      'run',
      'ftp://user:PASSWD@127.0.0.1:21/?api_key=KEY123&sessionid=S1&page=2',
    ])
    expect(code).toBe(2)
    expect(stderr).toContain('unsupported scheme "ftp:"')
    expect(stderr).not.toMatch(/PASSWD|KEY123|S1/)
  })

  it('redacts by the rule and by --redact in the saved result', async () => {
    const {startServer} = await import('../helpers/local-server.js')
    const server = await startServer()
    try {
      const {code, stdout} = await runInProcess([
        'run',
        `${server.url}/?sid=secret-sid-1&X-Amz-Signature=secret-signature-2&page=2`,
        '-a',
        '1',
        '-H',
        'Ocp-Apim-Subscription-Key: secret-key-3',
        '-H',
        'x-tenant: secret-tenant-4',
        '--redact',
        'x-tenant',
        '--json',
      ])
      expect(code).toBe(0)
      // Secrets long and lower-case enough that they cannot occur by chance in a base64 histogram.
      expect(stdout).not.toMatch(/secret-/)
      expect(stdout).toContain('"page"')
    } finally {
      await server.close()
    }
  })

  it('catalog list names a region without prices instead of blaming the filters', async () => {
    // mx-central-1 opened in 2025, after the catalog's regional AWS prices.
    const {code, stdout} = await runInProcess(['catalog', 'list', '--provider', 'aws', '--region', 'mx-central-1'])
    expect(code).toBe(0)
    expect(stdout).toMatch(
      /^the catalog has no prices in mx-central-1; regions with prices: af-south-1, .*, us-west-2$/m,
    )
  })
})

describe('issue 15: CI names', () => {
  it('the summary, Markdown title and JUnit suite name keep the path and the (redacted) query', async () => {
    const {resolveRunOptions} = await import('../../src/config/run/resolve-run-options.js')
    const {buildRunResult} = await import('../../src/core/engine/build-run-result.js')
    const {engineResult} = await import('../helpers/fixtures.js')
    const {renderSummary} = await import('../../src/report/summary-table.js')
    const {runResultToMarkdown} = await import('../../src/report/markdown.js')
    const {runResultToJunit} = await import('../../src/report/junit.js')
    const result = (url: string) =>
      buildRunResult({
        options: resolveRunOptions({url, flags: {}}),
        results: [engineResult([1, 2, 3])],
        toolVersion: '0.0.0-test',
      })
    const orders = result('http://127.0.0.1:8080/api/orders?page=2&token=T0K')
    const users = result('http://127.0.0.1:8080/api/users')
    expect(renderSummary(orders, {color: false})).toMatch(
      /^loadplan run {2}http:\/\/127\.0\.0\.1:8080\/api\/orders\?page=2&token=%5Bredacted%5D /,
    )
    expect(runResultToMarkdown(users)).toMatch(/^### loadplan run: http:\/\/127\.0\.0\.1:8080\/api\/users /)
    expect(runResultToJunit(users)).toContain('name="loadplan run http://127.0.0.1:8080/api/users"')
  })
})

describe('issue 15: timeouts below a second', () => {
  it('-t 100ms against a server that answers after 300 ms counts every request as a timeout; -t 900ms counts successes', async () => {
    const {startServer} = await import('../helpers/local-server.js')
    const server = await startServer((_request, response) => setTimeout(() => response.end('ok'), 300))
    try {
      const short = await runInProcess(['run', `${server.url}/`, '-a', '4', '-c', '2', '-t', '100ms', '--json'])
      const shortResult = JSON.parse(short.stdout) as {
        totals: {completed: number; transportErrors: number}
        errors: {timeout: number}
      }
      expect(shortResult.errors.timeout).toBe(4)
      expect(shortResult.totals.completed).toBe(0)
      const long = await runInProcess(['run', `${server.url}/`, '-a', '4', '-c', '2', '-t', '900ms', '--json'])
      const longResult = JSON.parse(long.stdout) as {totals: {completed: number}; errors: {timeout: number}}
      expect(longResult.totals.completed).toBe(4)
      expect(longResult.errors.timeout).toBe(0)
    } finally {
      await server.close()
    }
  })
})

describe('issue 15: a server that never answers', () => {
  it('the open model honours --graceful-stop and counts the hung requests as cut off, as the closed model does', async () => {
    const {startServer} = await import('../helpers/local-server.js')
    const server = await startServer(() => {}) // accepts, never answers
    try {
      for (const load of [
        ['--arrival-rate', '10/s'],
        ['-c', '3'],
      ]) {
        const started = performance.now()
        const {code, stdout, stderr} = await runInProcess([
          'run',
          `${server.url}/`,
          ...load,
          '-d',
          '2s',
          '--graceful-stop',
          '500ms',
          '-t',
          '20s',
          '--json',
        ])
        const wallMs = performance.now() - started
        expect(code, stderr).toBe(0)
        const result = JSON.parse(stdout) as {
          durationMs: number
          totals: {completed: number; transportErrors: number; aborted: number}
        }
        // 2 s + 0.5 s grace; before the fix the open model waited for the 20 s timeout plus a second.
        expect(wallMs).toBeLessThan(15_000)
        expect(result.totals.completed).toBe(0)
        expect(result.totals.transportErrors).toBe(0)
        expect(result.totals.aborted).toBeGreaterThan(0)
      }
    } finally {
      await server.close()
    }
  })
})
