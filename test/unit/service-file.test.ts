import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {resolveRunOptions} from '../../src/config/run/resolve-run-options.js'
import {parseServiceFile} from '../../src/config/service-file.js'
import {InputError} from '../../src/contracts/errors.js'
import {describeGrpcMethod} from '../../src/adapters/io/describe-grpc-method.js'

function problemsOf(fn: () => unknown): Array<{field: string; message: string; value?: unknown}> {
  try {
    fn()
  } catch (error) {
    if (error instanceof InputError) return error.problems
    throw error
  }
  throw new Error('expected an InputError')
}

describe('service files', () => {
  const plansDir = join(import.meta.dirname, '..', '..', 'plans')
  for (const name of readdirSync(plansDir).filter((f) => /\.ya?ml$/.test(f))) {
    it(`plans/${name} is valid and resolves to run options`, () => {
      const file = parseServiceFile(readFileSync(join(plansDir, name), 'utf8'), name)
      // Paths in service files are relative to where loadplan runs: here, the repository's root.
      const options = resolveRunOptions({file, fileName: name, flags: {}, describeGrpcMethod})
      expect(options.scenarios.length).toBeGreaterThan(0)
    })
  }

  it('a gRPC scenario whose .proto cannot be read is that one problem, not a cascade of HTTP ones', () => {
    const file = parseServiceFile(readFileSync(join(plansDir, 'greeter-grpc.yaml'), 'utf8'), 'g.yaml')
    const problems = problemsOf(() => resolveRunOptions({file, fileName: 'g.yaml', flags: {}}))
    expect(problems.map((p) => p.message)).toEqual([
      '.proto files cannot be read here',
      '.proto files cannot be read here',
    ])
  })

  it('reports every schema problem at once, naming field and value', () => {
    const problems = problemsOf(() =>
      parseServiceFile(
        `target: 42
scenarios:
  - name: a
    weight: -1
    request: { method: "G E T", pth: /x }
load:
  model: bursty
  connections: 2.5
  stages: [ { duration: 30s } ]
colour: blue
`,
        'bad.yaml',
      ),
    )
    const fields = problems.map((p) => p.field)
    expect(fields).toEqual(
      expect.arrayContaining([
        'target',
        'scenarios[0].weight',
        'scenarios[0].request.method',
        'scenarios[0].request.pth',
        'load.model',
        'load.connections',
        'load.stages[0].target',
        'colour',
      ]),
    )
    expect(problems.find((p) => p.field === 'load.connections')).toMatchObject({
      value: 2.5,
      message: expect.stringContaining('whole number'),
    })
    expect(problems.find((p) => p.field === 'colour')?.message).toContain('known keys here are service, target')
  })

  it('reports YAML syntax errors with their line', () => {
    const problems = problemsOf(() => parseServiceFile('target: [unclosed\nload: {', 'broken.yaml'))
    expect(problems[0]?.field).toMatch(/^line \d+, column \d+$/)
  })

  it('rejects a file that is not a mapping', () => {
    expect(problemsOf(() => parseServiceFile('- a\n- b\n', 'list.yaml'))[0]?.message).toContain(
      'expected a YAML mapping',
    )
  })
})

