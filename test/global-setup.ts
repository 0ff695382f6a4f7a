/**
 * Before any test: build dist/ (and the oclif manifest) from the sources, so that the tests that spawn the binary
 * (test/cli) never run a stale build, whether started by `npm test` or by `npx vitest` alone.
 */
import {execFileSync} from 'node:child_process'
import {join} from 'node:path'

export default function setup(): void {
  const root = join(import.meta.dirname, '..')
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')],
    {stdio: 'inherit'},
  )
  execFileSync(process.execPath, [join(root, 'dist', 'tools', 'write-oclif-manifest.js')], {stdio: 'inherit'})
}
