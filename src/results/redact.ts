/**
 * Secrets never leave loadplan in any output: header values that carry credentials, URL
 * passwords and credential-like query parameters are replaced before anything is rendered.
 */

export const REDACTED = '[redacted]'

const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie)$|api[-_]?key|token|secret|password|session|signature|credential|auth/i
const SECRET_PARAM = /^(access_token|id_token|refresh_token|token|api[-_]?key|apikey|key|secret|password|passwd|pwd|signature|sig|auth|session|client_secret)$/i

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER.test(name)
}

export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) out[name] = isSecretHeader(name) ? REDACTED : value
  return out
}

export function isSecretParam(name: string): boolean {
  return SECRET_PARAM.test(name)
}

/** Redacts the password of a URL and credential-like query parameters; leaves other text alone. */
export function redactUrl(text: string): string {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return text
  }
  if (url.password) url.password = 'redacted'
  for (const name of [...url.searchParams.keys()]) if (isSecretParam(name)) url.searchParams.set(name, REDACTED)
  return url.toString()
}

/** Redacts `name: value` header text, e.g. as given to --header. */
export function redactHeaderLine(line: string): string {
  const colon = line.indexOf(':')
  return colon > 0 && isSecretHeader(line.slice(0, colon).trim()) ? `${line.slice(0, colon)}: ${REDACTED}` : line
}
