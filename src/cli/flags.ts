/**
 * Flags shared by the commands that send load, declared once (G6). Every flag's description
 * states its default and an example; values stay strings here and are parsed and validated
 * together in src/config, so every problem is reported at once.
 */
import {Flags} from '@oclif/core'
import {RUN_DEFAULTS as D, type RunFlags} from '../config/run/run-flags.js'

/** What a request looks like: method, headers, body, data, TLS, timeout, workers. */
export const requestFlags = {
  target: Flags.string({
    description:
      "Base URL that overrides the service file's target:. Default: the file's target. Example: --target http://127.0.0.1:9000",
    env: 'LOADPLAN_TARGET',
    helpValue: 'URL',
  }),
  targets: Flags.string({
    description:
      'Instances of the service (scheme, host, port) that loadplan balances per request. Default: the one target. Example: --targets http://10.0.0.1:80,http://10.0.0.2:80',
    helpValue: 'URLS',
  }),
  balance: Flags.string({
    description:
      'With --targets: round-robin, weighted, least-conn, p2c, hash:KEY (a header or query parameter) or sticky. Default: round-robin. Example: --balance least-conn',
    helpValue: 'POLICY',
  }),
  weights: Flags.string({
    description:
      'With --targets: relative weight per target (weighted, least-conn, p2c). Default: all 1. Example: --weights 2,1,1',
    helpValue: 'LIST',
  }),
  method: Flags.string({
    char: 'm',
    description: `HTTP method. Default: ${D.method}. Example: -m POST`,
    helpValue: 'METHOD',
  }),
  header: Flags.string({
    char: 'H',
    description:
      'Request header, repeatable; values may use placeholders. Default: none. Example: -H "Authorization: Bearer $TOKEN"',
    multiple: true,
    helpValue: 'NAME: VALUE',
  }),
  query: Flags.string({
    char: 'q',
    description:
      'Query parameter, repeatable; values may use placeholders. Default: none. Example: -q "page={{randInt 1 50}}"',
    multiple: true,
    helpValue: 'NAME=VALUE',
  }),
  body: Flags.string({
    char: 'b',
    description: 'Request body (text); may use placeholders. Default: none. Example: -b "name={{uuid}}"',
    helpValue: 'TEXT',
  }),
  'body-file': Flags.string({
    description:
      "Send this file's bytes as the body of every request (read once; no placeholders; up to 1 GiB). Default: none. Example: --body-file upload.bin",
    helpValue: 'FILE',
  }),
  'json-body': Flags.string({
    char: 'j',
    description:
      'Request body as JSON (sets content-type); placeholders are JSON-escaped. Default: none. Example: --json-body \'{"sku":"{{uuid}}"}\'',
    helpValue: 'JSON',
  }),
  'data-file': Flags.string({
    description:
      'CSV file whose rows feed {{data.COLUMN}} placeholders, used in turn. Default: none. Example: --data-file users.csv',
    env: 'LOADPLAN_DATA_FILE',
    helpValue: 'FILE',
  }),
  timeout: Flags.string({
    char: 't',
    description: `Per-request timeout (connect, headers, and between body chunks). Default: ${D.timeout}. Example: -t 2s`,
    env: 'LOADPLAN_TIMEOUT',
    helpValue: 'DURATION',
  }),
  insecure: Flags.boolean({
    char: 'k',
    description: 'Skip TLS certificate verification (self-signed test servers). Default: verify. Example: -k',
    env: 'LOADPLAN_INSECURE',
    allowNo: false,
  }),
  http2: Flags.boolean({
    description:
      'HTTP/2: negotiated by ALPN over https, with prior knowledge (h2c) over http. Default: HTTP/1.1. Example: --http2',
    allowNo: false,
  }),
  client: Flags.string({
    description:
      "The HTTP client: raw (loadplan's own on raw sockets, HTTP/1.1 and HTTP/2; what it cannot send goes to undici or node:http2) or undici. The result names it. Default: raw. Example: --client undici",
    options: ['raw', 'undici'],
    helpValue: 'CLIENT',
  }),
  streams: Flags.string({
    description: 'With --http2: requests in flight per connection, multiplexed. Default: 1. Example: -c 4 --streams 25',
    helpValue: 'N',
  }),
  workers: Flags.string({
    char: 'w',
    description: `Worker threads generating load (use on hosts with spare cores); histograms are merged exactly. Default: ${D.workers}. Example: -w 2`,
    env: 'LOADPLAN_WORKERS',
    helpValue: 'N',
  }),
  redact: Flags.string({
    description:
      'Also redact this header or query parameter in every output (the rule already hides auth, token, secret, password, key, session, signature …); repeatable. Default: the rule only. Example: --redact x-tenant',
    multiple: true,
    helpValue: 'NAME',
  }),
  seed: Flags.string({
    description: 'Seed for scenario picks and {{randInt}}, for repeatable runs. Default: random. Example: --seed 42',
    env: 'LOADPLAN_SEED',
    helpValue: 'N',
  }),
}

