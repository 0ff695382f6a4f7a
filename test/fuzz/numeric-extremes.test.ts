/**
 * Numeric extremes × every numeric input (issue 35): each value flag of plan, headroom, simulate
 * and forecast, set in turn to each extreme a user or a script could pass, over a working command
 * line. Every case ends as bad input (exit 2), or in a JSON document whose figures are all finite:
 * no figure that was a number in the base run turns into null (JSON's Infinity and NaN), and no
 * text figure reads NaN or Infinity. Exhaustive over flags × extremes rather than random, so that
 * every input is tried.
 */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {COMMANDS} from '../../commands/index.js'
import {runInProcess} from '../helpers/in-process.js'

const dir = mkdtempSync(join(tmpdir(), 'loadplan-extremes-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

const series = join(dir, 'series.csv')
writeFileSync(
  series,
  `time,value\n${Array.from(
    {length: 24 * 15},
    (_, i) =>
      `${new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString()},${100 + 40 * Math.sin((2 * Math.PI * i) / 24) + i / 10}`,
  ).join('\n')}\n`,
)
const utilisation = join(dir, 'utilisation.csv')
writeFileSync(
  utilisation,
  `time,cpu,memory\n${Array.from(
    {length: 24 * 3},
    (_, i) => `${new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString()},${30 + (i % 24)},${50 + (i % 7)}`,
  ).join('\n')}\n`,
)

const EXTREMES = ['1e308', '-1', '0', '1e-320', '9'.repeat(40), '1e308%', '1e308/s', '-5%/mo', '1e308%/mo', '1e308GiB']

const CASES: Record<string, {argv: string[]; base: Record<string, string>; skip: Set<string>}> = {
  plan: {
    argv: ['plan'],
    base: {peak: '300/s', growth: '5%/mo', 'per-instance': '100/s', vcpus: '2', family: 'c7g', months: '6'},
    skip: new Set(['out', 'html', 'history', 'recording', 'capacity', 'catalog', 'price-book', 'backtest']),
  },
  headroom: {
    argv: ['headroom'],
    base: {csv: utilisation, vcpus: '2', memory: '4'},
    skip: new Set(['csv', 'db', 'catalog', 'prometheus', 'cpu-query', 'memory-query']),
  },
  simulate: {
    argv: ['simulate'],
    base: {rate: '300/s', 'service-time': 'exp:10ms', concurrency: '2', requests: '2000', 'max-instances': '50'},
    skip: new Set(['capacity', 'arrivals-csv', 'arrivals-recording', 'requests', 'max-instances', 'keys']),
  },
  forecast: {
    argv: ['forecast', series],
    base: {horizon: '2d'},
    skip: new Set(['out', 'html', 'csv']),
  },
}

/** Paths of the nulls in a JSON document (`a.b[2]`). */
function nullPaths(value: unknown, path = '', out = new Set<string>()): Set<string> {
  if (value === null) out.add(path)
  else if (Array.isArray(value)) value.forEach((item) => nullPaths(item, `${path}[]`, out))
  else if (typeof value === 'object') for (const [k, v] of Object.entries(value)) nullPaths(v, `${path}.${k}`, out)
  return out
}

const argsOf = (argv: string[], flags: Record<string, string>) => [
  ...argv,
  ...Object.entries(flags).flatMap(([name, value]) => [`--${name}`, value]),
  '--json',
]

describe('numeric extremes in every numeric flag', () => {
  for (const [command, {argv, base, skip}] of Object.entries(CASES)) {
    const flags = Object.entries(
      (
        COMMANDS[command as keyof typeof COMMANDS] as unknown as {
          flags: Record<string, {type: string; options?: string[]}>
        }
      ).flags,
    )
      .filter(([name, flag]) => flag.type !== 'boolean' && flag.options === undefined && !skip.has(name))
      .map(([name]) => name)
      .filter((name) => name !== 'help' && name !== 'json')

    it(`${command}: ${flags.length} flags × ${EXTREMES.length} extremes end in bad input or finite figures`, async () => {
      const baseline = await runInProcess(argsOf(argv, base))
      expect(baseline.code, baseline.stderr).toBe(0)
      const allowedNulls = nullPaths(JSON.parse(baseline.stdout))
      const failures: string[] = []
      for (const flag of flags)
        for (const extreme of EXTREMES) {
          const args = argsOf(argv, {...base, [flag]: extreme})
          const {code, stdout, stderr} = await runInProcess(args)
          const line = `--${flag} ${extreme}`
          if (/internal error|\n\s+at .*:\d+/.test(stderr)) failures.push(`${line}: crashed`)
          else if (code === 2) continue
          else if (code !== 0 && code !== 3) failures.push(`${line}: exit ${code}`)
          else {
            if (/\bNaN\b|Infinity|∞/.test(stdout)) failures.push(`${line}: NaN or Infinity in the output`)
            let document: unknown
            try {
              document = JSON.parse(stdout)
            } catch {
              failures.push(`${line}: not JSON`)
              continue
            }
            const extra = [...nullPaths(document)].filter((p) => !allowedNulls.has(p))
            if (extra.length > 0) failures.push(`${line}: non-finite figures at ${extra.slice(0, 3).join(', ')}`)
          }
        }
      expect(failures).toEqual([])
    }, 600_000)
  }
})
