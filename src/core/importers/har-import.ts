/**
 * A HAR recording (a browser's network log) → a service file: the requests to one origin, each
 * page a journey of steps with the recorded method, path, query, headers and body, the pause
 * before each request as think time, and the recorded status as a check. Two things make the
 * file replay the session rather than repeat it:
 *
 * - Correlation: a header or body value that an earlier response's JSON held (a login token, an
 *   id) becomes `{{vars.x}}`, extracted from that response — a new session gets new values.
 * - Secrets: credential headers not explained by an earlier response (the rule of
 *   contracts/redact.ts) become `{{env.NAME}}`; their recorded values are not written anywhere.
 *   Cookie headers are dropped: each virtual user's cookie jar carries the session.
 *
 * Pure: takes the parsed HAR and options, returns the service file as data plus notes.
 */
import {withoutControlCharacters} from '../../contracts/format/printable.js'
import {decodeFormComponent, isSecretName} from '../../contracts/redact.js'

export interface HarEntry {
  pageref?: string
  startedDateTime: string
  time: number
  request: {
    method: string
    url: string
    headers: Array<{name: string; value: string}>
    postData?: {mimeType?: string; text?: string}
  }
  response: {status: number; content?: {mimeType?: string; text?: string; encoding?: string}}
  _resourceType?: string
}

export interface Har {
  log: {pages?: Array<{id: string; title?: string}>; entries: HarEntry[]}
}

export interface HarImportOptions {
  /** Hosts to keep (host or host:port); default: the first request's. */
  hosts?: readonly string[]
  /** Keep images, scripts, stylesheets, fonts and media. */
  assets?: boolean
  include?: RegExp
  exclude?: RegExp
  /** One journey for the whole recording instead of one per page. */
  oneJourney?: boolean
  /** Think times from the recording's pauses. */
  think?: boolean
  /** Told after each request turned into a step (a long recording takes seconds). */
  onStep?: (doneSteps: number, totalSteps: number) => void
}

export interface HarImport {
  /** The service file, ready for YAML. */
  service: Record<string, unknown>
  /** Environment variables the file needs ({{env.NAME}}), with the header each stands for. */
  env: Array<{name: string; header: string}>
  kept: number
  dropped: {otherHost: number; asset: number; filtered: number}
  origin: string
}

const ASSET_TYPES = new Set(['image', 'stylesheet', 'script', 'font', 'media', 'manifest', 'texttrack'])
const ASSET_EXTENSION = /\.(?:css|js|mjs|map|png|jpe?g|gif|webp|avif|svg|ico|woff2?|ttf|otf|eot|mp4|webm|mp3)$/i
/** Headers a client sets itself, or that describe one connection. */
const DROPPED_HEADERS = new Set([
  'host',
  'connection',
  'content-length',
  'accept-encoding',
  'cookie',
  'user-agent',
  'keep-alive',
  'transfer-encoding',
  'upgrade-insecure-requests',
  'pragma',
  'cache-control',
  'priority',
  'te',
])
const MIN_CORRELATED_LENGTH = 8
const MIN_THINK_MS = 50
const MAX_THINK_MS = 60_000

