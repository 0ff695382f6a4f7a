#!/usr/bin/env node
// Only oclif's executor (not its whole index): the CLI's start-up is what every script pays.
import {execute} from '@oclif/core/execute'

await execute({dir: import.meta.url})