/** `-h` as well as `--help` on every command (oclif gives only --help). */
export const helpFlag = {
  help: Flags.help({
    char: 'h',
    description: 'Show this help: every flag with its default and an example. Default: off. Example: -h',
  }),
}

/** Result files for CI, shared by run and capacity. */
export const outputFlags = {
  json: Flags.boolean({
    description:
      'Print the result as JSON on stdout instead of the summary table. Default: off. Example: --json > result.json',
    default: false,
  }),
  out: Flags.string({
    char: 'o',
    description:
      'Also write the result JSON to FILE (written even when interrupted). Default: none. Example: --out result.json',
    helpValue: 'FILE',
  }),
  junit: Flags.string({
    description:
      'Write a JUnit XML report (one test case per threshold or SLO objective) to FILE. Default: none. Example: --junit loadplan.xml',
    helpValue: 'FILE',
  }),
  markdown: Flags.string({
    description:
      'Write a Markdown summary to FILE; with GITHUB_STEP_SUMMARY set it is also appended there. Default: none. Example: --markdown summary.md',
    helpValue: 'FILE',
  }),
  quiet: Flags.boolean({
    description:
      'No progress lines on stderr. Default: progress every 1 s on a terminal, every 10 s otherwise. Example: --quiet',
    default: false,
  }),
}

type RequestFlagValues = {
  [K in keyof typeof requestFlags]?: K extends 'insecure' | 'http2'
    ? boolean
    : K extends 'header' | 'query' | 'redact'
      ? string[]
      : string
}

/** Renames the request flags into the option names of src/config. */
export function requestFlagsToRunFlags(flags: RequestFlagValues): RunFlags {
  return {
    target: flags.target,
    targets: flags.targets,
    balance: flags.balance,
    weights: flags.weights,
    method: flags.method,
    header: flags.header,
    query: flags.query,
    body: flags.body,
    json: flags['json-body'],
    bodyFile: flags['body-file'],
    dataFile: flags['data-file'],
    timeout: flags.timeout,
    insecure: flags.insecure || undefined,
    http2: flags.http2 || undefined,
    client: flags.client,
    streams: flags.streams,
    workers: flags.workers,
    seed: flags.seed,
    redact: flags.redact,
  }
}

/** Flags of the catalog commands. */
export const catalogFlags = {
  catalog: Flags.string({
    description:
      'A catalog file of your own (same schema, e.g. negotiated prices) that overrides or extends the shipped one. Default: the shipped catalog. Example: --catalog my-prices.json',
    env: 'LOADPLAN_CATALOG',
    helpValue: 'FILE',
  }),
  json: Flags.boolean({description: 'Print JSON instead of a table. Default: off. Example: --json', default: false}),
}

/** Your own prices (discounts, negotiated and commitment rates) over the catalog's. */
export const priceBookFlag = {
  'price-book': Flags.string({
    description:
      'A price book (YAML or CSV) of what you pay: rules of provider, region (or *), match (a type, a family or *), kind (on-demand, 1yr, 3yr, spot) and a discount off the on-demand list price or a priceUsdPerHour; the most specific rule wins and the plan names each one. Default: list prices. Example: --price-book prices.yaml',
    env: 'LOADPLAN_PRICE_BOOK',
    helpValue: 'FILE',
  }),
}
