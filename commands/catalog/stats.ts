import {Command} from '@oclif/core'
import {executeCatalogStats} from '../../src/cli/execute-catalog.js'
import {catalogFlags} from '../../src/cli/flags.js'

export default class CatalogStats extends Command {
  static override summary = 'Count the catalog: types per provider, class and region, storage and egress prices, sources and their dates.'

  static override examples = [{description: 'How big and how old is the catalog?', command: '<%= config.bin %> catalog stats'}]

  static override flags = {...catalogFlags}

  async run(): Promise<void> {
    const {flags} = await this.parse(CatalogStats)
    process.exitCode = executeCatalogStats(flags.catalog, flags.json)
  }
}
