/** The catalog shipped with loadplan (built by tools/catalog/build-catalog.ts; see its sources). */
import data from './data/cloud-catalog.json' with {type: 'json'}
import type {Catalog} from './catalog-schema.js'

// Validated by test/unit/catalog.test.ts against the schema; the JSON type is too wide to check here.
export const shippedCatalog = data as unknown as Catalog
