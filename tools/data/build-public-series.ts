/**
 * Builds bench/data/public-series/: long public hourly series (a year and more) for backtesting the
 * plan's monthly peaks, from git clones pinned by commit. Re-runnable:
 *
 *   npm run data:public-series -- --pjm <clone of Shrawant13/Energy_Consumption> \
 *     --pjm-load <clone of saptakdutta/timeseries_forecasting> --bike <clone of zdvi/BikeSharing>
 *
 * (bare clones work). Each file is `timestamp,value`, one row per hour, oldest first; the folder's
 * README.md (written here) keeps every file's source, commit, date, licence and what was done to it.
 */
import {execFileSync} from 'node:child_process'
import {mkdirSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

interface Source {
  clone: 'pjm' | 'pjm-load' | 'bike'
  repo: string
  commit: string
  path: string
  file: string
  what: string
  origin: string
  licence: string
  /** Hours kept: [from, to) as ISO dates; the rest is left out to keep the folder small. */
  keep: [string, string]
  read: (text: string) => Array<[number, number]>
  /** Missing hours become this value (a count that is absent because nothing happened); else gaps. */
  fill?: number
  note: string
}

const PJM = {
  repo: 'Shrawant13/Energy_Consumption',
  commit: '81fc4a6008223cd04ceb1819de6bd04545733531',
  origin: 'PJM Interconnection hourly metered load, as published on Kaggle as "Hourly Energy Consumption" (robikscube)',
  licence: 'CC0 1.0 (the Kaggle dataset)',
}

/** "31-12-2004 01:00" or "2004-12-31 01:00:00" or "1998-12-31 1:00": local hours, read as UTC. */
function pjmTime(text: string): number {
  const dmy = /^(\d{2})-(\d{2})-(\d{4}) (\d{1,2}):(\d{2})/.exec(text)
  if (dmy) return Date.UTC(Number(dmy[3]), Number(dmy[2]) - 1, Number(dmy[1]), Number(dmy[4]), Number(dmy[5]))
  const ymd = /^(\d{4})-(\d{2})-(\d{2}) (\d{1,2}):(\d{2})/.exec(text)
  if (ymd) return Date.UTC(Number(ymd[1]), Number(ymd[2]) - 1, Number(ymd[3]), Number(ymd[4]), Number(ymd[5]))
  throw new Error(`unreadable time ${text}`)
}

function readColumns(text: string, time: (row: string[]) => number, value: (row: string[]) => number) {
  return text
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const row = line.trim().split(',')
      return [time(row), value(row)] as [number, number]
    })
}

const pjmRegion = (region: string, name: string): Source => ({
  clone: 'pjm',
  ...PJM,
  path: `${region}_hourly.csv`,
  file: `pjm-${region.toLowerCase()}-load.csv`,
  what: `${name}: electricity load, MW per hour`,
  keep: ['2015-08-01', '2018-08-01'],
  read: (text) =>
    readColumns(
      text,
      (row) => pjmTime(row[0] as string),
      (row) => Number(row[1]),
    ),
  note: 'the last 3 whole years; the hour a clock goes back appears twice in the source and is averaged, the hour it goes forward is a gap',
})

const SOURCES: Source[] = [
  pjmRegion('AEP', 'American Electric Power'),
  pjmRegion('COMED', 'Commonwealth Edison (Chicago)'),
  pjmRegion('DAYTON', 'Dayton Power and Light'),
  pjmRegion('DEOK', 'Duke Energy Ohio/Kentucky'),
  pjmRegion('DOM', 'Dominion Virginia Power'),
  pjmRegion('DUQ', 'Duquesne Light'),
  pjmRegion('EKPC', 'East Kentucky Power Cooperative'),
  {
    clone: 'pjm-load',
    repo: 'saptakdutta/timeseries_forecasting',
    commit: '38bb82b93c7ca993d3a47255e21957827645fbef',
    path: 'pjm_hourly_est.csv',
    file: 'pjm-total-load-1999.csv',
    what: 'PJM system total: electricity load, MW per hour',
    origin: PJM.origin,
    licence: PJM.licence,
    keep: ['1999-01-01', '2001-01-01'],
    read: (text) =>
      readColumns(
        text,
        (row) => pjmTime(row[0] as string),
        (row) => Number(row[1]),
      ),
    note: 'the two whole years 1999 and 2000 it holds; clock changes as above',
  },
  {
    clone: 'bike',
    repo: 'zdvi/BikeSharing',
    commit: '703dd0fbc7f59c8dcd547250c402ed19ee64f391',
    path: 'hour.csv',
    file: 'capital-bikeshare-rentals.csv',
    what: 'Capital Bikeshare (Washington, D.C.): bicycles rented per hour',
    origin: 'UCI Machine Learning Repository, "Bike Sharing" (Fanaee-T and Gama, 2013)',
    licence: 'CC BY 4.0',
    keep: ['2011-01-01', '2013-01-01'],
    // dteday is dd/mm/yy in this copy; hr the hour of the day; cnt the rentals.
    read: (text) =>
      readColumns(
        text,
        (row) => {
          const [d, m, y] = (row[1] as string).split('/').map(Number) as [number, number, number]
          return Date.UTC(2000 + y, m - 1, d, Number(row[5]))
        },
        (row) => Number(row[16]),
      ),
    fill: 0,
    note: 'an hour without rentals has no row in the source and is written as 0 (the longest such stretch: the system shut down for Hurricane Sandy, 2012-10-29/30)',
  },
]

