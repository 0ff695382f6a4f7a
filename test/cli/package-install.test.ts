/**
 * loadplan as users get it outside this checkout (issue 28):
 * - `npm pack` + `npm install -g ./loadplan-*.tgz` (here into a scratch prefix), then `loadplan
 *   demo` from another folder;
 * - the container image: the production install of the Dockerfile's build stage, run here command
 *   by command as the Dockerfile states it (no Docker engine runs on these machines), then the pod
 *   script of `loadplan k8s` with that install as the image's `loadplan`, against a local server.
 * Both install better-sqlite3 as a user's install does (compiled here: there is no prebuilt binary
 * to download), so this file takes minutes.
 */
import {spawn} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {parseAllDocuments} from 'yaml'
import type {IJob} from 'kubernetes-models/batch/v1/Job'
import type {RunResult} from '../../src/contracts/results/run-result.js'
import {startServer, type LocalServer} from '../helpers/local-server.js'

const ROOT = join(import.meta.dirname, '..', '..')
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {version: string}).version
const work = mkdtempSync(join(tmpdir(), 'loadplan-package-'))
/** Installs take minutes on two busy cores (better-sqlite3 compiles). */
const INSTALL_TIMEOUT_MS = 600_000

/** Runs a command; its output, or an error carrying the output when it fails. */
function run(
  command: string,
  args: string[],
  options: {cwd: string; env?: Record<string, string>},
): Promise<{stdout: string; stderr: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {cwd: options.cwd, env: {...process.env, ...options.env}})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('close', (code) =>
      code === 0
        ? resolve({stdout, stderr})
        : reject(new Error(`${command} ${args.join(' ')} exited ${code}\n${stdout}\n${stderr}`)),
    )
  })
}

/** npm from the npm registry's cache that `npm ci` filled: no download unless a package is missing there. */
const NPM_ENV = {npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false'}

let tarball: string

beforeAll(async () => {
  // dist/ is fresh (test/global-setup.ts builds it): pack it without building again.
  const {stdout} = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], {cwd: ROOT})
  const [packed] = JSON.parse(stdout) as {filename: string; files: {path: string}[]}[]
  tarball = join(work, packed?.filename ?? '')
  expect(packed?.files.map((f) => f.path)).toEqual(
    expect.arrayContaining(['bin/run.js', 'dist/commands/demo.js', 'oclif.manifest.json', 'plans/example.yaml']),
  )
  // Sources, tests and build tools stay out of the package (the data licences are the only files from src/).
  expect(
    packed?.files
      .filter((f) => /^(test|src|commands|dist\/tools)\/|\.tsbuildinfo$/.test(f.path))
      .map((f) => f.path)
      .sort(),
  ).toEqual(['src/core/catalog/data/cloud-catalog.LICENSE.md', 'src/core/catalog/data/perf-table.LICENSE.md'])
}, INSTALL_TIMEOUT_MS)

afterAll(() => {
  rmSync(work, {recursive: true, force: true})
})

describe('the package', () => {
  it(
    '`npm install -g` of the packed tarball gives a `loadplan` that runs the demo from another folder',
    async () => {
      const prefix = join(work, 'global')
      await run('npm', ['install', '--global', '--prefix', prefix, tarball], {cwd: work, env: NPM_ENV})
      const elsewhere = mkdtempSync(join(work, 'elsewhere-'))
      const bin = join(prefix, 'bin', 'loadplan')
      const version = await run(bin, ['--version'], {cwd: elsewhere})
      expect(version.stdout).toContain(`loadplan/${VERSION}`)
      const demo = await run(bin, ['demo'], {cwd: elsewhere, env: {CI: 'true', NO_COLOR: '1', COLUMNS: '100'}})
      expect(demo.stderr).toMatch(/sustainable: \d+\/s per instance/)
      // Nothing about TypeScript sources: the installed package runs its compiled commands.
      expect(demo.stderr).not.toMatch(/typescript/i)
      expect(demo.stdout).toMatch(/^loadplan plan {2}demo service/m)
      expect(demo.stdout).toMatch(/^total +[\d,]+/m)
    },
    INSTALL_TIMEOUT_MS,
  )
})

