import {Command, Flags} from '@oclif/core'
import {emit, runCommand} from '../../src/cli/run-command.js'
import {catalogFlags, helpFlag} from '../../src/cli/flags.js'

export default class CatalogList extends Command {
  static override summary = 'List instance types with their sizes and on-demand prices.'

  static override description =
    'Current-generation types of AWS, GCP and Azure with vCPUs, memory, network, architecture, and the hourly and monthly (730 h) on-demand Linux list price in the default region of each provider (us-east-1, us-central1, eastus) unless --region is given. Cheapest first.'

  static override examples = [
    {
      description: 'Graviton general-purpose types with at least 4 vCPUs',
      command: '<%= config.bin %> catalog list --provider aws --family m7g --min-vcpu 4',
    },
    {
      description: 'The ten cheapest memory-optimised types on GCP in europe-west1',
      command: '<%= config.bin %> catalog list --provider gcp --class memory --region europe-west1 --limit 10',
    },
  ]

  static override flags = {
    ...helpFlag,
    provider: Flags.string({
      description: 'aws, gcp or azure. Default: all. Example: --provider aws',
      helpValue: 'NAME',
    }),
    family: Flags.string({
      description: 'Family, repeatable or comma-separated. Default: all. Example: --family m7g,c7g',
      multiple: true,
      helpValue: 'FAMILY',
    }),
    class: Flags.string({
      description:
        'general, compute, memory, burstable, storage or accelerated; repeatable. Default: all. Example: --class compute',
      multiple: true,
      helpValue: 'CLASS',
    }),
    arch: Flags.string({description: 'x86_64 or arm64. Default: both. Example: --arch arm64', helpValue: 'ARCH'}),
    'min-vcpu': Flags.string({
      description: 'At least this many vCPUs. Default: any. Example: --min-vcpu 4',
      helpValue: 'N',
    }),
    'min-memory': Flags.string({
      description: 'At least this much memory, GiB. Default: any. Example: --min-memory 16',
      helpValue: 'GIB',
    }),
    region: Flags.string({
      description:
        "Price in this region (types not offered there are left out). Default: each provider's default region. Example: --region eu-west-1",
      helpValue: 'REGION',
    }),
    'all-generations': Flags.boolean({
      description: 'Include previous generations. Default: current only. Example: --all-generations',
      default: false,
    }),
    sort: Flags.string({
      description: 'price, vcpu, memory or type (then price). Default: price. Example: --sort vcpu',
      default: 'price',
      helpValue: 'KEY',
    }),
    limit: Flags.string({description: 'Show at most N types. Default: all. Example: --limit 20', helpValue: 'N'}),
    ...catalogFlags,
  }

  async run(): Promise<void> {
    // Loaded here, not at start-up: `--help` and other commands never pay for them.
    const {listCatalog} = await import('../../src/app/catalog.js')
    const {renderCatalogList} = await import('../../src/report/catalog-views.js')
    const {flags} = await this.parse(CatalogList)
    await runCommand('Cannot list the catalog:', async () => {
      const outcome = await listCatalog({
        provider: flags.provider,
        family: flags.family,
        class: flags.class,
        arch: flags.arch,
        minVcpu: flags['min-vcpu'],
        minMemory: flags['min-memory'],
        region: flags.region,
        allGenerations: flags['all-generations'],
        sort: flags.sort,
        limit: flags.limit,
        catalog: flags.catalog,
        nowMs: Date.now(),
      })
      return emit(outcome, renderCatalogList(outcome.document, flags.json))
    })
  }
}
