/**
 * Secrets never leave loadplan in any output: header values that carry credentials, URL
 * passwords and credential-like query parameters are replaced before anything is rendered.
 */

export const REDACTED = '[redacted]'

/**
 * The rule, one for headers and query parameters alike. A name is split into words at every
 * character that is not a letter or digit (`X-Amz-Signature` → x, amz, signature). It is secret
 * when one of its words is a credential word, or when the name with its separators removed
 * contains a credential stem (`sessionid`, `privatetoken`, `accesskey`). Words that are too short
 * or too common to search inside other words (key, pass, sid, code, sig, jwt) count only whole.
 * `--redact NAME` adds names of your own.
 */
const SECRET_WORDS = new Set([
  'auth',
  'authorization',
  'token',
  'secret',
  'password',
  'passwd',
  'pwd',
  'pass',
  'key',
  'apikey',
  'session',
  'sid',
  'jwt',
  'code',
  'signature',
  'sig',
  'credential',
  'credentials',
  'cookie',
  'otp',
  'nonce',
])
const SECRET_STEMS = [
  'auth',
  'token',
  'secret',
  'password',
  'passwd',
  'apikey',
  'accesskey',
  'privatekey',
  'session',
  'signature',
  'credential',
  'cookie',
]

/** True when a header or query parameter name holds a credential (the rule above), or is one of `extra`. */
export function isSecretName(name: string, extra: readonly string[] = []): boolean {
  const lower = name.toLowerCase()
  if (extra.some((e) => e.toLowerCase() === lower)) return true
  if (lower.split(/[^a-z0-9]+/).some((word) => SECRET_WORDS.has(word))) return true
  const joined = lower.replace(/[^a-z0-9]+/g, '')
  return SECRET_STEMS.some((stem) => joined.includes(stem))
}

export function redactHeaders(
  headers: Readonly<Record<string, string>>,
  extra: readonly string[] = [],
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) out[name] = isSecretName(name, extra) ? REDACTED : value
  return out
}

/** Redacts the password of a URL and credential-like query parameters; leaves other text alone. */
export function redactUrl(text: string, extra: readonly string[] = []): string {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return text
  }
  if (url.password) url.password = 'redacted'
  for (const name of [...url.searchParams.keys()]) if (isSecretName(name, extra)) url.searchParams.set(name, REDACTED)
  return url.toString()
}

/** Redacts `name: value` header text, e.g. as given to --header. */
export function redactHeaderLine(line: string): string {
  const colon = line.indexOf(':')
  return colon > 0 && isSecretName(line.slice(0, colon).trim()) ? `${line.slice(0, colon)}: ${REDACTED}` : line
}

/** Shows `{{env.NAME}}` wherever a value taken from the environment appears in `text`. */
export function hideEnvValues(
  text: string,
  secrets: ReadonlyArray<{value: string; placeholder: string}> | undefined,
): string {
  if (!secrets) return text
  let out = text
  for (const {value, placeholder} of secrets) out = out.split(value).join(placeholder)
  return out
}
