/**
 * Writes oclif.manifest.json (every command's id, flags and help) after each build, so that
 * `loadplan --version`, `--help` and command lookup read one JSON file instead of importing every
 * command. Generated, never committed: run by `npm run build`.
 */
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {Plugin} from '@oclif/core'

const root = join(import.meta.dirname, '..', '..')
const plugin = new Plugin({
  root,
  type: 'core',
  ignoreManifest: true,
  errorOnManifestCreate: true,
  respectNoCacheDefault: true,
})
await plugin.load()
writeFileSync(join(root, 'oclif.manifest.json'), `${JSON.stringify(plugin.manifest, null, 2)}\n`)
