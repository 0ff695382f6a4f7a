/**
 * The cases behind the golden outputs. Each runs one command in-process with the clock fixed, so
 * that its stdout, stderr, exit code and written files are the same on every run.
 */
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {stringifyResult} from '../../src/contracts/results/run-result.js'
import {MetricsStore} from '../../src/adapters/store/metrics-store.js'
import {capacityResultFixture, runResultFixture} from '../helpers/fixtures.js'
import {captured, runInProcess, type CommandOutcome} from '../helpers/in-process.js'
import {runDemoPlan} from './run-demo-plan.js'

export type GoldenOutcome = CommandOutcome

/** The clock every case runs at: 2026-11-25 12:00 UTC. */
export const GOLDEN_NOW_MS = Date.UTC(2026, 10, 25, 12)

const ROOT = join(import.meta.dirname, '..', '..')
const EXAMPLE = join(ROOT, 'plans', 'example.yaml')
const TRAFFIC = join(ROOT, 'plans', 'data', 'sample-traffic.csv')
const cli = (args: string[]) => runInProcess(args, {nowMs: GOLDEN_NOW_MS, env: {COLUMNS: '100'}})
/** The demo's capacity: the search measures 2.2 kB per response from the demo service. */
const demoCapacity = () => ({...capacityResultFixture(388), bytesPerResponse: 2183})

function withFiles(outcome: GoldenOutcome, paths: Record<string, string>): GoldenOutcome {
  return {
    ...outcome,
    files: Object.fromEntries(Object.entries(paths).map(([name, path]) => [name, readFileSync(path, 'utf8')])),
  }
}

function fixtures(dir: string): {cap: string; run: string; capNone: string} {
  const cap = join(dir, 'cap.json')
  const capNone = join(dir, 'cap-none.json')
  const run = join(dir, 'run.json')
  writeFileSync(cap, stringifyResult(capacityResultFixture(388)))
  writeFileSync(capNone, stringifyResult(capacityResultFixture(null)))
  writeFileSync(run, stringifyResult(runResultFixture(['p99<50ms', 'errors<1%', 'p50<10ms'])))
  return {cap, run, capNone}
}

/** A week of minutes on an 8-vCPU host: CPU 30 % ten minutes an hour, else 15 %; memory 10 %. */
function headroomDb(dir: string, minutes = 7 * 24 * 60): string {
  const db = join(dir, 'host.db')
  const store = new MetricsStore(db)
  store.setMeta('inventory', {vCpus: 8, physicalCores: 4, memoryGiB: 32, cpuModel: 'test', os: 'test'})
  const start = Date.UTC(2026, 10, 1)
  for (let m = 0; m < minutes; m++) {
    const cpu = m % 60 < 10 ? 30 : 15
    store.write([
      {periodStartMs: start + m * 60_000, metric: 'cpu.busy', mean: cpu, max: cpu + 1, p95: cpu, samples: 60},
      {periodStartMs: start + m * 60_000, metric: 'mem.used_pct', mean: 10 + (m % 7), max: 12, p95: 11, samples: 60},
      {
        periodStartMs: start + m * 60_000,
        metric: 'fs.used_pct{mount=/data,ro}',
        mean: 42.5,
        max: 42.5,
        p95: 42.5,
        samples: 60,
      },
    ])
  }
  store.close()
  return db
}

function headroomCsv(dir: string): string {
  const file = join(dir, 'usage.csv')
  const start = Date.UTC(2026, 10, 1)
  const rows = Array.from(
    {length: 24 * 10},
    (_, h) =>
      `${new Date(start + h * 3_600_000).toISOString()},${(20 + 15 * Math.sin((2 * Math.PI * h) / 24) + h * 0.05).toFixed(2)},${(40 + (h % 5)).toFixed(1)}`,
  )
  writeFileSync(file, `timestamp,cpu,memory\n${rows.join('\n')}\n`)
  return file
}

