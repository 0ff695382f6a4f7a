/** The catalog a command uses: the shipped one, with a user catalog (--catalog) over it. */
import {readFileSync} from 'node:fs'
import {mergeCatalogs} from '../../core/catalog/catalog-lookup.js'
import type {Catalog} from '../../core/catalog/catalog-schema.js'
import {shippedCatalog} from '../../core/catalog/shipped-catalog.js'
import {InputError, problemsFromZod} from '../../contracts/errors.js'

/** The shipped catalog, with a user catalog over it; the schema (zod) loads only for a user catalog. */
export async function loadCatalog(userPath?: string): Promise<Catalog> {
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
