/**
 * Multi-step scenarios ("journeys"): what one virtual user does after each step's response —
 * judge its checks, take values into variables for later steps, keep cookies — and the parts of
 * a response that needs. Pure: the engine hands in status, raw headers and body.
 */

/** A check on a step's response; failures are counted, and stop the journey only when asked. */
export type StepCheck =
  | {name: string; kind: 'status'; statuses: number[]}
  | {name: string; kind: 'header'; header: string; pattern: string}
  | {name: string; kind: 'json'; path: JsonPath; equals?: unknown; pattern?: string}
  | {name: string; kind: 'body'; pattern: string}

/** A value taken from a step's response into `{{vars.name}}`. */
export type StepExtract =
  | {name: string; from: 'json'; path: JsonPath}
  | {name: string; from: 'header'; header: string}
  | {name: string; from: 'regex'; pattern: string}
  | {name: string; from: 'cookie'; cookie: string}

/** Patterns travel as text (options cross worker threads and are hashed); compiled once here. */
const compiled = new Map<string, RegExp>()
function regex(pattern: string): RegExp {
  let re = compiled.get(pattern)
  if (!re) compiled.set(pattern, (re = new RegExp(pattern)))
  return re
}

/** A parsed JSON path: `$.items[0].id` → ['items', 0, 'id']. */
export type JsonPath = Array<string | number>

/** Parses the subset of JSONPath a check needs: `$`, `.name`, `['name']` and `[index]`. */
export function parseJsonPath(text: string): JsonPath | {error: string} {
  const fix = 'expected a JSON path such as $.token or $.items[0].id'
  if (!text.startsWith('$')) return {error: fix}
  const path: JsonPath = []
  const pattern = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[['"]([^'"]*)['"]\]/y
  let at = 1
  while (at < text.length) {
    pattern.lastIndex = at
    const match = pattern.exec(text)
    if (!match) return {error: fix}
    path.push(match[1] ?? (match[2] !== undefined ? Number(match[2]) : (match[3] as string)))
    at = pattern.lastIndex
  }
  return path
}

export function readJsonPath(value: unknown, path: JsonPath): unknown {
  let current = value
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined
    current = (current as Record<string | number, unknown>)[key]
  }
  return current
}

/** A response as a journey reads it. */
export interface StepResponse {
  status: number
  /** undici's raw headers: name, value, name, value … */
  headers: ReadonlyArray<Buffer | string> | undefined
  body: string | undefined
}

/** Every value of a header (lower-case name), in order. */
export function headerValues(headers: StepResponse['headers'], name: string): string[] {
  const out: string[] = []
  if (!headers) return out
  for (let i = 0; i + 1 < headers.length; i += 2) {
    if ((headers[i] as Buffer | string).toString().toLowerCase() === name)
      out.push((headers[i + 1] as Buffer | string).toString())
  }
  return out
}

function parsedBody(response: StepResponse, cache: {json?: unknown; parsed?: boolean}): unknown {
  if (!cache.parsed) {
    cache.parsed = true
    try {
      cache.json = response.body === undefined ? undefined : JSON.parse(response.body)
    } catch {
      cache.json = undefined
    }
  }
  return cache.json
}

/** Judges each check: true when it passed. */
export function judgeChecks(checks: readonly StepCheck[], response: StepResponse): boolean[] {
  const cache = {}
  return checks.map((check) => {
    switch (check.kind) {
      case 'status':
        return check.statuses.includes(response.status)
      case 'header':
        return headerValues(response.headers, check.header).some((value) => regex(check.pattern).test(value))
      case 'body':
        return response.body !== undefined && regex(check.pattern).test(response.body)
      case 'json': {
        const value = readJsonPath(parsedBody(response, cache), check.path)
        if (check.pattern !== undefined)
          return (
            value !== undefined && regex(check.pattern).test(typeof value === 'string' ? value : JSON.stringify(value))
          )
        if ('equals' in check) return JSON.stringify(value) === JSON.stringify(check.equals)
        return value !== undefined
      }
    }
  })
}

/**
 * Takes the extracts' values into `vars` (a value not found leaves the variable as it was) and
 * the response's cookies into `cookies` (Max-Age=0 removes one).
 */
export function applyResponse(
  extracts: readonly StepExtract[],
  response: StepResponse,
  vars: Record<string, string>,
  cookies: Map<string, string> | undefined,
): void {
  const received = new Map<string, string>()
  for (const line of headerValues(response.headers, 'set-cookie')) {
    const [pair = '', ...attributes] = line.split(';')
    const eq = pair.indexOf('=')
    if (eq <= 0) continue
    const name = pair.slice(0, eq).trim()
    const value = pair.slice(eq + 1).trim()
    received.set(name, value)
    if (!cookies) continue
    if (attributes.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a))) cookies.delete(name)
    else cookies.set(name, value)
  }
  const cache = {}
  for (const extract of extracts) {
    let value: unknown
    if (extract.from === 'json') value = readJsonPath(parsedBody(response, cache), extract.path)
    else if (extract.from === 'header') value = headerValues(response.headers, extract.header)[0]
    else if (extract.from === 'cookie') value = received.get(extract.cookie) ?? cookies?.get(extract.cookie)
    else {
      const match = response.body === undefined ? null : regex(extract.pattern).exec(response.body)
      value = match ? (match[1] ?? match[0]) : undefined
    }
    if (value !== undefined && value !== null)
      vars[extract.name] = typeof value === 'string' ? value : JSON.stringify(value)
  }
}

/** The `cookie` request header for a jar, or undefined when it is empty. */
export function cookieHeader(cookies: ReadonlyMap<string, string> | undefined): string | undefined {
  if (!cookies || cookies.size === 0) return undefined
  let out = ''
  for (const [name, value] of cookies) out += `${out === '' ? '' : '; '}${name}=${value}`
  return out
}
