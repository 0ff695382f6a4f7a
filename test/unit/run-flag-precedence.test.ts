/**
 * Flags win over the service file (issue 28: `run plans/example.yaml -d 3s` ran the file's 15 s).
 * One row per setting the file can also give: the file says one thing, the flag another, and the
 * resolved run takes the flag's. Settings that add up instead of replacing (thresholds, redacted
 * names, headers and query parameters of other names) are rows of their own.
 */
import {describe, expect, it} from 'vitest'
import {resolveRunOptions} from '../../src/config/run/resolve-run-options.js'
import type {RunFlags} from '../../src/config/run/run-flags.js'
import type {ServiceFile} from '../../src/config/service-file.js'
import type {RunOptions} from '../../src/core/engine/run-options.js'

const CLOSED: ServiceFile = {
  target: 'http://127.0.0.1:8080',
  request: {method: 'GET', path: '/a', headers: {'x-env': 'file'}, query: {page: '1'}},
  load: {model: 'connections', connections: 4, pipelining: 1, duration: '15s', rate: 100},
  timeout: '10s',
  thresholds: ['p99<500ms'],
  redact: ['x-file-secret'],
}
const OPEN: ServiceFile = {
  target: 'http://127.0.0.1:8080',
  request: {path: '/a'},
  load: {model: 'arrival-rate', arrivalRate: 100, duration: '15s', maxInFlight: 50},
}
const STAGED: ServiceFile = {
  target: 'http://127.0.0.1:8080',
  request: {path: '/a'},
  load: {
    model: 'arrival-rate',
    stages: [
      {duration: '5s', target: 200},
      {duration: '10s', target: 200},
    ],
  },
}
const BALANCED: ServiceFile = {
  targets: ['http://127.0.0.1:8081', 'http://127.0.0.1:8082'],
  balance: 'round-robin',
  request: {path: '/a'},
  load: {model: 'connections', connections: 2, duration: '5s'},
}

type Row = [
  setting: string,
  file: ServiceFile,
  flags: RunFlags,
  check: (options: RunOptions) => unknown,
  expected: unknown,
]
const closed = (o: RunOptions) => (o.load.model === 'closed' ? o.load : undefined)
const open = (o: RunOptions) => (o.load.model === 'open' ? o.load : undefined)
const first = (o: RunOptions) => o.scenarios[0]

const ROWS: Row[] = [
  ['target', CLOSED, {target: 'http://127.0.0.1:9090'}, (o) => o.origin, 'http://127.0.0.1:9090'],
  ['load.connections', CLOSED, {connections: '9'}, (o) => closed(o)?.connections, 9],
  ['load.pipelining', CLOSED, {pipelining: '3'}, (o) => closed(o)?.pipelining, 3],
  ['load.duration (closed)', CLOSED, {duration: '3s'}, (o) => closed(o)?.durationMs, 3000],
  ['load.rate', CLOSED, {rate: '40/s'}, (o) => closed(o)?.ratePerSec, 40],
  ['load.amount', CLOSED, {amount: '7'}, (o) => closed(o)?.amount, 7],
  ['load.arrivalRate', OPEN, {arrivalRate: '30/s'}, (o) => open(o)?.stages.at(-1)?.targetRatePerSec, 30],
  ['load.maxInFlight', OPEN, {maxInFlight: '12'}, (o) => open(o)?.maxInFlight, 12],
  ['load.duration (open)', OPEN, {duration: '3s'}, (o) => open(o)?.stages.reduce((s, x) => s + x.durationMs, 0), 3000],
  [
    'load.stages ← --duration',
    STAGED,
    {duration: '3s'},
    (o) => open(o)?.stages.reduce((s, x) => s + x.durationMs, 0),
    3000,
  ],
  [
    'load.stages ← --stage',
    STAGED,
    {stage: ['2s:50']},
    (o) => open(o)?.stages.map((s) => [s.durationMs, s.targetRatePerSec]),
    [[2000, 50]],
  ],
  ['load.model ← --arrival-rate', CLOSED, {arrivalRate: '30/s', connections: undefined}, (o) => o.load.model, 'open'],
  ['request.method', CLOSED, {method: 'POST', body: 'x'}, (o) => first(o)?.method, 'POST'],
  ['request.body', CLOSED, {method: 'POST', body: 'from-flag'}, (o) => first(o)?.body, 'from-flag'],
  ['request.headers (same name)', CLOSED, {header: ['x-env: flag']}, (o) => first(o)?.headers['x-env'], 'flag'],
  [
    'request.headers (other name: both)',
    CLOSED,
    {header: ['x-more: 1']},
    (o) => [first(o)?.headers['x-env'], first(o)?.headers['x-more']],
    ['file', '1'],
  ],
  [
    'request.query (same name)',
    CLOSED,
    {query: ['page=2']},
    (o) => first(o)?.query.filter(([k]) => k === 'page'),
    [['page', '2']],
  ],
  ['timeout', CLOSED, {timeout: '2s'}, (o) => o.timeoutMs, 2000],
  ['insecure', {...CLOSED, insecure: false}, {insecure: true}, (o) => o.insecure, true],
  [
    'thresholds (both apply)',
    CLOSED,
    {threshold: ['errors<1%']},
    (o) => o.thresholds.map((t) => t.expression),
    ['p99<500ms', 'errors<1%'],
  ],
  ['redact (both apply)', CLOSED, {redact: ['x-flag-secret']}, (o) => o.redact, ['x-file-secret', 'x-flag-secret']],
  [
    'targets',
    BALANCED,
    {targets: 'http://127.0.0.1:9001,http://127.0.0.1:9002'},
    (o) => o.targets?.map((t) => t.origin),
    ['http://127.0.0.1:9001', 'http://127.0.0.1:9002'],
  ],
  ['balance', BALANCED, {balance: 'least-conn'}, (o) => o.balance?.policy, 'least-conn'],
]

describe('flags win over the service file', () => {
  it.each(ROWS)('%s', (_setting, file, flags, check, expected) => {
    const options = resolveRunOptions({file, fileName: 'service.yaml', flags, defaultSeed: 1})
    expect(check(options)).toEqual(expected)
  })
})
