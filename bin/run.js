#!/usr/bin/env node
// Only oclif's executor (not its whole index): the CLI's start-up is what every script pays.
import {execute} from '@oclif/core/execute'
import {settings} from '@oclif/core/settings'

// The commands are always the compiled ones in dist/: with NODE_ENV=test or development (common in
// a project's CI), oclif would otherwise look for TypeScript sources and warn that it found none.
settings.enableAutoTranspile = false

await execute({dir: import.meta.url})
