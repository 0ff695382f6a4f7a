/**
 * The result files a run or a capacity search writes for CI: --out (JSON), --junit, --markdown
 * (and GITHUB_STEP_SUMMARY). Paths are checked before any load is sent; a write that still fails
 * afterwards is reported without losing the result, which also goes to stdout.
 */
import {appendFileSync} from 'node:fs'
import type {ProblemList} from '../errors.js'
import {checkWritable, writeTextFile} from '../io/write-output.js'

export interface ReportPaths {
  out?: string | undefined
  junit?: string | undefined
  markdown?: string | undefined
}

export interface ReportTexts {
  json: string
  junit: string
  markdown: string
}

/** Adds a problem for every given output path that could not be written: [flag, path] pairs. */
export function checkOutputPaths(entries: ReadonlyArray<readonly [string, string | undefined]>, problems: ProblemList): void {
  for (const [flag, path] of entries) {
    if (path === undefined) continue
    const why = checkWritable(path)
    if (why) problems.add(flag, why, path)
  }
}

/** Adds a problem for every report path that could not be written. */
export function checkReportPaths(paths: ReportPaths, problems: ProblemList): void {
  checkOutputPaths(
    [
      ['--out', paths.out],
      ['--junit', paths.junit],
      ['--markdown', paths.markdown],
    ],
    problems,
  )
}

/** Writes an optional output file; a failure is reported on stderr and does not stop the command. */
export function writeOutputFile(path: string | undefined, text: () => string): void {
  if (path === undefined) return
  const why = writeTextFile(path, text())
  if (why) process.stderr.write(`could not write ${path}: ${why}\n`)
}

/** Writes every requested file; returns a message per failure (empty when all were written). */
export function writeReportFiles(paths: ReportPaths, texts: () => ReportTexts): string[] {
  if (paths.out === undefined && paths.junit === undefined && paths.markdown === undefined && !process.env.GITHUB_STEP_SUMMARY) return []
  const rendered = texts()
  const failures: string[] = []
  for (const [path, text] of [
    [paths.out, rendered.json],
    [paths.junit, rendered.junit],
    [paths.markdown, rendered.markdown],
  ] as const) {
    if (path === undefined) continue
    const why = writeTextFile(path, text)
    if (why) failures.push(`could not write ${path}: ${why}`)
  }
  const summary = process.env.GITHUB_STEP_SUMMARY
  if (summary) {
    try {
      appendFileSync(summary, `${rendered.markdown}\n`)
    } catch (error) {
      failures.push(`could not append to GITHUB_STEP_SUMMARY (${summary}): ${(error as Error).message}`)
    }
  }
  return failures
}
