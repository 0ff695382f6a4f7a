/**
 * `loadplan k8s`: the manifests are valid Kubernetes objects by the API's own schemas (the
 * kubernetes-models package, generated from the Kubernetes OpenAPI spec), and the pod's script,
 * run here with a shell as the pods would run it (index in JOB_COMPLETION_INDEX, the ConfigMap's
 * files in the working directory), prints each shard's RunResult, which merge adds up to the plan.
 */
import {spawn} from 'node:child_process'
import {chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {ConfigMap, type IConfigMap} from 'kubernetes-models/v1/ConfigMap'
import {Job, type IJob} from 'kubernetes-models/batch/v1/Job'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {parseAllDocuments} from 'yaml'
import {mergeRunResults} from '../../src/core/engine/merge-run-results.js'
import type {RunResult} from '../../src/contracts/results/run-result.js'
import {BIN} from '../helpers/cli.js'
import {runInProcess} from '../helpers/in-process.js'
import {startServer, type LocalServer} from '../helpers/local-server.js'
import {ECHO_PROTO, startGrpcEcho} from '../helpers/grpc-echo-server.js'

const SHARDS = 3
const AMOUNT = 90
let server: LocalServer
const seen: string[] = []
const dir = mkdtempSync(join(tmpdir(), 'loadplan-k8s-'))
const servicePath = join(dir, 'service.yaml')

beforeAll(async () => {
  server = await startServer((request, response) => {
    seen.push(String(request.url))
    response.end('ok')
  })
  mkdirSync(join(dir, 'data'))
  writeFileSync(join(dir, 'data', 'users.csv'), 'user\nada\nbob\ncy\n')
  writeFileSync(
    servicePath,
    `service: k8s-test\ntarget: http://cluster.invalid:8080\ndataFile: data/users.csv\nscenarios:\n  - name: get\n    request: {method: GET, path: "/u/{{data.user}}/{{seq}}"}\nload: {model: arrival-rate, stages: [{duration: 1s, target: 300}], maxInFlight: 300, amount: ${AMOUNT}}\nthresholds: ["p50 < 1us"]\n`,
  )
})
afterAll(async () => {
  await server.close()
})

/** The manifests `loadplan k8s` prints, parsed. */
async function manifests(
  args: string[],
  plan = 'service.yaml',
): Promise<{code: number; configMap: IConfigMap; job: IJob; stderr: string}> {
  const cwd = process.cwd()
  process.chdir(dir)
  try {
    const {code, stdout, stderr} = await runInProcess(['k8s', plan, ...args])
    const [configMap, job] = parseAllDocuments(stdout).map((d) => d.toJS() as unknown)
    return {code, configMap: configMap as IConfigMap, job: job as IJob, stderr}
  } finally {
    process.chdir(cwd)
  }
}

/**
 * Runs the pod's script for each shard as Kubernetes would: the ConfigMap's files in a working
 * directory, the index in JOB_COMPLETION_INDEX, this checkout's binary as the image's `loadplan`.
 */
async function runPods(
  configMap: IConfigMap,
  job: IJob,
  shards: number,
  startAt: string,
): Promise<Array<{code: number | null; stdout: string; stderr: string}>> {
  const pod = job.spec?.template.spec
  const container = pod?.containers[0]
  const script = container?.command?.[2] as string
  const env = Object.fromEntries((container?.env ?? []).map((e) => [e.name, e.value ?? '']))
  // The image's `loadplan`: this checkout's binary.
  const bin = join(dir, 'bin')
  mkdirSync(bin, {recursive: true})
  writeFileSync(join(bin, 'loadplan'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`)
  chmodSync(join(bin, 'loadplan'), 0o755)
  return Promise.all(
    Array.from({length: shards}, (_, k) => {
      const work = join(dir, `${job.metadata?.name ?? 'job'}-pod-${k}`)
      for (const item of pod?.volumes?.[0]?.configMap?.items ?? []) {
        mkdirSync(join(work, 'plan', dirname(item.path)), {recursive: true})
        writeFileSync(join(work, 'plan', item.path), configMap.data?.[item.key] ?? '')
      }
      mkdirSync(join(work, 'tmp'), {recursive: true})
      return new Promise<{code: number | null; stdout: string; stderr: string}>((resolve) => {
        const child = spawn('sh', ['-c', script], {
          cwd: join(work, 'plan'),
          env: {
            ...process.env,
            ...env,
            HOME: join(work, 'tmp'),
            TMPDIR: join(work, 'tmp'),
            LOADPLAN_START_AT: startAt,
            JOB_COMPLETION_INDEX: String(k),
            PATH: `${bin}:${process.env.PATH}`,
          },
        })
        let stdout = ''
        let stderr = ''
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
        child.on('close', (code) => resolve({code, stdout, stderr}))
      })
    }),
  )
}

describe('loadplan k8s', () => {
  it('writes a ConfigMap and an Indexed Job that the Kubernetes schemas accept', async () => {
    const {code, configMap, job, stderr} = await manifests([
      '--shards',
      String(SHARDS),
      '--name',
      'checkout-load',
      '--namespace',
      'load',
      '--results-pvc',
      'results',
    ])
    expect(code, stderr).toBe(0)
    expect(() => new ConfigMap(configMap).validate()).not.toThrow()
    expect(() => new Job(job).validate()).not.toThrow()
    expect(job.spec).toMatchObject({
      completionMode: 'Indexed',
      completions: SHARDS,
      parallelism: SHARDS,
      backoffLimit: 0,
    })
    const container = job.spec?.template.spec?.containers[0]
    expect(container?.resources?.requests?.cpu).toBe('1')
    const startAt = container?.env?.find((e) => e.name === 'LOADPLAN_START_AT')?.value as string
    expect(Date.parse(startAt)).toBeGreaterThan(Date.now())
    expect(job.metadata?.annotations?.['loadplan/start-at']).toBe(startAt)
    // The data file travels in the ConfigMap, at the path the service file names.
    expect(job.spec?.template.spec?.volumes?.[0]?.configMap?.items).toEqual([
      {key: 'file-0', path: 'service.yaml'},
      {key: 'file-1', path: 'data/users.csv'},
    ])
    expect(configMap.data?.['file-1']).toBe('user\nada\nbob\ncy\n')
    expect(stderr).toMatch(/kubectl wait -n load --for=condition=complete job\/checkout-load/)
    expect(stderr).toMatch(/loadplan merge shard-0\.json shard-1\.json shard-2\.json/)
  })

  it('the schema check can fail: a Job with completions as text is rejected', async () => {
    const {job} = await manifests(['--shards', '2'])
    const broken = {...job, spec: {...job.spec, completions: '2'}} as unknown as IJob
    expect(() => new Job(broken).validate()).toThrow(/completions must be integer/)
  })

  it("each pod's script prints its shard's result; merged, they are the plan", async () => {
    const {configMap, job} = await manifests([
      '--shards',
      String(SHARDS),
      '--image',
      'example/loadplan:test',
      '--target',
      server.url,
      '--start-delay',
      '10s',
    ])
    // Start sooner than the manifests' default: the same moment for all three.
    const startAt = new Date(Date.now() + 6000).toISOString()
    const outputs = await runPods(configMap, job, SHARDS, startAt)
    // Every shard failed its threshold (p50 < 1 µs) and still succeeds: the merge judges it.
    for (const output of outputs) expect(output.code, output.stderr).toBe(0)
    const results = outputs.map((o) => JSON.parse(o.stdout) as RunResult)
    expect(results.map((r) => r.segment?.index)).toEqual([0, 1, 2])
    expect(results.map((r) => r.totals.completed)).toEqual([30, 30, 30])
    const merged = mergeRunResults({
      results: results.map((result, k) => ({name: `shard-${k}.json`, result})),
      toolVersion: 'test',
    })
    expect(merged.totals.completed).toBe(AMOUNT)
    expect(merged.passed).toBe(false)
    // Every {{seq}} once, with its data row, as one process would send them.
    const sent = seen.map((url) => url.split('/').slice(2)).sort((a, b) => Number(a[1]) - Number(b[1]))
    expect(sent).toEqual(Array.from({length: AMOUNT}, (_, k) => [['ada', 'bob', 'cy'][k % 3], String(k)]))
  }, 60_000)

  it('gRPC: the .proto and every file it imports travel in the ConfigMap at their paths, and the shards run from them', async () => {
    const grpc = await startGrpcEcho()
    try {
      // The echo service split in three: the service imports its message through importPaths,
      // and the message file imports a neighbour by its own directory.
      const [head, messages] = readFileSync(ECHO_PROTO, 'utf8').split(/(?=message Msg)/) as [string, string]
      mkdirSync(join(dir, 'protos', 'shared', 'loadtest'), {recursive: true})
      writeFileSync(
        join(dir, 'protos', 'echo.proto'),
        head.replace(
          'package loadtest;',
          'package loadtest;\n// import "not/this.proto";\nimport "loadtest/msg.proto";',
        ),
      )
      writeFileSync(
        join(dir, 'protos', 'shared', 'loadtest', 'msg.proto'),
        `syntax = "proto3";\npackage loadtest;\nimport 'extra.proto';\n${messages}`,
      )
      writeFileSync(
        join(dir, 'protos', 'shared', 'loadtest', 'extra.proto'),
        'syntax = "proto3";\npackage loadtest;\nmessage Extra { string note = 1; }\n',
      )
      writeFileSync(
        join(dir, 'grpc.yaml'),
        `target: ${grpc.url}\nscenarios:\n  - name: call\n    grpc: {proto: protos/echo.proto, importPaths: [protos/shared], method: loadtest.Echo/Unary, message: {text: "{{seq}}"}}\nload: {connections: 2, amount: 40}\n`,
      )
      const {code, configMap, job, stderr} = await manifests(['--shards', '2', '--name', 'grpc-load'], 'grpc.yaml')
      expect(code, stderr).toBe(0)
      expect(job.spec?.template.spec?.volumes?.[0]?.configMap?.items).toEqual([
        {key: 'file-0', path: 'service.yaml'},
        {key: 'file-1', path: 'protos/echo.proto'},
        {key: 'file-2', path: 'protos/shared/loadtest/msg.proto'},
        {key: 'file-3', path: 'protos/shared/loadtest/extra.proto'},
      ])
      expect(configMap.data?.['file-2']).toBe(
        readFileSync(join(dir, 'protos', 'shared', 'loadtest', 'msg.proto'), 'utf8'),
      )
      const outputs = await runPods(configMap, job, 2, new Date(Date.now() + 6000).toISOString())
      for (const output of outputs) expect(output.code, output.stderr).toBe(0)
      const results = outputs.map((o) => JSON.parse(o.stdout) as RunResult)
      expect(
        results.map((r) => r.sessions?.completed),
        JSON.stringify(results.map((r) => [r.sessions, r.errors, r.errorCodes])),
      ).toEqual([20, 20])
      expect(grpc.counts.calls).toBe(40)
    } finally {
      await grpc.close()
    }
  }, 60_000)

  it('gRPC: a .proto or import directory outside the working directory is refused', async () => {
    writeFileSync(join(dir, 'protos', 'other.proto'), 'syntax = "proto3";\npackage x;\nmessage M {}\n')
    writeFileSync(
      join(dir, 'protos', 'importer.proto'),
      'syntax = "proto3";\npackage x;\nimport "other.proto";\nimport "google/protobuf/empty.proto";\nservice Y { rpc Z (M) returns (google.protobuf.Empty); }\n',
    )
    writeFileSync(
      join(dir, 'grpc-bad.yaml'),
      `target: grpc://cluster.invalid:50051\nscenarios:\n  - name: a\n    grpc: {proto: ${ECHO_PROTO}, method: loadtest.Echo/Unary}\n  - name: b\n    grpc: {proto: protos/importer.proto, importPaths: [${join(dir, 'protos')}], method: x.Y/Z}\n`,
    )
    const {code, stderr} = await manifests(['--shards', '2'], 'grpc-bad.yaml')
    expect(code).toBe(2)
    expect(stderr).toContain('scenarios[0].grpc.proto: must be a relative path inside the working directory')
    expect(stderr).toContain('scenarios[1].grpc.importPaths: must be relative directories inside the working directory')
  })

  it('{{env.NAME}} in the file: --env-secret gives the pods a Secret as their environment; without it the file is bad input naming --env-secret', async () => {
    const cwd = process.cwd()
    process.chdir(dir)
    try {
      writeFileSync(
        join(dir, 'secret.yaml'),
        'target: http://cluster.invalid:8080\nheaders: {authorization: "Bearer {{env.SHOP_TOKEN}}"}\nload: {model: closed, connections: 4, amount: 8}\n',
      )
      // Without --env-secret the pods would lack the variable, set here or not (issue 28).
      for (const local of [undefined, 'set-here']) {
        const missing = await runInProcess(['k8s', 'secret.yaml', '--shards', '2'], {env: {SHOP_TOKEN: local}})
        expect(missing.code).toBe(2)
        expect(missing.stderr).toMatch(
          /--env-secret: the file uses \{\{env\.SHOP_TOKEN\}\}, which the pods get only from a Secret: kubectl create secret generic NAME --from-literal=SHOP_TOKEN=…, then give --env-secret NAME/,
        )
      }
      const {code, stdout, stderr} = await runInProcess(
        ['k8s', 'secret.yaml', '--shards', '2', '--env-secret', 'shop-load'],
        {env: {SHOP_TOKEN: undefined}},
      )
      expect(code, stderr).toBe(0)
      const job = parseAllDocuments(stdout)[1]?.toJS() as IJob
      expect(() => new Job(job).validate()).not.toThrow()
      expect(job.spec?.template.spec?.containers[0]?.envFrom).toEqual([{secretRef: {name: 'shop-load'}}])
    } finally {
      process.chdir(cwd)
    }
  })

  it('a credential written out in the file is named in a warning that gives the Secret to create (issue 35)', async () => {
    writeFileSync(
      join(dir, 'literal.yaml'),
      `service: literal\ntarget: http://cluster.invalid:8080\nheaders: {authorization: "Bearer Lit3ralS3cret", accept: "*/*"}\nscenarios:\n  - name: get\n    request: {path: "/?api_key=x", query: {token: "{{env.T}}", page: 2}}\nload: {model: connections, connections: 2, amount: 4}\n`,
    )
    const cwd = process.cwd()
    process.chdir(dir)
    try {
      const {code, stderr} = await runInProcess(['k8s', 'literal.yaml', '--shards', '2', '--env-secret', 'literal-env'])
      expect(code, stderr).toBe(0)
      expect(stderr).toContain('headers.authorization')
      expect(stderr).not.toContain('scenarios[0].request.query.token')
      expect(stderr).toContain('kubectl create secret generic')
      expect(stderr).not.toContain('Lit3ralS3cret')
    } finally {
      process.chdir(cwd)
    }
  })

  it('a body file is refused: the shards could not read it (issue 35)', async () => {
    writeFileSync(join(dir, 'upload.bin'), 'bytes')
    writeFileSync(
      join(dir, 'upload.yaml'),
      `service: upload\ntarget: http://cluster.invalid:8080\nscenarios:\n  - name: put\n    steps:\n      - request: {method: GET, path: /}\n      - request: {method: PUT, path: /u, bodyFile: upload.bin}\nload: {model: connections, connections: 2, amount: 4}\n`,
    )
    const cwd = process.cwd()
    process.chdir(dir)
    try {
      const {code, stdout, stderr} = await runInProcess(['k8s', 'upload.yaml', '--shards', '2'])
      expect(code).toBe(2)
      expect(stdout).toBe('')
      expect(stderr).toContain('upload.yaml: bodyFile')
      expect(stderr).toContain('the shards cannot read files from this machine')
    } finally {
      process.chdir(cwd)
    }
  })

  it('reports every bad flag at once, with exit 2', async () => {
    const {code, stderr} = await manifests([
      '--shards',
      '0',
      '--name',
      'Bad_Name',
      '--cpu',
      'lots',
      '--start-at',
      '2020-01-01T00:00:00Z',
    ])
    expect(code).toBe(2)
    for (const flag of ['--shards', '--name', '--cpu', '--start-at']) expect(stderr).toContain(flag)
  })
})
