/**
 * `loadplan import har FILE`: reads a HAR recording, turns it into a service file (importers/),
 * checks that the file resolves as `run` would read it, and writes it.
 */
import {basename} from 'node:path'
import {stringify} from 'yaml'
import {parseHar, resolveHarImportOptions, type HarImportFlags} from '../config/har-file.js'
import {resolveRunOptions} from '../config/run/resolve-run-options.js'
import {validateServiceFile} from '../config/service-file.js'
import {EXIT, ProblemList} from '../contracts/errors.js'
import {importHar} from '../core/importers/har-import.js'
import {readJsonFile} from '../adapters/io/read-input-file.js'
import {checkWritable, writeTextFile} from '../adapters/io/write-output.js'
import type {AppResult} from './app-result.js'

export interface ImportHarInput extends HarImportFlags {
  file: string
  out?: string | undefined
  /** Told how a long import is going: at most a line a second, none for an import under a second. */
  onProgress?: (line: string) => void
  /** How often a count within a stage is told; default 1 s (tests use 0). */
  progressIntervalMs?: number
}

const PROGRESS_INTERVAL_MS = 1000

/**
 * Progress lines for a synchronous import: nothing for the first second; then each new stage as it
 * starts (a stage can run long with nothing to count) and counts within a stage once a second.
 */
function throttledProgress(onProgress: ((line: string) => void) | undefined, intervalMs: number) {
  const startedMs = performance.now()
  let shownMs = startedMs
  return (line: () => string, stage = false) => {
    if (!onProgress) return
    const nowMs = performance.now()
    if (nowMs - startedMs < intervalMs || (!stage && nowMs - shownMs < intervalMs)) return
    shownMs = nowMs
    onProgress(`${line()} · ${((nowMs - startedMs) / 1000).toFixed(0)} s`)
  }
}

export interface ImportHarDocument {
  yaml: string
  out?: string
}

export async function importHarFile(input: ImportHarInput): Promise<AppResult<ImportHarDocument>> {
  const problems = new ProblemList()
  const read = readJsonFile(input.file, 'a browser or Playwright (HAR 1.2)')
  if ('error' in read) problems.add('file', read.error, input.file)
  const options = resolveHarImportOptions(input, problems)
  if (input.out !== undefined) {
    const why = checkWritable(input.out)
    if (why) problems.add('--out', why, input.out)
  }
  problems.throwIfAny('Cannot import:')
  const progress = throttledProgress(input.onProgress, input.progressIntervalMs ?? PROGRESS_INTERVAL_MS)
  const har = parseHar((read as {data: unknown}).data, input.file)
  const kept = (done: number, total: number) =>
    `import har: ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} requests turned into steps`
  progress(() => `import har: read ${har.log.entries.length.toLocaleString('en-US')} recorded requests`)
  const imported = importHar(har, {...options, onStep: (done, total) => progress(() => kept(done, total))})
  if (imported.kept === 0)
    problems.add(
      'file',
      `no request to keep (${imported.dropped.otherHost} to other hosts, ${imported.dropped.asset} assets, ${imported.dropped.filtered} filtered out); name the host with --host, or add --assets`,
      input.file,
    )
  problems.throwIfAny('Cannot import:')
  progress(() => 'import har: writing the service file', true)
  const header = [
    `Imported by loadplan from ${basename(input.file)}: ${imported.kept} requests to ${imported.origin} (left out: ${imported.dropped.otherHost} to other hosts, ${imported.dropped.asset} assets, ${imported.dropped.filtered} filtered).`,
    "Values an earlier response held are extracted into {{vars.…}}; credentials come from {{env.…}}; cookies ride in each user's jar.",
    'load: replays each journey once; raise connections and amount (or use --arrival-rate) for load.',
  ]
  const yaml = `${header.map((line) => `# ${line}`).join('\n')}\n${stringify(imported.service, {lineWidth: 0, aliasDuplicateObjects: false})}`
  // The file must run as written: resolve it as `run` would, with stand-ins for the variables
  // (from the data the YAML was written from: the yaml library reads back what it writes, and a
  // second parse of a long journey took longer than the import).
  progress(() => 'import har: checking that the service file runs as written', true)
  const env = Object.fromEntries(imported.env.map((e) => [e.name, 'x']))
  resolveRunOptions({
    file: validateServiceFile(imported.service, 'the imported file'),
    fileName: 'the imported file',
    flags: {},
    env,
  })
  const warnings =
    imported.env.length > 0
      ? [
          `Set before running: ${imported.env.map((e) => `${e.name} (the ${e.header} header or parameter)`).join(', ')}; the recorded values are not in the file.`,
        ]
      : []
  const document: ImportHarDocument = {yaml}
  if (input.out !== undefined) {
    const failure = writeTextFile(input.out, yaml)
    if (failure)
      return {document, warnings: [...warnings, `could not write ${input.out}: ${failure}`], exitCode: EXIT.badInput}
    document.out = input.out
  }
  return {document, warnings, exitCode: EXIT.ok}
}