describe('the container image', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')
  let server: LocalServer
  const hits: string[] = []
  beforeAll(async () => {
    server = await startServer((request, response) => {
      hits.push(String(request.url))
      response.end('ok')
    })
  })
  afterAll(async () => {
    await server.close()
  })

  /** The build stage's production install: the RUN after `WORKDIR /app`, as its commands. */
  function productionInstall(): string[] {
    const run = /WORKDIR \/app\nRUN ((?:.*\\\n)*.*)\n/.exec(dockerfile)?.[1]
    expect(run, 'the Dockerfile installs the app under WORKDIR /app').toBeDefined()
    return (run ?? '')
      .replaceAll('\\\n', ' ')
      .split('&&')
      .map((command) => command.trim())
  }

  it(
    "the Dockerfile's production install runs loadplan k8s's pod script: the shard's result on stdout",
    async () => {
      // The image as the manifests assume it: uid 1000 (the node images' user `node`), `loadplan` on
      // the PATH, the plan files mounted in the working directory.
      expect(dockerfile).toMatch(/^USER node$/m)
      expect(dockerfile).toMatch(/^ENTRYPOINT \["loadplan"\]$/m)
      expect(dockerfile).toMatch(/^RUN ln -s \/opt\/loadplan\/bin\/run\.js \/usr\/local\/bin\/loadplan$/m)
      const app = join(work, 'app')
      mkdirSync(app)
      for (const command of productionInstall()) {
        // Cleaning the cache keeps the image small; here it would empty the machine's npm cache.
        if (command.startsWith('npm cache clean')) continue
        await run('sh', ['-c', command.replaceAll('/src/', `${ROOT}/`)], {cwd: app, env: NPM_ENV})
      }
      expect(existsSync(join(app, 'node_modules', 'typescript')), 'dev dependencies are left out').toBe(false)
      const bin = join(work, 'image-bin')
      mkdirSync(bin)
      symlinkSync(join(app, 'bin', 'run.js'), join(bin, 'loadplan'))

      const plan = join(work, 'plan')
      mkdirSync(plan)
      const service = `service: image-test\ntarget: http://cluster.invalid:8080\nscenarios:\n  - name: get\n    request: {method: GET, path: "/image/{{seq}}"}\nload: {model: closed, connections: 2, amount: 20}\n`
      writeFileSync(join(plan, 'service.yaml'), service)
      const k8s = await run(join(bin, 'loadplan'), ['k8s', 'service.yaml', '--shards', '1', '--target', server.url], {
        cwd: plan,
        env: {CI: 'true', NO_COLOR: '1'},
      })
      const job = parseAllDocuments(k8s.stdout)[1]?.toJS() as IJob
      const container = job.spec?.template.spec?.containers[0]
      expect(container?.image).toBe(`loadplan:${VERSION}`)
      expect(job.spec?.template.spec?.containers[0]?.securityContext?.runAsUser).toBe(1000)
      expect(k8s.stderr).toContain(`docker build -t loadplan:${VERSION} .`)
      const env = Object.fromEntries((container?.env ?? []).map((e) => [e.name, e.value ?? '']))
      const shard = await run('sh', ['-c', container?.command?.[2] ?? 'exit 9'], {
        cwd: plan,
        env: {
          ...env,
          LOADPLAN_START_AT: new Date(Date.now() + 1500).toISOString(),
          JOB_COMPLETION_INDEX: '0',
          PATH: `${bin}:${process.env.PATH}`,
        },
      })
      const result = JSON.parse(shard.stdout) as RunResult
      expect(result.totals.completed).toBe(20)
      expect(hits.filter((url) => url.startsWith('/image/'))).toHaveLength(20)
    },
    INSTALL_TIMEOUT_MS,
  )
})
