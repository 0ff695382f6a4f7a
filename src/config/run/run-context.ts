/** The shared context of `run`'s option resolvers (target, requests, load, sharding). */
import {ProblemList} from '../../contracts/errors.js'
import type {ServiceFile} from '../service-file.js'
import {envSubstitution, type EnvSecret} from '../env-placeholders.js'
import {type ResolveRunInput, type RunFlags} from './run-flags.js'

/** The flag a RunFlags key comes from, for messages: the key in kebab case (`maxInFlight` → `--max-in-flight`). */
export function flagName(key: string): string {
  return key === 'json' ? '--json-body' : `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`
}

/**
 * What every part of `run`'s options is resolved from: the flags and the service file with their
 * {{env.NAME}} placeholders filled, the file's load: section, and one list of problems. Where a value
 * came from decides the field a problem names: `--flag` for a flag, `FILE: path` for the file.
 */
export interface RunContext {
  readonly input: ResolveRunInput
  readonly problems: ProblemList
  readonly flags: RunFlags
  readonly file: ServiceFile
  readonly fileLoad: NonNullable<ServiceFile['load']>
  /** A path in the service file as a field of a problem (`checkout.yaml: load.duration`). */
  readonly fileField: (path: string) => string
  /** The URL argument, placeholders filled. */
  readonly urlArgument: string | undefined
  /** The values of {{env.NAME}} placeholders, hidden from every output. */
  readonly secrets: EnvSecret[]
}

/** {{env.NAME}} first, so that every resolver reads the values (and outputs show the placeholders). */
export function createRunContext(input: ResolveRunInput): RunContext {
  const problems = new ProblemList()
  const fileField = (path: string) => (input.fileName ? `${input.fileName}: ${path}` : path)
  const env = envSubstitution(input.env ?? {}, problems)
  const flags = Object.fromEntries(
    Object.entries(input.flags).map(([key, value]) => [key, env.value(value, flagName(key))]),
  ) as RunFlags
  const file = env.value(input.file ?? {}, '', fileField)
  const urlArgument = input.url === undefined ? undefined : env.text(input.url, 'url')
  return {input, problems, flags, file, fileLoad: file.load ?? {}, fileField, urlArgument, secrets: env.secrets}
}