/** A run of characters between the delimiters of paths, queries, headers and JSON. */
const TOKEN = /[^/?&=,;:\s"'{}[\]()<>|]+/g
const URL_PARAMETER = /([?&;])([^=&;#\s]+)=([^&;#\s]*)/g

function isAsset(entry: HarEntry, url: URL): boolean {
  return ASSET_TYPES.has(entry._resourceType ?? '') || ASSET_EXTENSION.test(url.pathname)
}

/** String values of a JSON document with their paths (`$.a.b[0]`). */
function jsonStrings(
  value: unknown,
  path = '$',
  out: Array<{path: string; value: string}> = [],
): Array<{path: string; value: string}> {
  if (typeof value === 'string' || typeof value === 'number') out.push({path, value: String(value)})
  else if (Array.isArray(value)) value.forEach((item, i) => jsonStrings(item, `${path}[${i}]`, out))
  else if (value !== null && typeof value === 'object')
    for (const [key, item] of Object.entries(value))
      jsonStrings(item, /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}['${key}']`, out)
  return out
}

function responseJson(entry: HarEntry): unknown {
  const content = entry.response.content
  if (!content?.text || !/json/i.test(content.mimeType ?? '')) return undefined
  try {
    return JSON.parse(content.encoding === 'base64' ? Buffer.from(content.text, 'base64').toString() : content.text)
  } catch {
    return undefined
  }
}

function envName(header: string): string {
  return header
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_|_$/g, '')
}

export function importHar(har: Har, options: HarImportOptions = {}): HarImport {
  const dropped = {otherHost: 0, asset: 0, filtered: 0}
  const entries: Array<{entry: HarEntry; url: URL}> = []
  const firstHost = har.log.entries
    .map((e) => (URL.canParse(e.request.url) ? new URL(e.request.url) : undefined))
    .find((u) => u && /^https?:$/.test(u.protocol))?.host
  const hosts = options.hosts && options.hosts.length > 0 ? options.hosts : firstHost ? [firstHost] : []
  for (const entry of [...har.log.entries].sort(
    (a, b) => Date.parse(a.startedDateTime) - Date.parse(b.startedDateTime),
  )) {
    if (!URL.canParse(entry.request.url)) continue
    const url = new URL(entry.request.url)
    if (!/^https?:$/.test(url.protocol)) continue
    if (!hosts.includes(url.host) && !hosts.includes(url.hostname)) dropped.otherHost++
    else if (!options.assets && isAsset(entry, url)) dropped.asset++
    else if ((options.include && !options.include.test(url.href)) || options.exclude?.test(url.href)) dropped.filtered++
    else entries.push({entry, url})
  }
  const origin = entries[0]?.url.origin ?? (hosts[0] ? `https://${hosts[0]}` : 'http://127.0.0.1')
  const env = new Map<string, string>()

  // Journeys: per page (HAR pageref), or one for the whole recording.
  const groups = new Map<string, typeof entries>()
  for (const item of entries) {
    const key = options.oneJourney ? 'journey' : (item.entry.pageref ?? 'journey')
    const group = groups.get(key)
    if (group) group.push(item)
    else groups.set(key, [item])
  }
  const titles = new Map((har.log.pages ?? []).map((p) => [p.id, p.title]))
  const usedNames = new Set<string>()
  let doneSteps = 0
  const scenarios = [...groups.entries()].map(([key, items], g) => {
    // A page title is somebody else's text: control characters (terminal escapes) are dropped,
    // and a title longer than a name may be is cut.
    let name =
      withoutControlCharacters(
        (titles.get(key) ?? (groups.size === 1 ? 'journey' : `page ${g + 1}`)).replace(/^https?:\/\/[^/]+/, ''),
      )
        .replace(/\s+/g, ' ')
        .trim()
        .slice(0, 160) || `page ${g + 1}`
    while (usedNames.has(name)) name = `${name} ${g + 1}`
    usedNames.add(name)
    // Values earlier responses held, by value: the first response to hold one is where it is
    // extracted from. A lookup per token keeps a long recording linear (a scan of every earlier
    // value for every field was quadratic: a 30 MB recording as one journey took minutes).
    const earlierValues = new Map<string, {step: number; path: string}>()
    const extracts = new Map<number, Record<string, {json: string}>>()
    let varCount = 0
    const known = new Map<string, string>() // value → variable
    const variableFor = (value: string): string | undefined => {
      const source = value.length >= MIN_CORRELATED_LENGTH ? earlierValues.get(value) : undefined
      if (source === undefined) return undefined
      let variable = known.get(value)
      if (!variable) {
        variable = `v${++varCount}`
        known.set(value, variable)
        extracts.set(source.step, {...extracts.get(source.step), [variable]: {json: source.path}})
      }
      return variable
    }
    /**
     * Replaces values earlier responses held with {{vars.x}}, noting the extracts they need: the
     * whole text, or any token of it between delimiters (`/orders/ord-123/items`, `Bearer abc`).
     */
    const correlate = (text: string): string => {
      const whole = variableFor(text)
      if (whole !== undefined) return `{{vars.${whole}}}`
      if (text.length < MIN_CORRELATED_LENGTH) return text
      return text.replace(TOKEN, (token) => {
        const variable = variableFor(token)
        return variable === undefined ? token : `{{vars.${variable}}}`
      })
    }
    /** A credential no earlier response explains: an environment variable, its value not written. */
    const secret = (name: string): string => {
      const variable = envName(name)
      env.set(variable, name)
      return `{{env.${variable}}}`
    }
    /** A value under `key` (header, parameter, body field): correlated, else a credential, else as recorded. */
    const field = (key: string, value: string): string => {
      const correlated = correlate(value)
      return correlated === value && isSecretName(key) ? secret(key) : correlated
    }
    /**
     * The same through a JSON body's string values (numbers stay numbers, keys stay keys); a string
     * under a credential's key (`password`, `api_key`…) becomes {{env.…}} like a header.
     */
    const correlateJson = (value: unknown, key = ''): unknown => {
      if (typeof value === 'string') return key === '' ? correlate(value) : field(key, value)
      // A numeric one-time code or PIN is as secret as a string one.
      if (typeof value === 'number' && key !== '' && isSecretName(key)) return secret(key)
      if (Array.isArray(value)) return value.map((item) => correlateJson(item, key))
      if (value !== null && typeof value === 'object')
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, correlateJson(v, k)]))
      return value
    }
    /** A form body (`user=a&password=b`): each credential's value becomes {{env.…}}. */
    const correlateForm = (text: string): string =>
      text
        .split('&')
        .map((pair) => {
          const at = pair.indexOf('=')
          if (at < 0) return correlate(pair)
          const key = decodeFormComponent(pair.slice(0, at))
          const value = pair.slice(at + 1)
          const placed = field(key, decodeFormComponent(value))
          return placed.startsWith('{{env.')
            ? `${pair.slice(0, at)}=${placed}`
            : `${pair.slice(0, at)}=${correlate(value)}`
        })
        .join('&')
    /** A header that holds a URL (Referer, Origin…): its credential parameters become {{env.…}}. */
    const secretParameters = (text: string): string =>
      text.replace(URL_PARAMETER, (match, separator: string, key: string) => {
        const name = decodeFormComponent(key)
        return isSecretName(name) ? `${separator}${key}=${secret(name)}` : match
      })
    const steps = items.map(({entry, url}, i) => {
      const headers: Record<string, string> = {}
      for (const {name: header, value} of entry.request.headers) {
        const lower = header.toLowerCase()
        if (lower.startsWith(':') || lower.startsWith('sec-') || DROPPED_HEADERS.has(lower)) continue
        headers[lower] = secretParameters(field(lower, value))
      }
      const request: Record<string, unknown> = {
        method: entry.request.method.toUpperCase(),
        path: correlate(url.pathname),
      }
      const query = Object.fromEntries([...url.searchParams.entries()].map(([k, v]) => [k, field(k, v)]))
      if (Object.keys(query).length > 0) request.query = query
      if (Object.keys(headers).length > 0) request.headers = headers
      const text = entry.request.postData?.text
      if (text !== undefined && text !== '') {
        let json: unknown
        if (/json/i.test(entry.request.postData?.mimeType ?? '')) {
          try {
            json = JSON.parse(text)
          } catch {
            json = undefined
          }
        }
        if (json !== undefined) {
          request.json = correlateJson(json)
          delete headers['content-type']
          if (Object.keys(headers).length === 0) delete request.headers
        } else if (/x-www-form-urlencoded/i.test(entry.request.postData?.mimeType ?? ''))
          request.body = correlateForm(text)
        else request.body = correlate(text)
      }
      const step: Record<string, unknown> = {name: `${request.method} ${url.pathname}`, request}
      // A step's think time is the pause after its response: the gap before the next request.
      const next = items[i + 1]?.entry
      if (options.think !== false && next) {
        const gapMs = Date.parse(next.startedDateTime) - (Date.parse(entry.startedDateTime) + entry.time)
        if (gapMs >= MIN_THINK_MS) step.think = `${Math.min(MAX_THINK_MS, Math.round(gapMs / 10) * 10)}ms`
      }
      if (entry.response.status > 0) step.check = {status: entry.response.status}
      const json = responseJson(entry)
      if (json !== undefined)
        for (const {path, value} of jsonStrings(json))
          if (value.length >= MIN_CORRELATED_LENGTH && !earlierValues.has(value))
            earlierValues.set(value, {step: i, path})
      options.onStep?.(++doneSteps, entries.length)
      return step
    })
    for (const [index, list] of extracts) (steps[index] as Record<string, unknown>).extract = list
    return {name, steps}
  })
  const service: Record<string, unknown> = {target: origin, scenarios}
  // One iteration per journey: a replay of the recording; raise connections and amount for load.
  service.load = {model: 'connections', connections: 1, amount: Math.max(1, scenarios.length)}
  return {
    service,
    env: [...env.entries()].map(([name, header]) => ({name, header})),
    kept: entries.length,
    dropped,
    origin,
  }
}