export const GOLDEN_CASES: Record<string, (dir: string) => Promise<GoldenOutcome>> = {
  'plan-example-history-table': async (dir) =>
    cli(['plan', EXAMPLE, '--capacity', fixtures(dir).cap, '--history', TRAFFIC]),
  'plan-example-history-json': async (dir) =>
    cli(['plan', EXAMPLE, '--capacity', fixtures(dir).cap, '--history', TRAFFIC, '--format', 'json']),
  'plan-example-history-csv': async (dir) =>
    cli(['plan', EXAMPLE, '--capacity', fixtures(dir).cap, '--history', TRAFFIC, '--format', 'csv']),
  'plan-example-history-markdown': async (dir) =>
    cli(['plan', EXAMPLE, '--capacity', fixtures(dir).cap, '--history', TRAFFIC, '--format', 'markdown']),
  'plan-example-html': async (dir) => {
    const html = join(dir, 'plan.html')
    const out = join(dir, 'plan.json')
    return withFiles(
      await cli(['plan', EXAMPLE, '--capacity', fixtures(dir).cap, '--history', TRAFFIC, '--html', html, '--out', out]),
      {'plan.html': html, 'plan.json': out},
    )
  },
  'plan-example-growth-table': async () =>
    cli([
      'plan',
      EXAMPLE,
      '--per-instance',
      '400/s',
      '--instance-type',
      'c7g.large',
      '--peak',
      '10000/s',
      '--growth',
      '5%/mo',
    ]),
  'plan-growth-zones-table': async () =>
    cli([
      'plan',
      '--per-instance',
      '450/s',
      '--instance-type',
      'c7g.large',
      '--peak',
      '1200/s',
      '--growth',
      '8%/mo',
      '--redundancy',
      'zones:3',
    ]),
  'plan-growth-gcp-json': async () =>
    cli([
      'plan',
      '--per-instance',
      '300/s',
      '--vcpus',
      '2',
      '--provider',
      'gcp',
      '--family',
      'e2,n2',
      '--peak',
      '800/s',
      '--growth',
      '3%/mo',
      '--growth-kind',
      'linear',
      '--months',
      '6',
      '--storage-gb',
      '200',
      '--storage-growth',
      '2%/mo',
      '--bytes-per-request',
      '40kB',
      '--format',
      'json',
    ]),
  'plan-bad-input': async () =>
    cli([
      'plan',
      '--provider',
      'ibm',
      '--months',
      '0',
      '--target-utilization',
      '150%',
      '--redundancy',
      'n+x',
      '--risk',
      '70%',
      '--size-on',
      'hi80',
    ]),
  'demo-plan-table': async (dir) =>
    captured(() => runDemoPlan(demoCapacity(), GOLDEN_NOW_MS, 'table', join(dir, 'demo.html')), {
      nowMs: GOLDEN_NOW_MS,
      env: {COLUMNS: '100'},
    }),
  'demo-plan-json': async () =>
    captured(() => runDemoPlan(demoCapacity(), GOLDEN_NOW_MS, 'json'), {nowMs: GOLDEN_NOW_MS, env: {COLUMNS: '100'}}),
  'forecast-table': async () => cli(['forecast', TRAFFIC]),
  'forecast-json': async () => cli(['forecast', TRAFFIC, '--format', 'json', '--horizon', '48h']),
  'forecast-csv': async () => cli(['forecast', TRAFFIC, '--format', 'csv', '--horizon', '24h', '--model', 'ets']),
  'forecast-bad-input': async () => cli(['forecast', '--model', 'magic', '--format', 'xml']),
  'report-run-table': async (dir) => cli(['report', fixtures(dir).run]),
  'report-run-md': async (dir) => cli(['report', fixtures(dir).run, '--format', 'md']),
  'report-run-junit': async (dir) => cli(['report', fixtures(dir).run, '--format', 'junit']),
  'report-run-json': async (dir) => cli(['report', fixtures(dir).run, '--format', 'json']),
  'report-capacity-table': async (dir) => cli(['report', fixtures(dir).cap]),
  'report-capacity-md': async (dir) => cli(['report', fixtures(dir).cap, '--format', 'md']),
  'report-capacity-junit': async (dir) => cli(['report', fixtures(dir).capNone, '--format', 'junit']),
  'catalog-list': async () =>
    cli(['catalog', 'list', '--provider', 'aws', '--family', 'm7g,c7g', '--min-vcpu', '2', '--limit', '8']),
  'catalog-list-json': async () =>
    cli([
      'catalog',
      'list',
      '--provider',
      'gcp',
      '--class',
      'memory',
      '--region',
      'europe-west1',
      '--limit',
      '3',
      '--json',
    ]),
  'catalog-show': async () => cli(['catalog', 'show', 'm7g.xlarge']),
  'catalog-stats': async () => cli(['catalog', 'stats']),
  'headroom-db-table': async (dir) =>
    cli([
      'headroom',
      '--db',
      headroomDb(dir),
      '--profile',
      'batch',
      '--family',
      'm7g,c7g,r7g',
      '--instance-type',
      'm7g.2xlarge',
    ]),
  'headroom-csv-json': async (dir) =>
    cli(['headroom', '--csv', headroomCsv(dir), '--vcpus', '4', '--memory', '16', '--family', 'm7g,c7g', '--json']),
  'monitor-export-json': async (dir) => cli(['monitor', 'export', '--db', headroomDb(dir, 3), '--format', 'json']),
  'monitor-export-csv': async (dir) =>
    cli(['monitor', 'export', '--db', headroomDb(dir, 30), '--metric', 'cpu.', '--since', '2000d']),
}
