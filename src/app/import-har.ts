/**
 * `loadplan import har FILE`: reads a HAR recording, turns it into a service file (importers/),
 * checks that the file resolves as `run` would read it, and writes it.
 */
import {basename} from 'node:path'
import {stringify} from 'yaml'
import {parseHar, resolveHarImportOptions, type HarImportFlags} from '../config/har-file.js'
import {resolveRunOptions} from '../config/run/resolve-run-options.js'
import {parseServiceFile} from '../config/service-file.js'
import {EXIT, ProblemList} from '../contracts/errors.js'
import {importHar} from '../core/importers/har-import.js'
import {readJsonFile} from '../adapters/io/read-input-file.js'
import {checkWritable, writeTextFile} from '../adapters/io/write-output.js'
import type {AppResult} from './app-result.js'

export interface ImportHarInput extends HarImportFlags {
  file: string
  out?: string | undefined
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
  const har = parseHar((read as {data: unknown}).data, input.file)
  const imported = importHar(har, options)
  if (imported.kept === 0)
    problems.add(
      'file',
      `no request to keep (${imported.dropped.otherHost} to other hosts, ${imported.dropped.asset} assets, ${imported.dropped.filtered} filtered out); name the host with --host, or add --assets`,
      input.file,
    )
  problems.throwIfAny('Cannot import:')
  const header = [
    `Imported by loadplan from ${basename(input.file)}: ${imported.kept} requests to ${imported.origin} (left out: ${imported.dropped.otherHost} to other hosts, ${imported.dropped.asset} assets, ${imported.dropped.filtered} filtered).`,
    "Values an earlier response held are extracted into {{vars.…}}; credentials come from {{env.…}}; cookies ride in each user's jar.",
    'load: replays each journey once; raise connections and amount (or use --arrival-rate) for load.',
  ]
  const yaml = `${header.map((line) => `# ${line}`).join('\n')}\n${stringify(imported.service, {lineWidth: 0, aliasDuplicateObjects: false})}`
  // The file must run as written: resolve it as `run` would, with stand-ins for the variables.
  const env = Object.fromEntries(imported.env.map((e) => [e.name, 'x']))
  resolveRunOptions({file: parseServiceFile(yaml, 'the imported file'), fileName: 'the imported file', flags: {}, env})
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
