#!/usr/bin/env node
// Only oclif's runner (not its whole index): the CLI's start-up is what every script pays.
import {flush} from '@oclif/core/flush'
import {handle} from '@oclif/core/handle'
import {run} from '@oclif/core/run'
import {settings} from '@oclif/core/settings'

// The commands are always the compiled ones in dist/: with NODE_ENV=test or development (common in
// a project's CI), oclif would otherwise look for TypeScript sources and warn that it found none.
settings.enableAutoTranspile = false

try {
  await run(process.argv.slice(2), import.meta.url)
  await flush()
} catch (error) {
  // A mistyped flag: the error and the nearest flag, not the command's whole help.
  const {shortenParseError} = await import('../dist/src/cli/parse-error.js')
  shortenParseError(
    error,
    process.argv.slice(2).find((word) => !word.startsWith('-')),
  )
  await handle(error)
}
