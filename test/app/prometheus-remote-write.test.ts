/**
 * `run --out prometheus-rw=URL` against a real Prometheus (Debian's, with its remote-write
 * receiver on): live pushes during the run, and after it, PromQL queries equal the result's totals,
 * labelled by plan, scenario and shard; two shards of one run sum to the merged result.
 */
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {RunResult} from '../../src/contracts/results/run-result.js'
import {runCli} from '../helpers/cli.js'
import {runInProcess} from '../helpers/in-process.js'
import {startServer, unusedPort, type LocalServer} from '../helpers/local-server.js'
import {hasPrometheus, startPrometheus, type PrometheusServer} from '../helpers/prometheus.js'

let target: LocalServer
let prometheus: PrometheusServer
const dir = mkdtempSync(join(tmpdir(), 'loadplan-rw-'))

beforeAll(async () => {
  if (!hasPrometheus) return
  target = await startServer()
  prometheus = await startPrometheus({}, {remoteWrite: true})
}, 60_000)
afterAll(async () => {
  prometheus?.stop()
  await target?.close()
})

/** One PromQL instant query: the value of each series, by the given label. */
async function query(expr: string, by: string): Promise<Record<string, number>> {
  const response = await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(expr)}`)
  const body = (await response.json()) as {
    data: {result: Array<{metric: Record<string, string>; value: [number, string]}>}
  }
  return Object.fromEntries(body.data.result.map((r) => [r.metric[by] ?? '', Number(r.value[1])]))
}

describe.skipIf(!hasPrometheus)('run --out prometheus-rw', () => {
  it('after the run, Prometheus holds the result totals, per shard, and their sum is the merged result', async () => {
    const write = `prometheus-rw=${prometheus.url}/api/v1/write`
    const startAt = new Date(Date.now() + 4000).toISOString()
    const files = [0, 1].map((i) => join(dir, `shard-${i}.json`))
    // Two shard processes (one --start-at, so one testid), live pushes every 200 ms.
    await Promise.all(
      [0, 1].map(async (i) => {
        const {code, stderr} = await runCli(
          [
            'run',
            `${target.url}/{{seq}}`,
            '-q',
            'x=1',
            '-R',
            '400/s',
            '-a',
            '800',
            '--segment',
            `${i}/2`,
            '--start-at',
            startAt,
            '--out',
            files[i] as string,
            '--out',
            write,
          ],
          {LOADPLAN_PROMETHEUS_RW_INTERVAL: '200ms'},
        )
        expect(code, stderr).toBe(0)
        expect(stderr).not.toMatch(/not sent/)
      }),
    )
    const shards = files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as RunResult)
    const selector = `{testid="${startAt}"}`
    const requests = await query(`loadplan_http_reqs_total${selector}`, 'shard')
    const sent = await query(`loadplan_data_sent_total${selector}`, 'shard')
    const p99 = await query(`loadplan_http_req_duration_p99${selector}`, 'shard')
    shards.forEach((shard, i) => {
      const label = `${i}/2`
      expect(requests[label]).toBe(shard.totals.completed + shard.totals.transportErrors)
      expect(sent[label]).toBe(shard.totals.bytesSent)
      expect(p99[label]).toBeCloseTo((shard.latency.corrected.percentilesMs['99'] as number) / 1000, 9)
    })
    const total = await query(`sum by (testid) (loadplan_http_reqs_total${selector})`, 'testid')
    expect(total[startAt]).toBe(800)
    // Live pushes happened during the run: the series has more than the final sample.
    const samples = await query(
      `count_over_time(loadplan_http_reqs_total{testid="${startAt}",shard="0/2"}[10m])`,
      'shard',
    )
    expect(samples['0/2']).toBeGreaterThan(1)
    const labels = await fetch(
      `${prometheus.url}/api/v1/series?match[]=${encodeURIComponent(`loadplan_http_reqs_total${selector}`)}`,
    ).then((r) => r.json() as Promise<{data: Array<Record<string, string>>}>)
    expect(labels.data[0]).toMatchObject({plan: target.url, scenario: 'default', testid: startAt})
  }, 60_000)

  it('a receiver that is down costs a warning, not the run', async () => {
    const out = join(dir, 'down.json')
    const {code, stderr} = await runInProcess([
      'run',
      `${target.url}/`,
      '-a',
      '50',
      '--out',
      out,
      '--out',
      `prometheus-rw=http://127.0.0.1:${await unusedPort()}/api/v1/write`,
    ])
    expect(code).toBe(0)
    expect(stderr).toMatch(/final metrics were not sent to Prometheus .*ECONNREFUSED/)
    expect((JSON.parse(readFileSync(out, 'utf8')) as RunResult).totals.completed).toBe(50)
  })

  it('refuses a malformed receiver, a second file and an unknown output, all at once', async () => {
    const {code, stderr} = await runInProcess([
      'run',
      `${target.url}/`,
      '--out',
      'prometheus-rw=ftp://x',
      '--out',
      'a.json',
      '--out',
      'b.json',
      '--out',
      'influxdb=http://x',
    ])
    expect(code).toBe(2)
    expect(stderr).toMatch(/expected prometheus-rw=http/)
    expect(stderr).toMatch(/give one result file/)
    expect(stderr).toMatch(/unknown output/)
  })
})
