/** The catalog a command uses: the shipped one, with a user catalog (--catalog) and a price book (--price-book) over it. */
import {readFileSync} from 'node:fs'
import {basename} from 'node:path'
import {mergeCatalogs} from '../../core/catalog/catalog-lookup.js'
import type {Catalog} from '../../core/catalog/catalog-schema.js'
import {shippedCatalog} from '../../core/catalog/shipped-catalog.js'
import {InputError, problemsFromZod} from '../../contracts/errors.js'

/**
 * The shipped catalog, with a user catalog over it, then a price book over both; the schema (zod)
 * loads only for a user catalog or a book.
 * @param priceBook the book's path and how problems name it (`--price-book`, `plan.priceBook`)
 */
export async function loadCatalog(userPath?: string, priceBook?: {path: string; field: string}): Promise<Catalog> {
  const catalog = await loadUserCatalog(userPath)
  if (priceBook === undefined) return catalog
  const records = await readPriceBook(priceBook.path, priceBook.field)
  const {applyPriceBook} = await import('../../core/catalog/price-book.js')
  const applied = applyPriceBook(catalog, records, priceBook.field, basename(priceBook.path))
  if (applied.problems.length > 0)
    throw new InputError(
      `${priceBook.path} is not a price book loadplan can apply (see loadplan plan --help, --price-book):`,
      applied.problems,
    )
  return applied.catalog
}

/**
 * A price book's records: YAML (`prices:` a list of rules) or CSV (a header of provider, region,
 * match, kind, discount, priceUsdPerHour, note; a rule a row, empty cells left out).
 */
async function readPriceBook(path: string, field: string): Promise<unknown> {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new InputError('Cannot read the price book:', [
      {field, value: path, message: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown'})`},
    ])
  }
  const csv = /\.csv$/i.test(path)
  try {
    if (csv) {
      // Parsers load only for a book: most commands never read one.
      const {parse: parseCsv} = await import('csv-parse/sync')
      const rows = parseCsv(text, {columns: true, skip_empty_lines: true, trim: true, bom: true}) as Array<
        Record<string, string>
      >
      return {prices: rows.map((row) => Object.fromEntries(Object.entries(row).filter(([, v]) => v !== '')))}
    }
    const {parse: parseYaml} = await import('yaml')
    return parseYaml(text) as unknown
  } catch (error) {
    throw new InputError('Cannot read the price book:', [
      {
        field,
        value: path,
        message: `not valid ${csv ? 'CSV' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`,
      },
    ])
  }
}

async function loadUserCatalog(userPath?: string): Promise<Catalog> {
  if (userPath === undefined) return shippedCatalog
  let data: unknown
  try {
    data = JSON.parse(readFileSync(userPath, 'utf8'))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new InputError(`Cannot read the catalog ${userPath}:`, [
      {
        field: '--catalog',
        value: userPath,
        message: code ? `cannot be read (${code})` : `not JSON (${(error as Error).message})`,
      },
    ])
  }
  const {userCatalogSchema} = await import('../../core/catalog/catalog-schema.js')
  const parsed = userCatalogSchema.safeParse(data)
  if (!parsed.success)
    throw new InputError(
      `${userPath} is not a valid catalog (same schema as the shipped one; see loadplan catalog --help):`,
      problemsFromZod(parsed.error.issues, data, ''),
    )
  return mergeCatalogs(shippedCatalog, parsed.data)
}
