/** docs/flags.md is what the commands' own flag definitions generate: the reference cannot drift from --help. */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {flagReference} from '../../tools/write-flag-reference.js'

const ROOT = join(import.meta.dirname, '..', '..')

describe('flag reference', () => {
  it('docs/flags.md equals the reference generated from the oclif manifest (npm run docs:flags)', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8'))
    const committed = readFileSync(join(ROOT, 'docs', 'flags.md'), 'utf8')
    expect(committed).toBe(flagReference(manifest))
    // Every command and every flag of `run` is in it.
    for (const id of Object.keys(manifest.commands)) expect(committed).toContain(`## loadplan ${id.replace(/:/g, ' ')}`)
    for (const name of Object.keys(manifest.commands.run.flags)) expect(committed).toContain(`--${name}`)
  })
})
