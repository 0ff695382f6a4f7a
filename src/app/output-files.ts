/**
 * The result files a run or a capacity search writes for CI: --out (JSON), --junit, --markdown
 * (and GITHUB_STEP_SUMMARY). Paths are checked before any load is sent; a write that still fails
 * afterwards is reported without losing the result, which also goes to stdout.
 */
import type {ProblemList} from '../contracts/errors.js'
import {appendTextFile, checkWritable, writeTextFile} from '../adapters/io/write-output.js'

export interface ReportPaths {
  out?: string | undefined
  junit?: string | undefined
  markdown?: string | undefined
  /** GITHUB_STEP_SUMMARY: a file the Markdown summary is appended to. */
  stepSummary?: string | undefined
}

export interface ReportTexts {
  json: string
  junit: string
  markdown: string
}

/** Adds a problem for every given output path that could not be written: [flag, path] pairs. */
export function checkOutputPaths(
  entries: ReadonlyArray<readonly [string, string | undefined]>,
  problems: ProblemList,
): void {
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

/** Writes an optional output file; returns the failure message (the command still succeeds). */
export function writeOutputFile(path: string | undefined, text: () => string): string | undefined {
  if (path === undefined) return undefined
  const why = writeTextFile(path, text())
  return why ? `could not write ${path}: ${why}` : undefined
}

/** Writes every requested file; returns a message per failure (empty when all were written). */
export function writeReportFiles(paths: ReportPaths, texts: () => ReportTexts): string[] {
  if (paths.out === undefined && paths.junit === undefined && paths.markdown === undefined && !paths.stepSummary)
    return []
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
  const summary = paths.stepSummary
  if (summary) {
    const why = appendTextFile(summary, `${rendered.markdown}\n`)
    if (why) failures.push(`could not append to GITHUB_STEP_SUMMARY (${summary}): ${why}`)
  }
  return failures
}
