/**
 * Every test's temporary files in one folder of its own, removed after the run: os.tmpdir() (and
 * TMPDIR for the processes tests start) points there, so no test leaves loadplan-* folders in /tmp.
 * Each project runs global setups; the first one makes the folder, the others find it.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

export default function setup(): (() => void) | undefined {
  if (process.env.LOADPLAN_TEST_TMP !== undefined) return undefined
  const root = mkdtempSync(join(tmpdir(), 'loadplan-tests-'))
  process.env.LOADPLAN_TEST_TMP = root
  process.env.TMPDIR = root
  return () => {
    rmSync(root, {recursive: true, force: true})
  }
}
