/**
 * Property-based fuzzing of the command lines of every command that needs no network and sends no
 * load: random flags (each command's own, from its oclif definition), random values, unknown flags
 * and stray arguments. Every command line ends in output or bad input (exit 2), never a crash.
 * (run and capacity options are fuzzed without sending load in parsers.test.ts.)
 */
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import fc from 'fast-check'
import {afterAll, describe, it} from 'vitest'
import {COMMANDS} from '../../commands/index.js'
import {stringifyResult} from '../../src/contracts/results/run-result.js'
import {MetricsStore} from '../../src/adapters/store/metrics-store.js'
import {capacityResultFixture, runResultFixture} from '../helpers/fixtures.js'
import {expectCleanExit} from './fuzz-commands.js'
import {fuzzParameters, hostileText, quantityText} from './fuzz-settings.js'

const dir = mkdtempSync(join(tmpdir(), 'loadplan-fuzz-argv-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))
const fixture = (name: string, content: string) => {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}
const hours = Array.from(
  {length: 24 * 15},
  (_, i) =>
    `${new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString()},${100 + 40 * Math.sin((2 * Math.PI * i) / 24) + i / 10}`,
)
const utilisation = Array.from(
  {length: 24 * 3},
  (_, i) => `${new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString()},${30 + (i % 24)},${50 + (i % 7)}`,
)
const recording = join(dir, 'host.db')
{
  const store = new MetricsStore(recording)
  store.setMeta('inventory', {vCpus: 2, physicalCores: 1, memoryGiB: 4, cpuModel: 'fuzz', os: 'linux'})
  store.write(
    Array.from({length: 120}, (_, i) => [
      {
        periodStartMs: Date.UTC(2026, 0, 1) + i * 60_000,
        metric: 'cpu.busy',
        mean: 30 + (i % 20),
        max: 60,
        p95: 50,
        samples: 60,
      },
      {
        periodStartMs: Date.UTC(2026, 0, 1) + i * 60_000,
        metric: 'mem.used_pct',
        mean: 40,
        max: 45,
        p95: 44,
        samples: 60,
      },
      {
        periodStartMs: Date.UTC(2026, 0, 1) + i * 60_000,
        metric: 'traffic.requests_per_sec',
        mean: 100 + i,
        max: 200,
        p95: 180,
        samples: 60,
      },
    ]).flat(),
  )
  store.close()
}
mkdirSync(join(dir, 'a-folder'))
const inputFiles = {
  series: fixture('series.csv', `time,value\n${hours.join('\n')}\n`),
  utilisation: fixture('utilisation.csv', `time,cpu,memory\n${utilisation.join('\n')}\n`),
  run: fixture('run.json', stringifyResult(runResultFixture(['p99 < 50ms']))),
  capacity: fixture('capacity.json', stringifyResult(capacityResultFixture(388))),
  recording,
}
const somePath = fc.constantFrom(
  ...Object.values(inputFiles),
  join(dir, 'missing.csv'),
  join(dir, 'a-folder'),
  '/dev/null',
  '',
)
/** Output flags write only inside the scratch folder (or fail there: a folder, a missing folder). */
const outputPath = fc.constantFrom(
  join(dir, 'out.json'),
  join(dir, 'out.html'),
  join(dir, 'a-folder'),
  join(dir, 'missing', 'x.json'),
  '',
)

const INPUT_FLAGS = new Set(['history', 'recording', 'capacity', 'catalog', 'csv', 'db', 'data-file'])
const OUTPUT_FLAGS = new Set(['out', 'html', 'junit', 'markdown'])
/** Flags that would reach the network, and help (oclif prints it outside the command: tested on the binary). */
const EXCLUDED_FLAGS = new Set(['prometheus', 'help'])
/** Flags that only scale the work (a random 10^8 requests would take minutes, not find a bug): kept at BASE. */
const WORK_FLAGS: Partial<Record<string, Set<string>>> = {simulate: new Set(['requests', 'max-instances', 'keys'])}
const GOOD_VALUES = [
  '5%/mo',
  '8%',
  '100/s',
  '1200/s',
  'c7g',
  'm7g',
  'aws',
  'gcp',
  'azure',
  'us-east-1',
  'n+1',
  'zones:3',
  'n+2',
  '7d',
  '48h',
  '12mo',
  '3',
  'json',
  'markdown',
  'md',
  'csv',
  'html',
  'junit',
  'text',
  'hi80',
  'hi95',
  'forecast',
  'auto',
  'linear',
  'batch',
  'web',
  'arm64',
  'x86_64',
  'sum',
  'mean',
  'c7g.large',
  '70%',
  '2',
  '4GiB',
  '16',
  'price',
  'vcpu',
  'compute',
  'general',
]

/** Commands that need no network and send no load, with their positional arguments. */
const COMMAND_IDS = [
  'forecast',
  'plan',
  'headroom',
  'catalog:list',
  'catalog:show',
  'catalog:stats',
  'report',
  'monitor:export',
  'simulate',
] as const
const none = fc.constant<string[]>([])
const positional: Record<(typeof COMMAND_IDS)[number], fc.Arbitrary<string[]>> = {
  forecast: fc.oneof(
    {weight: 3, arbitrary: fc.constant<string[]>([inputFiles.series])},
    {weight: 1, arbitrary: somePath.map((p) => [p])},
    {weight: 1, arbitrary: none},
  ),
  plan: none,
  headroom: none,
  'catalog:list': none,
  'catalog:show': fc.oneof(
    fc.constantFrom('c7g.large', 'm7g.xlarge', 'e2-medium', 'Standard_D2s_v5', 'nope').map((t) => [t]),
    hostileText.map((t) => [t]),
    none,
  ),
  'catalog:stats': none,
  report: fc.oneof(
    {weight: 3, arbitrary: fc.constantFrom<string[]>([inputFiles.run], [inputFiles.capacity])},
    {weight: 1, arbitrary: somePath.map((p) => [p])},
    {weight: 1, arbitrary: none},
  ),
  'monitor:export': none,
  simulate: none,
}

/**
 * A working command line per command: random flags are laid over it (replacing its values), so
 * that most inputs get past "missing input" to the code that computes and renders.
 */
const BASE: Record<(typeof COMMAND_IDS)[number], Record<string, string>> = {
  forecast: {horizon: '2d'},
  plan: {peak: '300/s', growth: '5%/mo', 'per-instance': '100/s', vcpus: '2', family: 'c7g', months: '6'},
  headroom: {csv: inputFiles.utilisation, vcpus: '2', memory: '4'},
  'catalog:list': {limit: '5'},
  'catalog:show': {},
  'catalog:stats': {},
  report: {},
  'monitor:export': {db: recording},
  simulate: {rate: '300/s', 'service-time': 'exp:10ms', concurrency: '2', requests: '2000', 'max-instances': '50'},
}

function flagArguments(id: (typeof COMMAND_IDS)[number]): fc.Arbitrary<string[]> {
  const flags = Object.entries(
    (COMMANDS[id] as unknown as {flags: Record<string, {type: string; options?: string[]}>}).flags,
  ).filter(([name]) => !EXCLUDED_FLAGS.has(name) && !WORK_FLAGS[id]?.has(name))
  const one = fc.constantFrom(...flags).chain(([name, flag]): fc.Arbitrary<[string, string | true]> => {
    if (flag.type === 'boolean') return fc.constant([name, true])
    const value = INPUT_FLAGS.has(name)
      ? somePath
      : OUTPUT_FLAGS.has(name)
        ? outputPath
        : fc.oneof(
            {weight: 6, arbitrary: fc.constantFrom(...(flag.options ?? GOOD_VALUES))},
            {weight: 2, arbitrary: quantityText(['', '%', '/s', 'd', 'h', 'mo', '%/mo', 'GiB'])},
            {weight: 1, arbitrary: hostileText},
          )
    return value.map((v) => [name, v])
  })
  const stray = fc.constantFrom(['--nope'], ['-x'], ['stray'], ['--'], ['--json', '--json'])
  return fc
    .tuple(
      fc.oneof({weight: 3, arbitrary: fc.constant(true)}, {weight: 1, arbitrary: fc.constant(false)}),
      fc.array(one, {maxLength: 3}),
      fc.option(stray, {freq: 8, nil: undefined}),
      fc.boolean(),
    )
    .map(([keepBase, chosen, extra, inline]) => {
      const merged = new Map<string, string | true>(keepBase ? Object.entries(BASE[id]) : [])
      for (const [name, value] of chosen) merged.set(name, value)
      const args = [...merged].flatMap(([name, value]) =>
        value === true ? [`--${name}`] : inline ? [`--${name}=${value}`] : [`--${name}`, value],
      )
      return extra ? [...args, ...extra] : args
    })
}

const commandLine = fc
  .constantFrom(...COMMAND_IDS)
  .chain((id) =>
    fc
      .tuple(fc.constant(id), positional[id], flagArguments(id))
      .map(([command, args, flags]) => [...command.split(':'), ...args, ...flags]),
  )

describe('command lines', () => {
  it('any flags and values for forecast, plan, headroom, catalog, report, monitor export and simulate: output, or bad input', async () => {
    await fc.assert(
      fc.asyncProperty(commandLine, async (argv) => {
        await expectCleanExit(argv)
      }),
      fuzzParameters(100),
    )
  })
})
