/**
 * `{{env.NAME}}` in service files and flags: replaced by the environment variable before anything
 * else reads the text (so it works in targets, paths, headers, queries and bodies alike), with
 * every value remembered so that outputs can show the placeholder instead of the value.
 */
import type {ProblemList} from '../contracts/errors.js'

const ENV_PLACEHOLDER = /\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g

/** The variable names of the `{{env.NAME}}` placeholders in a text, in order (repeats kept). */
export function envPlaceholderNames(text: string): string[] {
  return [...text.matchAll(ENV_PLACEHOLDER)].map((match) => match[1] as string)
}

/** A value taken from the environment and the placeholder that outputs show instead. */
export interface EnvSecret {
  value: string
  placeholder: string
}

export interface EnvSubstitution {
  secrets: EnvSecret[]
  /** Replaces placeholders in `text` (a problem per unset variable, naming `field`). */
  text(text: string, field: string): string
  /** The same through any JSON-like value (objects, arrays, strings), keys left alone; `field` names a dotted path for problems. */
  value<T>(value: T, path: string, field?: (path: string) => string): T
}

export function envSubstitution(
  env: Readonly<Record<string, string | undefined>>,
  problems: ProblemList,
): EnvSubstitution {
  const secrets = new Map<string, string>()
  const text = (input: string, field: string): string =>
    input.includes('{{') && input.includes('env.')
      ? input.replace(ENV_PLACEHOLDER, (whole, name: string) => {
          const value = env[name]
          if (value === undefined) {
            problems.add(
              field,
              `${name} is not set in the environment: export ${name}=… before running, or remove {{env.${name}}}`,
              whole,
            )
            return whole
          }
          if (value !== '') secrets.set(value, `{{env.${name}}}`)
          return value
        })
      : input
  const value = <T>(input: T, path: string, field: (path: string) => string = (p) => p): T => {
    if (typeof input === 'string') return text(input, field(path)) as T
    if (Array.isArray(input)) return input.map((item, i) => value(item, `${path}[${i}]`, field)) as T
    if (input !== null && typeof input === 'object')
      return Object.fromEntries(
        Object.entries(input).map(([k, v]) => [k, value(v, path ? `${path}.${k}` : k, field)]),
      ) as T
    return input
  }
  return {
    get secrets() {
      // Longest first, so that a value containing another is replaced whole.
      return [...secrets.entries()]
        .map(([v, placeholder]) => ({value: v, placeholder}))
        .sort((a, b) => b.value.length - a.value.length)
    },
    text,
    value,
  }
}
