/**
 * Load rates no process can schedule are bad input, refused before the run (issue 35: -R 1e10/s
 * pinned a core and ignored Ctrl-C). Every place a rate enters a run, at the bound and past it.
 */
import {describe, expect, it} from 'vitest'
import {MAX_LOAD_RATE_PER_SEC} from '../../src/config/field-parsers.js'
import {resolveRunOptions} from '../../src/config/run/resolve-run-options.js'
import type {RunFlags} from '../../src/config/run/run-flags.js'
import type {ServiceFile} from '../../src/config/service-file.js'
import {InputError} from '../../src/contracts/errors.js'

const target = 'http://127.0.0.1:8080'
const fileWith = (load: ServiceFile['load']): ServiceFile => ({target, request: {path: '/'}, load})

function problemsOf(file: ServiceFile | undefined, flags: RunFlags): string[] {
  try {
    resolveRunOptions({file, fileName: 'service.yaml', flags: {target, ...flags}, defaultSeed: 1})
    return []
  } catch (error) {
    if (!(error instanceof InputError)) throw error
    return error.problems.map((p) => `${p.field}: ${p.message}`)
  }
}

const PAST = MAX_LOAD_RATE_PER_SEC + 1
const CASES: Array<[name: string, file: ServiceFile | undefined, flags: RunFlags, field: string]> = [
  ['--arrival-rate', undefined, {arrivalRate: `${PAST}/s`, duration: '1s'}, '--arrival-rate'],
  ['--arrival-rate 1e10', undefined, {arrivalRate: '10000000000/s', duration: '1s'}, '--arrival-rate'],
  ['--stage', undefined, {stage: [`1s:${PAST}`]}, '--stage[0]'],
  ['--rate', undefined, {rate: `${PAST}`, duration: '1s'}, '--rate'],
  [
    'load.arrivalRate 1e308',
    fileWith({model: 'arrival-rate', arrivalRate: 1e308, duration: '1s'}),
    {},
    'load.arrivalRate',
  ],
  [
    'load.stages[0].target',
    fileWith({model: 'arrival-rate', stages: [{duration: '1s', target: PAST}]}),
    {},
    'load.stages[0].target',
  ],
  ['load.rate', fileWith({model: 'connections', connections: 1, duration: '1s', rate: PAST}), {}, 'load.rate'],
]

describe('load rates past what a process can schedule', () => {
  for (const [name, file, flags, field] of CASES)
    it(`refuses ${name}, naming the field and the bound`, () => {
      const problems = problemsOf(file, flags)
      expect(
        problems.some((p) => p.includes(field) && p.includes('at most 10,000,000/s per run')),
        problems.join('\n'),
      ).toBe(true)
    })

  it('names a refused --arrival-rate once, without asking for a rate on top', () => {
    expect(problemsOf(undefined, {arrivalRate: '10000000000/s', duration: '1s'})).toHaveLength(1)
  })

  it('accepts the bound itself', () => {
    expect(problemsOf(undefined, {arrivalRate: `${MAX_LOAD_RATE_PER_SEC}/s`, duration: '1s'})).toEqual([])
  })
})
