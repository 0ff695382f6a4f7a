import {Args, Command, Flags} from '@oclif/core'
import {helpFlag} from '../../src/cli/flags.js'
import {runCommand} from '../../src/cli/run-command.js'

export default class ImportHar extends Command {
  static override summary = 'Turn a HAR recording (browser network log) into a service file of journeys.'

  static override description = `Keeps the requests to one origin (the first request's, or --host), drops images, scripts,
styles and fonts (unless --assets), and makes each page a journey: its requests as steps with
method, path, query, headers and body, the recorded pauses as think times, the recorded status
as a check. A value an earlier response's JSON held (a token, an id) becomes {{vars.x}},
extracted from that response, so each virtual user gets its own; other credentials become
{{env.NAME}} (set them before running) and cookies ride in each user's cookie jar.`

  static override examples = [
    {
      description: 'A recorded checkout, written as a service file, then run',
      command: '<%= config.bin %> import har checkout.har --out checkout.yaml && <%= config.bin %> run checkout.yaml',
    },
    {
      description: 'Only the API calls, as one journey across pages',
      command: '<%= config.bin %> import har session.har --include "/api/" --one-journey',
    },
  ]

  static override args = {
    file: Args.string({
      description:
        'A HAR file (HAR 1.2: a browser\'s "Save all as HAR", or Playwright\'s recordHar). Example: checkout.har',
      required: true,
    }),
  }

  static override flags = {
    ...helpFlag,
    out: Flags.string({
      char: 'o',
      description: 'Write the service file here. Default: stdout. Example: --out checkout.yaml',
      helpValue: 'FILE',
    }),
    host: Flags.string({
      description:
        "Keep requests to this host (host or host:port); repeatable. Default: the first request's host. Example: --host shop.example.com",
      multiple: true,
      helpValue: 'HOST',
    }),
    include: Flags.string({
      description: 'Keep only URLs matching this regular expression. Default: all. Example: --include "/api/"',
      helpValue: 'REGEX',
    }),
    exclude: Flags.string({
      description: 'Leave out URLs matching this regular expression. Default: none. Example: --exclude "/metrics"',
      helpValue: 'REGEX',
    }),
    assets: Flags.boolean({
      description: 'Keep images, scripts, stylesheets, fonts and media. Default: off. Example: --assets',
      default: false,
    }),
    'one-journey': Flags.boolean({
      description:
        'One journey for the whole recording instead of one per page (a session across pages). Default: off. Example: --one-journey',
      default: false,
    }),
    quiet: Flags.boolean({
      description:
        'No progress lines on stderr. Default: a line a second once an import has taken a second. Example: --quiet',
      default: false,
    }),
    think: Flags.boolean({
      description: 'Pauses from the recording as think times (--no-think: none). Default: on. Example: --no-think',
      default: true,
      allowNo: true,
    }),
  }

  async run(): Promise<void> {
    const {importHarFile} = await import('../../src/app/import-har.js')
    const {progressLines} = await import('../../src/cli/progress-lines.js')
    const {args, flags} = await this.parse(ImportHar)
    const progress = progressLines(process.stderr)
    await runCommand('Cannot import:', async () => {
      const outcome = await importHarFile({
        onProgress: flags.quiet ? undefined : (line) => progress.show(line),
        file: args.file,
        out: flags.out,
        host: flags.host,
        include: flags.include,
        exclude: flags.exclude,
        assets: flags.assets,
        oneJourney: flags['one-journey'],
        think: flags.think,
      }).finally(() => progress.end())
      if (outcome.document.out === undefined) process.stdout.write(outcome.document.yaml)
      for (const warning of outcome.warnings) process.stderr.write(`${warning}\n`)
      return outcome.exitCode
    })
  }
}
