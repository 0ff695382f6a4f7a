/**
 * `loadplan import har`: the HAR file's shape (what the importer reads of it, checked with zod so
 * that a broken file is bad input naming the field) and the command's options. Loaded only by
 * that command.
 */
import {z} from 'zod'
import {InputError, type ProblemList, problemsFromZod} from '../contracts/errors.js'
import type {Har, HarImportOptions} from '../core/importers/har-import.js'

const header = z.looseObject({name: z.string(), value: z.string()})
const entry = z.looseObject({
  pageref: z.string().optional(),
  startedDateTime: z.string(),
  time: z.number(),
  request: z.looseObject({
    method: z.string(),
    url: z.string(),
    headers: z.array(header),
    postData: z.looseObject({mimeType: z.string().optional(), text: z.string().optional()}).optional(),
  }),
  response: z.looseObject({
    status: z.number(),
    content: z
      .looseObject({mimeType: z.string().optional(), text: z.string().optional(), encoding: z.string().optional()})
      .optional(),
  }),
  _resourceType: z.string().optional(),
})
const harShape = z.looseObject({
  log: z.looseObject({
    pages: z.array(z.looseObject({id: z.string(), title: z.string().optional()})).optional(),
    entries: z.array(entry),
  }),
})

/** The HAR, or InputError listing every field that is not what a HAR 1.2 file has. */
export function parseHar(data: unknown, fileName: string): Har {
  const parsed = harShape.safeParse(data)
  if (!parsed.success)
    throw new InputError(
      `${fileName} is not a HAR file (export one from the browser's network panel, or Playwright's recordHar):`,
      problemsFromZod(parsed.error.issues, data, ''),
    )
  return parsed.data as Har
}

export interface HarImportFlags {
  host?: string[] | undefined
  assets?: boolean
  include?: string | undefined
  exclude?: string | undefined
  oneJourney?: boolean
  think?: boolean
}

function regex(problems: ProblemList, field: string, text: string | undefined): RegExp | undefined {
  if (text === undefined) return undefined
  try {
    return new RegExp(text)
  } catch (error) {
    problems.add(field, `not a regular expression: ${(error as Error).message}`, text)
    return undefined
  }
}

export function resolveHarImportOptions(flags: HarImportFlags, problems: ProblemList): HarImportOptions {
  const options: HarImportOptions = {
    assets: flags.assets === true,
    oneJourney: flags.oneJourney === true,
    think: flags.think !== false,
  }
  const include = regex(problems, '--include', flags.include)
  const exclude = regex(problems, '--exclude', flags.exclude)
  if (include) options.include = include
  if (exclude) options.exclude = exclude
  if (flags.host && flags.host.length > 0) options.hosts = flags.host
  return options
}