const HOUR_MS = 3_600_000
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19)

function build(source: Source, text: string): {csv: string; rows: number; gaps: number; filled: number} {
  const sums = new Map<number, {sum: number; count: number}>()
  for (const [t, v] of source.read(text)) {
    if (!Number.isFinite(t) || !Number.isFinite(v)) continue
    const s = sums.get(t) ?? {sum: 0, count: 0}
    s.sum += v
    s.count++
    sums.set(t, s)
  }
  const from = Date.parse(`${source.keep[0]}T00:00:00Z`)
  const to = Date.parse(`${source.keep[1]}T00:00:00Z`)
  const lines = ['timestamp,value']
  let gaps = 0
  let filled = 0
  for (let t = from; t < to; t += HOUR_MS) {
    const s = sums.get(t)
    if (s) lines.push(`${iso(t)},${Number((s.sum / s.count).toFixed(3))}`)
    else if (source.fill !== undefined) {
      lines.push(`${iso(t)},${source.fill}`)
      filled++
    } else gaps++
  }
  return {csv: `${lines.join('\n')}\n`, rows: lines.length - 1, gaps, filled}
}

const {values: args} = parseArgs({
  options: {
    pjm: {type: 'string'},
    'pjm-load': {type: 'string'},
    bike: {type: 'string'},
  },
})
const missing = (['pjm', 'pjm-load', 'bike'] as const).filter((c) => !args[c])
if (missing.length > 0) {
  process.stderr.write(`missing ${missing.map((c) => `--${c} <clone>`).join(', ')} (see the header of this script)\n`)
  process.exit(2)
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const out = join(root, 'bench', 'data', 'public-series')
mkdirSync(out, {recursive: true})
const git = (clone: string, ...rest: string[]) =>
  execFileSync('git', ['-C', clone, ...rest], {encoding: 'utf8', maxBuffer: 64 * 1024 * 1024})
const rows: string[] = []
for (const source of SOURCES) {
  const clone = args[source.clone] as string
  const text = git(clone, 'show', `${source.commit}:${source.path}`)
  const date = git(clone, 'show', '-s', '--format=%cs', source.commit).trim()
  const built = build(source, text)
  writeFileSync(join(out, source.file), built.csv)
  const filled = source.fill === undefined ? '' : `, ${built.filled} filled with ${source.fill}`
  process.stdout.write(`${source.file}: ${built.rows} hours, ${built.gaps} gaps${filled}\n`)
  rows.push(
    `| \`${source.file}\` | ${source.what} | ${source.keep[0]} to ${source.keep[1]} (exclusive), ${built.rows} hours, ${built.gaps} gaps${filled} | [${source.repo}](https://github.com/${source.repo}) \`${source.path}\` at \`${source.commit.slice(0, 12)}\` (${date}) | ${source.origin}; ${source.licence} | ${source.note} |`,
  )
}
writeFileSync(
  join(out, 'README.md'),
  `# Public long series

Written by \`tools/data/build-public-series.ts\` (\`npm run data:public-series\`); do not edit by hand.
Long hourly series (two years and more) that the plan backtest (\`npm run bench:plan-backtest\`) scores
the monthly peak distribution on. They are not web traffic: electricity load and bicycle rentals
have the daily, weekly and yearly cycles of human demand, and they are what public git
repositories hold with a licence for years of hours.

Format: \`timestamp,value\`, one row per hour (the timestamp starts the hour, local time of the
source, no zone), oldest first. A gap is an hour without a row.

| file | what | hours | source (pinned) | origin and licence | changes |
|---|---|---|---|---|---|
${rows.join('\n')}
`,
)
