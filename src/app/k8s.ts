/**
 * `loadplan k8s`: checks the plan as every shard will run it, then writes the Kubernetes manifests
 * that run it as n shards from one start time, and the commands that collect and merge them.
 */
import {isAbsolute, normalize} from 'node:path'
import {stringify} from 'yaml'
import {envPlaceholderNames} from '../config/env-placeholders.js'
import {K8S_DEFAULTS} from '../config/k8s-options.js'
import {parseStartAt} from '../config/run/resolve-sharding.js'
import {k8sManifests, k8sNextSteps, type K8sManifestInput, type K8sPlanFile} from '../core/deploy/k8s-manifests.js'
import type {ServiceFile} from '../config/service-file.js'
import {EXIT, ProblemList} from '../contracts/errors.js'
import {parseDurationMs} from '../contracts/parse/parse-units.js'
import {literalSecretPaths} from '../contracts/redact.js'
import {formatDurationMs} from '../contracts/format/units.js'
import {protoImportClosure} from '../adapters/io/proto-import-closure.js'
import {readInputFile} from '../adapters/io/read-input-file.js'
import {checkWritable, writeTextFile} from '../adapters/io/write-output.js'
import type {AppResult} from './app-result.js'
import {looksLikeServiceFile, readLoadOptions} from './read-target.js'

export interface K8sInput {
  plan: string
  shards: string
  name?: string | undefined
  namespace?: string | undefined
  image?: string | undefined
  cpu: string
  memory: string
  startAt?: string | undefined
  startDelay: string
  target?: string | undefined
  resultsPvc?: string | undefined
  /** A Secret holding the variables of the file's {{env.NAME}} placeholders. */
  envSecret?: string | undefined
  out?: string | undefined
  toolVersion: string
  nowEpochMs: number
}

export interface K8sDocument {
  yaml: string
  /** Where the manifests were written (else they are printed). */
  out?: string
  startAt: string
  nextSteps: string[]
}

