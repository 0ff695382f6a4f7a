/**
 * Per-request values in paths, query values, headers and bodies:
 *
 *   {{seq}}            a sequence number, unique across workers (0, 1, 2, …)
 *   {{uuid}}           a random RFC 4122 v4 UUID
 *   {{randInt a b}}    a uniform random integer in [a, b]
 *   {{data.column}}    the column of the current row of the CSV data file (rows are used in turn)
 *   {{vars.name}}      in a journey, the value an earlier step extracted
 *   {{msg}}            in a WebSocket or gRPC message, its number in the session (0, 1, …)
 *
 * Templates are compiled once into parts; a string without `{{` compiles to a constant, so a
 * static request costs nothing per request.
 */
import {randomUUID} from 'node:crypto'

export interface TemplateContext {
  seq: number
  /** Uniform in [0, 1). */
  random(): number
  row: Readonly<Record<string, string>> | undefined
  /** A journey's variables. */
  vars?: Readonly<Record<string, string>> | undefined
  /** A session's message: its number in the session. */
  message?: number
}

type Part = string | ((context: TemplateContext) => string)

export interface CompiledTemplate {
  /** True when the template has no placeholders; `render` then always returns `text`. */
  isStatic: boolean
  text: string
  render(context: TemplateContext): string
}

/**
 * The variables a journey step may use: those the steps before it extract. A lookup rather than
 * a list per step, because a list per step grows with the square of the journey's length (a
 * 60,000-step imported journey needed gigabytes).
 */
export interface VarsInScope {
  has(name: string): boolean
  /** In the order the steps first extract them, for messages. */
  names(): readonly string[]
}

/** The variables in scope at each step: a step sees what the steps before it extract. */
export function varsBeforeSteps(steps: ReadonlyArray<{extracts: ReadonlyArray<{name: string}>}>): VarsInScope[] {
  const order: string[] = []
  const position = new Map<string, number>()
  return steps.map((step) => {
    const count = order.length
    const scope: VarsInScope = {
      has: (name) => (position.get(name) ?? count) < count,
      names: () => order.slice(0, count),
    }
    for (const {name} of step.extracts)
      if (!position.has(name)) {
        position.set(name, order.length)
        order.push(name)
      }
    return scope
  })
}

/** At most this many names in a message that lists what is in scope. */
const LISTED_NAMES = 20

export interface TemplateCompileOptions {
  /** Column names of the data file; undefined when there is none. */
  dataColumns?: readonly string[]
  /** In a journey step: the variables earlier steps extract; undefined outside journeys. */
  vars?: VarsInScope
  /** Applied to each substituted value, e.g. JSON string escaping inside a JSON body. */
  escape?: ((value: string) => string) | undefined
  /** A WebSocket or gRPC message template: {{msg}} is allowed. */
  messages?: boolean
}

const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g

/**
 * Compiles a template.
 * @returns the compiled template, or the list of problems (one per bad placeholder)
 */
export function compileTemplate(
  text: string,
  options: TemplateCompileOptions = {},
): CompiledTemplate | {errors: string[]} {
  const parts: Part[] = []
  const errors: string[] = []
  let last = 0
  for (const match of text.matchAll(PLACEHOLDER)) {
    if (match.index > last) parts.push(text.slice(last, match.index))
    last = match.index + match[0].length
    const part = compilePlaceholder(match[1] ?? '', options)
    if (typeof part === 'object') errors.push(part.error)
    else if (options.escape) {
      const {escape} = options
      parts.push((context) => escape(part(context)))
    } else parts.push(part)
  }
  if (last < text.length) parts.push(text.slice(last))
  if (errors.length > 0) return {errors}
  if (parts.every((part) => typeof part === 'string')) {
    return {isStatic: true, text, render: () => text}
  }
  return {
    isStatic: false,
    text,
    render(context) {
      let out = ''
      for (let i = 0; i < parts.length; i++) {
        const part = parts[i] as Part
        out += typeof part === 'string' ? part : part(context)
      }
      return out
    },
  }
}

function compilePlaceholder(
  expression: string,
  options: TemplateCompileOptions,
): ((context: TemplateContext) => string) | {error: string} {
  const words = expression.split(/\s+/)
  const name = words[0] ?? ''
  if (name === 'seq' && words.length === 1) return (context) => String(context.seq)
  if (name === 'uuid' && words.length === 1) return () => randomUUID()
  if (name === 'msg' && words.length === 1) {
    if (options.messages !== true)
      return {error: `{{msg}}: numbers the messages of a WebSocket or gRPC session; use it in send: or message:`}
    return (context) => String(context.message ?? 0)
  }
  if (name === 'randInt') {
    const low = Number(words[1])
    const high = Number(words[2])
    if (words.length !== 3 || !Number.isInteger(low) || !Number.isInteger(high) || low > high) {
      return {
        error: `{{${expression}}}: expected {{randInt low high}} with whole numbers low ≤ high, e.g. {{randInt 1 50}}`,
      }
    }
    const span = high - low + 1
    return (context) => String(low + Math.floor(context.random() * span))
  }
  if (name.startsWith('data.') && words.length === 1) {
    const column = name.slice('data.'.length)
    if (options.dataColumns === undefined)
      return {error: `{{${expression}}}: needs a data file (--data-file or dataFile:) with a "${column}" column`}
    if (!options.dataColumns.includes(column)) {
      return {
        error: `{{${expression}}}: the data file has no column "${column}"; its columns are ${options.dataColumns.join(', ')}`,
      }
    }
    return (context) => context.row?.[column] ?? ''
  }
  if (name.startsWith('vars.') && words.length === 1) {
    const variable = name.slice('vars.'.length)
    if (options.vars === undefined)
      return {
        error: `{{${expression}}}: variables belong to journeys (scenarios with steps:), set by an earlier step's extract:`,
      }
    if (!options.vars.has(variable)) {
      const names = options.vars.names()
      const listed = names.slice(0, LISTED_NAMES).join(', ') + (names.length > LISTED_NAMES ? ', …' : '')
      return {
        error: `{{${expression}}}: no earlier step extracts "${variable}"${names.length > 0 ? ` (they extract ${listed})` : ''}`,
      }
    }
    return (context) => context.vars?.[variable] ?? ''
  }
  return {
    error: `{{${expression}}}: unknown placeholder; use {{seq}}, {{uuid}}, {{randInt a b}}, {{data.column}}, in journeys {{vars.name}}, in messages {{msg}}`,
  }
}
