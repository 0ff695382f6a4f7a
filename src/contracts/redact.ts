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

/**
 * Secret headers lose their value; every other value is passed through `redactText`, because a
 * `Referer` or `Location` can carry `?access_token=…` in a URL.
 */
export function redactHeaders(
  headers: Readonly<Record<string, string>>,
  extra: readonly string[] = [],
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers))
    out[name] = isSecretName(name, extra) ? REDACTED : redactText(value, extra)
  return out
}

/** Redacts the password of a URL and credential-like query parameters; leaves other text alone. */
export function redactUrl(text: string, extra: readonly string[] = []): string {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return redactText(text, extra)
  }
  if (url.password) url.password = 'redacted'
  for (const name of [...url.searchParams.keys()]) if (isSecretName(name, extra)) url.searchParams.set(name, REDACTED)
  return url.toString()
}

// `scheme://user:password@` anywhere in text, parseable or not.
const USERINFO_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*):[^\s/?#@]*@/gi
// `name=value` after the start, a separator of a query, form or cookie, or white space.
const ASSIGNMENT = /(^|[\s?&;,#{(])([^\s=&;,?#:"'{}()]+)=("[^"]*"|'[^']*'|[^\s&;,#"')}]*)/g
// `"name": "value"` or `name: value` (JSON bodies, YAML, headers typed without their colon's space).
const JSON_MEMBER = /(["']?)([\w.-]+)\1(\s*:\s*)("(?:[^"\\]|\\.)*"|'[^']*'|[^\s,}\]]+)/g
// A secret name at the start, then a space instead of a colon or equals sign: `Authorization Bearer S`
// (not a comparison: `session_p99 < 1s` is a threshold on sessions).
const LEADING_NAME = /^(\s*)([\w.-]+)(\s+)([^\s<>=].*)$/s
// A header line: its whole value goes when its name is secret (`Authorization: Bearer S`).
const HEADER_LINE = /^(\s*)([\w.-]+)([ \t]*:[ \t]*)(\S.*)$/gm
// Credentials that announce themselves whatever they are called.
const AUTH_SCHEME = /\b(Bearer|Basic|Digest|Token)(\s+)[\w~+/=.-]{4,}/gi

/** A query or form component decoded (`+` is a space); text that is not valid escapes stays as it is. */
export function decodeFormComponent(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '))
  } catch {
    return text
  }
}

/**
 * Redacts whatever in free text looks like a credential: URL passwords, secret query, form, JSON
 * and `name: value` members (by the name rule above), and `Bearer …` tokens. It is used on every
 * value an error message echoes and on header values and request text written to files, so it
 * errs on the side of hiding: a harmless value named like a secret is hidden too.
 */
export function redactText(text: string, extra: readonly string[] = []): string {
  const secret = (name: string) => isSecretName(decodeFormComponent(name), extra)
  const [, indent = '', name = '', space = ''] = LEADING_NAME.exec(text) ?? []
  if (name !== '' && secret(name)) return `${indent}${name}${space}${REDACTED}`
  return text
    .replace(AUTH_SCHEME, `$1$2${REDACTED}`)
    .replace(HEADER_LINE, (match, indent: string, name: string, colon: string) =>
      secret(name) ? `${indent}${name}${colon}${REDACTED}` : match,
    )
    .replace(USERINFO_PASSWORD, `$1:${REDACTED}@`)
    .replace(ASSIGNMENT, (match, before: string, name: string) =>
      secret(name) ? `${before}${name}=${REDACTED}` : match,
    )
    .replace(JSON_MEMBER, (match, quote: string, name: string, colon: string, value: string) =>
      secret(name) && !value.replace(/^"/, '').startsWith(REDACTED.slice(0, -1))
        ? `${quote}${name}${quote}${colon}${value.startsWith('"') ? `"${REDACTED}"` : REDACTED}`
        : match,
    )
}

/** `redactText` over every string in a value, and secret-named members hidden whole. */
export function redactValue(value: unknown, extra: readonly string[] = []): unknown {
  if (typeof value === 'string') return redactText(value, extra)
  if (Array.isArray(value)) return value.map((item) => redactValue(item, extra))
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([name, item]) => [
        name,
        isSecretName(name, extra) && (typeof item === 'string' || typeof item === 'number')
          ? REDACTED
          : redactValue(item, extra),
      ]),
    )
  return value
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

/**
 * Where a document holds a credential written out (`authorization: Bearer abc`) rather than a
 * template (`{{env.TOKEN}}`, `{{vars.token}}`): dotted paths, for warnings before the document is
 * copied somewhere others can read (a ConfigMap).
 */
export function literalSecretPaths(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => literalSecretPaths(item, `${path}[${i}]`))
  if (value === null || typeof value !== 'object') return []
  return Object.entries(value).flatMap(([name, item]) => {
    const at = path === '' ? name : `${path}.${name}`
    if ((typeof item === 'string' || typeof item === 'number') && isSecretName(name))
      return String(item).includes('{{') ? [] : [at]
    return literalSecretPaths(item, at)
  })
}
