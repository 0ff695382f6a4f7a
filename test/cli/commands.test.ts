/**
 * Every command from the built binary, as users run it: one call each, --help and -h, oclif's
 * own flag errors and a mistyped command. Nothing here measures time, so it runs in parallel.
 */
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {stringifyResult} from '../../src/contracts/results/run-result.js'
import {runCli} from '../helpers/cli.js'
import {capacityResultFixture} from '../helpers/fixtures.js'

const tmp = () => mkdtempSync(join(tmpdir(), 'loadplan-commands-'))

describe('loadplan --help', () => {
  it('lists the commands', async () => {
    const {code, stdout} = await runCli(['--help'])
    expect(code).toBe(0)
    expect(stdout).toMatch(/run\s+Send HTTP load/)
  })

  it('teaches every flag of run with a default and an example', async () => {
    const {code, stdout} = await runCli(['run', '--help'])
    expect(code).toBe(0)
    const flagBlocks =
      stdout
        .split('FLAGS')[1]
        ?.split('DESCRIPTION')[0]
        ?.split(/\n(?= {2}-\w, --| {6}--)/)
        .slice(1) ?? []
    expect(flagBlocks.length).toBeGreaterThanOrEqual(25)
    for (const block of flagBlocks) {
      const text = block.replace(/\s+/g, ' ')
      expect(text, text).toMatch(/Default: /)
      expect(text, text).toMatch(/Example: /)
    }
    expect(stdout).toContain('EXAMPLES')
  })
})

describe('every command from the built binary', () => {
  const root = join(import.meta.dirname, '..', '..')
  const traffic = join(root, 'plans', 'data', 'sample-traffic.csv')
  it.each([
    [
      'plan',
      [
        'plan',
        '--per-instance',
        '450/s',
        '--instance-type',
        'c7g.large',
        '--peak',
        '1200/s',
        '--growth',
        '8%/mo',
        '--json',
      ],
      /"schema": "loadplan\/capacity-plan"/,
    ],
    [
      'forecast',
      ['forecast', traffic, '--format', 'csv', '--horizon', '24h'],
      /^timestamp,forecast,lo80,hi80,lo95,hi95\n/,
    ],
    ['catalog', ['catalog', 'show', 'm7g.large', '--json'], /"type": "m7g\.large"/],
    ['report', ['report', 'CAP', '--format', 'md'], /### loadplan capacity/],
    [
      'headroom',
      ['headroom', '--csv', 'USAGE', '--vcpus', '4', '--memory', '16', '--json'],
      /"schema": "loadplan\/headroom"/,
    ],
  ])('%s answers with exit 0 and its output on stdout', async (_name, args, expected) => {
    const dir = tmp()
    writeFileSync(join(dir, 'cap.json'), stringifyResult(capacityResultFixture(388)))
    const start = Date.UTC(2026, 10, 1)
    writeFileSync(
      join(dir, 'usage.csv'),
      `timestamp,cpu,memory\n${Array.from({length: 48}, (_, h) => `${new Date(start + h * 3_600_000).toISOString()},${20 + (h % 24)},40`).join('\n')}\n`,
    )
    const resolved = args.map((a) => (a === 'CAP' ? join(dir, 'cap.json') : a === 'USAGE' ? join(dir, 'usage.csv') : a))
    const {code, stdout, stderr} = await runCli(resolved)
    expect(code, stderr).toBe(0)
    expect(stdout).toMatch(expected)
  })
})

describe('help and mistyped commands', () => {
  it('rejects an unknown flag with exit 2 in a few lines: the nearest flag, and where the help is', async () => {
    const {code, stdout, stderr} = await runCli(['run', 'http://127.0.0.1:1/', '--conections', '5'])
    expect(code).toBe(2)
    expect(stderr).toMatch(
      /Nonexistent flag: --conections\n.*--conections: did you mean --connections\?\n.*loadplan run --help lists every flag/,
    )
    // Not the command's whole help (a hundred lines that buried the error).
    expect(stderr).not.toContain('USAGE')
    expect(stderr.trim().split('\n').length).toBeLessThanOrEqual(4)
    expect(stdout).toBe('')
  })

  it('-h shows help on every command, forecast included (its --horizon has no short flag)', async () => {
    for (const args of [
      ['forecast', '-h'],
      ['catalog', 'list', '-h'],
    ]) {
      const {code, stdout} = await runCli(args)
      expect(code, args.join(' ')).toBe(0)
      expect(stdout).toContain('USAGE')
    }
  })

  it('suggests the nearest command for a typo and exits 2', async () => {
    const {code, stderr} = await runCli(['capacty'])
    expect(code).toBe(2)
    expect(stderr).toContain('"capacty" is not a loadplan command. Did you mean "loadplan capacity"?')
  })
})