const MAX_SHARDS = 1000
/** Job names become pod names with an index and a random suffix; Kubernetes allows 63 characters. */
const MAX_NAME_LENGTH = 50
/** Time for the Job after the run: pulling the image, writing the result. */
const DEADLINE_MARGIN_S = 600
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const QUANTITY = /^\d+(\.\d+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/
/** Kubernetes keeps a ConfigMap under 1 MiB. */
const CONFIG_MAP_LIMIT_BYTES = 1_048_576

/** The image the repository's Dockerfile builds, tagged with this version. */
function defaultImage(toolVersion: string): string {
  return `${K8S_DEFAULTS.imageName}:${toolVersion}`
}

function defaultName(service: string | undefined): string {
  const base = `loadplan-${(service ?? 'run').toLowerCase().replace(/[^a-z0-9-]+/g, '-')}`.slice(0, MAX_NAME_LENGTH)
  return base.replace(/-+$/, '')
}

export async function writeK8sManifests(input: K8sInput): Promise<AppResult<K8sDocument>> {
  const problems = new ProblemList()
  const shards = Number(input.shards)
  if (!Number.isInteger(shards) || shards < 1 || shards > MAX_SHARDS)
    problems.add('--shards', `expected a whole number from 1 to ${MAX_SHARDS}, e.g. --shards 3`, input.shards)
  if (input.name !== undefined && (!DNS_LABEL.test(input.name) || input.name.length > MAX_NAME_LENGTH))
    problems.add(
      '--name',
      `expected lower-case letters, digits and '-', at most ${MAX_NAME_LENGTH} characters, e.g. --name checkout-load`,
      input.name,
    )
  if (input.namespace !== undefined && (!DNS_LABEL.test(input.namespace) || input.namespace.length > 63))
    problems.add(
      '--namespace',
      "expected a Kubernetes namespace name (lower-case letters, digits and '-')",
      input.namespace,
    )
  if (!QUANTITY.test(input.cpu)) problems.add('--cpu', 'expected a Kubernetes CPU quantity, e.g. 1 or 1500m', input.cpu)
  if (!QUANTITY.test(input.memory))
    problems.add('--memory', 'expected a Kubernetes memory quantity, e.g. 512Mi or 1Gi', input.memory)
  if (input.resultsPvc !== undefined && !DNS_LABEL.test(input.resultsPvc))
    problems.add('--results-pvc', 'expected the name of a PersistentVolumeClaim in the namespace', input.resultsPvc)
  if (input.envSecret !== undefined && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(input.envSecret))
    problems.add('--env-secret', 'expected the name of a Secret in the namespace', input.envSecret)
  if (input.image !== undefined && !/^[^\s'"]+$/.test(input.image))
    problems.add('--image', 'expected an image reference such as registry.example.com/loadplan:0.1.0', input.image)
  if (input.out !== undefined) {
    const why = checkWritable(input.out)
    if (why) problems.add('--out', why, input.out)
  }
  let startAtMs: number | undefined
  if (input.startAt !== undefined) {
    const parsed = parseStartAt(input.startAt)
    if (typeof parsed === 'object') problems.add('--start-at', parsed.error, input.startAt)
    else if (parsed <= input.nowEpochMs)
      problems.add('--start-at', 'is not in the future: the pods need time to start', input.startAt)
    else startAtMs = parsed
  } else {
    const delayMs = parseDurationMs(input.startDelay)
    if (delayMs === undefined || delayMs < 10_000)
      problems.add(
        '--start-delay',
        'expected a duration of at least 10s (the pods need time to start), e.g. --start-delay 2m',
        input.startDelay,
      )
    else startAtMs = Math.ceil((input.nowEpochMs + delayMs) / 1000) * 1000
  }
  if (!looksLikeServiceFile(input.plan))
    problems.add(
      'plan',
      'expected a service file: the shards read it from a ConfigMap (write one with the URL as target:)',
      input.plan,
    )
  problems.throwIfAny('Cannot write the manifests:')

  // The plan as shard 0 will resolve it: every problem a shard would hit is reported here first.
  // With --env-secret the pods get {{env.NAME}} from the Secret: stand-ins here for what is not set.
  const serviceText = readInputFile(input.plan, 'no such file')
  const placeholders = envPlaceholderNames(serviceText)
  // The pods see only the Secret: a variable set here would be missing there (each pod exits 2).
  if (input.envSecret === undefined && placeholders.length > 0) {
    const keys = placeholders.map((name) => `--from-literal=${name}=…`).join(' ')
    problems.add(
      '--env-secret',
      `the file uses ${placeholders.map((name) => `{{env.${name}}}`).join(', ')}, which the pods get only from a Secret: kubectl create secret generic NAME ${keys}, then give --env-secret NAME`,
    )
    problems.throwIfAny('Cannot write the manifests:')
  }
  const env =
    input.envSecret === undefined
      ? process.env
      : {...Object.fromEntries(placeholders.map((name) => [name, 'x'])), ...process.env}
  const {options, file} = await readLoadOptions({
    env,
    target: input.plan,
    flags: {segment: shards > 1 ? `0/${shards}` : undefined, target: input.target, workers: '1'},
    toolVersion: input.toolVersion,
    defaultSeed: 1,
  })
  const serviceFile = {path: 'service.yaml', text: serviceText}
  let dataFile: K8sManifestInput['dataFile']
  if (file?.dataFile !== undefined) {
    const path = normalize(file.dataFile)
    if (!insideWorkingDirectory(path))
      problems.add(
        `${input.plan}: dataFile`,
        'must be a relative path inside the working directory for the shards to find it in the ConfigMap',
        file.dataFile,
      )
    else dataFile = {path, text: readInputFile(file.dataFile, 'no such file')}
  }
  // A body file is bytes on this machine; the pods see only the ConfigMap (text, 1 MiB in all).
  const sendsBodyFile = options.scenarios.some(
    (s) => s.bodyBytes !== undefined || s.steps?.some((step) => step.request.bodyBytes !== undefined),
  )
  if (sendsBodyFile)
    problems.add(
      `${input.plan}: bodyFile`,
      'the shards cannot read files from this machine; put a small body inline (body: or json:), or run each shard with loadplan run where the file is',
    )
  const protoFiles = shippedProtoFiles(file, input.plan, problems)
  const bytes = [serviceText, dataFile?.text ?? '', ...protoFiles.map((f) => f.text)].reduce(
    (sum, text) => sum + Buffer.byteLength(text),
    0,
  )
  if (bytes > CONFIG_MAP_LIMIT_BYTES)
    problems.add(
      input.plan,
      `with its data and .proto files is ${bytes} bytes, over the 1 MiB a ConfigMap holds; use a smaller data file`,
    )
  problems.throwIfAny('Cannot write the manifests:')

  const startAt = new Date(startAtMs as number).toISOString()
  const plannedMs =
    options.load.model === 'closed'
      ? options.load.durationMs
      : options.load.stages.reduce((sum, stage) => sum + stage.durationMs, 0)
  const name = input.name ?? defaultName(options.service)
  const manifestInput: K8sManifestInput = {
    name,
    shards,
    serviceFile,
    startAt,
    image: input.image ?? defaultImage(input.toolVersion),
    cpu: input.cpu,
    memory: input.memory,
  }
  if (dataFile) manifestInput.dataFile = dataFile
  if (protoFiles.length > 0) manifestInput.protoFiles = protoFiles
  if (input.namespace !== undefined) manifestInput.namespace = input.namespace
  if (input.target !== undefined) manifestInput.target = input.target
  if (input.resultsPvc !== undefined) manifestInput.resultsClaim = input.resultsPvc
  if (input.envSecret !== undefined) manifestInput.envSecret = input.envSecret
  if (plannedMs !== undefined && Number.isFinite(plannedMs))
    manifestInput.activeDeadlineSeconds =
      Math.ceil(((startAtMs as number) - input.nowEpochMs + plannedMs) / 1000) + DEADLINE_MARGIN_S
  const yaml = k8sManifests(manifestInput)
    .map((doc) => stringify(doc, {lineWidth: 0, aliasDuplicateObjects: false}))
    .join('---\n')
  const literal = literalSecretPaths(file)
  const warnings = [
    ...(literal.length > 0
      ? [
          `${input.plan} holds credentials written out (${literal.join(', ')}): the ConfigMap shows them to anyone who can read ConfigMaps in the namespace. Put each in a Secret instead: write {{env.NAME}} in the file, kubectl create secret generic ${name}-env --from-literal=NAME=…, and give --env-secret ${name}-env.`,
        ]
      : []),
    `The shards start at ${startAt} (in ${formatDurationMs((startAtMs as number) - input.nowEpochMs)}): apply the manifests before then; a shard starting over 5 s late fails.`,
  ]
  const nextSteps = k8sNextSteps(manifestInput, input.out)
  if (input.image === undefined)
    nextSteps.unshift(
      `the pods run the image ${manifestInput.image}: build it from loadplan's Dockerfile (docker build -t ${manifestInput.image} .) and load it into the cluster (kind load docker-image ${manifestInput.image}), or push it to a registry the cluster pulls from and give --image REGISTRY/${manifestInput.image}`,
    )
  const document: K8sDocument = {yaml, startAt, nextSteps}
  if (input.out !== undefined) {
    const failure = writeTextFile(input.out, yaml)
    if (failure) return {document, warnings: [...warnings, failure], exitCode: EXIT.badInput}
    document.out = input.out
  }
  return {document, warnings, exitCode: EXIT.ok}
}

/** A relative path that stays inside the working directory, where the pods find the ConfigMap's files. */
const insideWorkingDirectory = (path: string) => !isAbsolute(path) && !normalize(path).startsWith('..')

/**
 * The .proto files of the file's gRPC scenarios and every file they import, to travel in the
 * ConfigMap at the paths they have here: each inside the working directory, and the import
 * directories relative to it, so that the shards find them as this machine does.
 */
function shippedProtoFiles(file: ServiceFile | undefined, plan: string, problems: ProblemList): K8sPlanFile[] {
  const shipped = new Map<string, K8sPlanFile>()
  for (const [i, scenario] of (file?.scenarios ?? []).entries()) {
    const grpc = scenario.grpc
    if (!grpc) continue
    const field = `${plan}: scenarios[${i}].grpc`
    if (!insideWorkingDirectory(grpc.proto)) {
      problems.add(
        `${field}.proto`,
        'must be a relative path inside the working directory for the shards to find it in the ConfigMap',
        grpc.proto,
      )
      continue
    }
    const importPaths = grpc.importPaths ?? []
    const outside = importPaths.filter((dir) => !insideWorkingDirectory(dir))
    if (outside.length > 0) {
      problems.add(
        `${field}.importPaths`,
        'must be relative directories inside the working directory: the shards look for imports at the same paths in the ConfigMap',
        outside,
      )
      continue
    }
    const closure = protoImportClosure(grpc.proto, importPaths)
    if ('error' in closure) {
      problems.add(`${field}.proto`, closure.error, grpc.proto)
      continue
    }
    for (const {absolutePath, path, text} of closure.files) {
      if (!insideWorkingDirectory(path))
        problems.add(
          `${field}.proto`,
          `imports ${absolutePath}, outside the working directory: the shards get only files inside it; copy it in and add its directory to importPaths`,
          grpc.proto,
        )
      else shipped.set(path, {path, text})
    }
  }
  return [...shipped.values()]
}
