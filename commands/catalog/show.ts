import {Args, Command} from '@oclif/core'
import {emit, runCommand} from '../../src/cli/run-command.js'
import {catalogFlags, helpFlag, priceBookFlag} from '../../src/cli/flags.js'

export default class CatalogShow extends Command {
  static override summary = 'Show one instance type: size, prices in every region, and where each value comes from.'

  static override examples = [
    {description: 'A Graviton type', command: '<%= config.bin %> catalog show m7g.xlarge'},
    {
      description: 'What you pay for it, with your price book',
      command: '<%= config.bin %> catalog show m7g.large --price-book prices.yaml',
    },
  ]

  static override args = {
    type: Args.string({description: 'Instance type, e.g. m7g.xlarge, n2-standard-4, Standard_D4s_v5', required: true}),
  }

  static override flags = {...catalogFlags, ...priceBookFlag, ...helpFlag}

  async run(): Promise<void> {
    // Loaded here, not at start-up: `--help` and other commands never pay for them.
    const {showCatalogType} = await import('../../src/app/catalog.js')
    const {renderInstanceDetails} = await import('../../src/report/catalog-views.js')
    const {args, flags} = await this.parse(CatalogShow)
    await runCommand('Cannot show the type:', async () => {
      const outcome = await showCatalogType({
        type: args.type,
        catalog: flags.catalog,
        priceBook: flags['price-book'],
        nowMs: Date.now(),
      })
      const {catalog, instance, perf, perfSource, priceDates} = outcome.document
      return emit(
        outcome,
        flags.json
          ? `${JSON.stringify({...instance, priceDates, perf: perf ?? null}, null, 2)}\n`
          : renderInstanceDetails(catalog, instance, perf, perfSource),
      )
    })
  }
}
