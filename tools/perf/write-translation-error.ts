/**
 * Writes src/core/catalog/data/translation-error.json: how far the performance table carries a
 * capacity from one type to another off, measured on the table itself (see
 * src/core/catalog/translation-error.ts). Run after the perf table or the catalog changes:
 *
 *   npm run perf:translation-error
 */
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {shippedCatalog} from '../../src/core/catalog/shipped-catalog.js'
import {shippedPerfTable} from '../../src/core/catalog/perf-table.js'
import {measureTranslationError} from '../../src/core/catalog/translation-error.js'

const out = join(import.meta.dirname, '..', '..', '..', 'src', 'core', 'catalog', 'data', 'translation-error.json')
const table = measureTranslationError(shippedPerfTable, shippedCatalog)
writeFileSync(out, `${JSON.stringify(table, null, 2)}\n`)
for (const [basis, byClass] of Object.entries(table.errors))
  for (const [pair, s] of Object.entries(byClass))
    process.stdout.write(
      `${basis.padEnd(10)} ${pair.padEnd(6)} ${String(s.pairs).padStart(7)} pairs  P10 ${((Math.exp(s.p10) - 1) * 100).toFixed(0)} %  P90 +${((Math.exp(s.p90) - 1) * 100).toFixed(0)} %\n`,
    )
process.stdout.write(`wrote ${out}\n`)
