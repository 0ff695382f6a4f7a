/**
 * Keeps the process from printing warnings a library emits about its own ways, which the user can
 * neither act on nor avoid, for as long as the caller needs: every other warning still prints.
 */
type Drops = (message: string, code: string | undefined) => boolean

const active = new Set<Drops>()
let original: typeof process.emitWarning | undefined

function filtered(warning: string | Error, ...rest: unknown[]): void {
  const message = typeof warning === 'string' ? warning : warning.message
  // emitWarning(message, type, code) or emitWarning(message, {type, code}).
  const options = rest[0]
  const code =
    typeof rest[1] === 'string'
      ? rest[1]
      : typeof options === 'object' && options !== null
        ? (options as {code?: string}).code
        : undefined
  for (const drops of active) if (drops(message, code)) return
  ;(original as (...args: unknown[]) => void).call(process, warning, ...rest)
}

/**
 * @param drops whether a warning (its message, and its code when it has one) is one to drop
 * @returns the function that stops dropping them (in any order among several callers)
 */
export function dropWarnings(drops: Drops): () => void {
  const own: Drops = (message, code) => drops(message, code)
  if (active.size === 0) {
    original = process.emitWarning
    process.emitWarning = filtered as typeof process.emitWarning
  }
  active.add(own)
  return () => {
    if (!active.delete(own) || active.size > 0) return
    process.emitWarning = original as typeof process.emitWarning
    original = undefined
  }
}
