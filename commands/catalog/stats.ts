import {Command} from '@oclif/core'
import {emit, runCommand} from '../../src/cli/run-command.js'
import {catalogFlags, helpFlag} from '../../src/cli/flags.js'

export default class CatalogStats extends Command {
  static override summary =
    'Count the catalog: types per provider, class and region, storage and egress prices, sources and their dates.'

  static override examples = [
    {description: 'How big and how old is the catalog?', command: '<%= config.bin %> catalog stats'},
  ]

  static override flags = {...catalogFlags, ...helpFlag}

  async run(): Promise<void> {
    // Loaded here, not at start-up: `--help` and other commands never pay for them.
    const {catalogStatistics} = await import('../../src/app/catalog.js')
    const {renderCatalogStats} = await import('../../src/report/catalog-views.js')
    const {flags} = await this.parse(CatalogStats)
    await runCommand('Cannot read the catalog:', async () => {
      const outcome = await catalogStatistics({catalog: flags.catalog, nowMs: Date.now()})
      const {catalog, stats} = outcome.document
      return emit(outcome, flags.json ? `${JSON.stringify(stats, null, 2)}\n` : renderCatalogStats(catalog, stats))
    })
  }
}