describe('resolveRunOptions', () => {
  it("--duration wins over the file's stages: the schedule is cut to it (plans/example.yaml -d 3s ran 15 s)", () => {
    const file = parseServiceFile(
      readFileSync(join(import.meta.dirname, '..', '..', 'plans', 'example.yaml'), 'utf8'),
      'example.yaml',
    )
    const options = resolveRunOptions({file, fileName: 'example.yaml', flags: {duration: '3s'}})
    // The file ramps 0 → 200/s over 5 s: at 3 s the ramp has reached 120/s, and the run ends there.
    expect(options.load).toMatchObject({model: 'open', stages: [{durationMs: 3000, targetRatePerSec: 120}]})
    // Without the flag the file's 15 s schedule stands.
    const fromFile = resolveRunOptions({file, fileName: 'example.yaml', flags: {}})
    expect(fromFile.load.model === 'open' && fromFile.load.stages.reduce((sum, s) => sum + s.durationMs, 0)).toBe(
      15_000,
    )
  })

  const file = parseServiceFile(
    `service: shop
target: http://127.0.0.1:8080/api
headers: { accept: application/json }
scenarios:
  - { name: browse, weight: 3, request: { path: /products?page=1, query: { q: "{{randInt 1 9}}" } } }
  - { name: buy, request: { method: post, path: orders, json: { sku: "{{uuid}}" } } }
load: { model: arrival-rate, stages: [ { duration: 30s, target: 200 }, { duration: 1m, target: 200 } ] }
thresholds: [ "p99 < 250ms" ]
`,
    'shop.yaml',
  )

  it('reads the file: base path, scenarios, open-model stages, thresholds', () => {
    const options = resolveRunOptions({file, fileName: 'shop.yaml', flags: {}})
    expect(options.origin).toBe('http://127.0.0.1:8080')
    expect(options.scenarios.map((s) => [s.name, s.weight, s.method, s.path])).toEqual([
      ['browse', 3, 'GET', '/api/products'],
      ['buy', 1, 'POST', '/api/orders'],
    ])
    expect(options.scenarios[0]?.query).toEqual([
      ['q', '{{randInt 1 9}}'],
      ['page', '1'],
    ])
    expect(options.scenarios[1]).toMatchObject({
      body: '{"sku":"{{uuid}}"}',
      bodyIsJson: true,
      headers: {accept: 'application/json', 'content-type': 'application/json'},
    })
    expect(options.load).toEqual({
      model: 'open',
      startRatePerSec: 0,
      stages: [
        {durationMs: 30_000, targetRatePerSec: 200},
        {durationMs: 60_000, targetRatePerSec: 200},
      ],
      maxInFlight: 1000,
      connections: 1000,
      streams: 1,
    })
    expect(options.thresholds.map((t) => t.name)).toEqual(['p99'])
  })

  it('lets flags override the file (defaults < file < flags)', () => {
    const options = resolveRunOptions({
      file,
      fileName: 'shop.yaml',
      flags: {
        target: 'http://127.0.0.1:9000',
        arrivalRate: '50/s',
        duration: '5s',
        maxInFlight: '20',
        threshold: ['errors<1%'],
      },
    })
    expect(options.origin).toBe('http://127.0.0.1:9000')
    expect(options.load).toMatchObject({
      model: 'open',
      startRatePerSec: 50,
      stages: [{durationMs: 5000, targetRatePerSec: 50}],
      maxInFlight: 20,
      connections: 20,
    })
    expect(options.thresholds.map((t) => t.name)).toEqual(['p99', 'errors'])
  })

  it('builds a closed-model request from a URL and flags, with defaults', () => {
    const options = resolveRunOptions({
      url: 'http://127.0.0.1:8080/x?a=1',
      flags: {header: ['X-Id: {{seq}}'], method: 'put', body: 'hi'},
    })
    expect(options.load).toEqual({model: 'closed', connections: 10, pipelining: 1, durationMs: 10_000})
    expect(options.scenarios).toEqual([
      {
        name: 'default',
        weight: 1,
        method: 'PUT',
        path: '/x',
        query: [['a', '1']],
        headers: {'X-Id': '{{seq}}'},
        body: 'hi',
        bodyIsJson: false,
      },
    ])
    expect(options.timeoutMs).toBe(10_000)
  })

  it('reports every flag problem at once, with the value and a fix', () => {
    const problems = problemsOf(() =>
      resolveRunOptions({
        url: 'ftp://example.test',
        flags: {
          connections: '0',
          duration: '30',
          amount: '10',
          rate: 'fast',
          header: ['nocolon'],
          threshold: ['p99 ~ 3'],
          json: '{bad',
          workers: 'two',
          query: ['{{seq}}'],
        },
      }),
    )
    expect(problems.map((p) => p.field)).toEqual(
      expect.arrayContaining([
        'url',
        '--connections',
        '--amount',
        '--rate',
        '--header[0]',
        '--threshold[0]',
        '--json-body',
        '--workers',
        '--query[0]',
      ]),
    )
    expect(problems.find((p) => p.field === '--connections')).toMatchObject({
      value: '0',
      message: expect.stringContaining('e.g. -c 50'),
    })
  })

  it('rejects flag combinations that make no sense', () => {
    const problems = problemsOf(() =>
      resolveRunOptions({
        url: 'http://127.0.0.1:1/',
        flags: {arrivalRate: '10', rate: '5', pipelining: '4', stage: ['10s:5']},
      }),
    )
    expect(problems.map((p) => p.field)).toEqual(expect.arrayContaining(['--rate', '--pipelining', '--stage']))
    const closed = problemsOf(() =>
      resolveRunOptions({url: 'http://127.0.0.1:1/', flags: {maxInFlight: '5', workers: '20'}}),
    )
    expect(closed.map((p) => p.field)).toEqual(['--max-in-flight', '--workers'])
  })

  it('checks placeholders against the data file columns', () => {
    const loadDataFile = () => ({columns: ['email'], rows: [{email: 'a@b.c'}]})
    const problems = problemsOf(() =>
      resolveRunOptions({url: 'http://127.0.0.1:1/u/{{data.user}}', flags: {dataFile: 'users.csv'}, loadDataFile}),
    )
    expect(problems[0]).toMatchObject({field: 'request.path', message: expect.stringContaining('no column "user"')})
    const options = resolveRunOptions({
      url: 'http://127.0.0.1:1/u/{{data.email}}',
      flags: {dataFile: 'users.csv'},
      loadDataFile,
    })
    expect(options.data?.rows).toHaveLength(1)
  })
})
