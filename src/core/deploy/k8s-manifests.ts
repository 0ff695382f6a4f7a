/**
 * The Kubernetes objects that run a plan as n shards: a ConfigMap holding the service file (and
 * its data file), and an Indexed Job whose pod k runs `loadplan run --segment k/n`, every pod from
 * the same --start-at. Plain objects (the app writes them as YAML); pure.
 *
 * Why each choice:
 * - Indexed completion mode gives every pod its index in JOB_COMPLETION_INDEX, the shard number.
 * - parallelism = completions = n: all shards run at once; backoffLimit 0: a retried shard would
 *   start after the others and send its share late, so a failure fails the Job visibly instead.
 * - One CPU requested per shard: one loadplan process drives one core (its event loop).
 * - A shard whose thresholds fail still succeeds (exit 3 → 0): thresholds are judged on the merged
 *   result, and a failed pod would make the Job controller stop the other shards.
 * - The result goes to the pod's log alone (stderr only on failure), so `kubectl logs` is the
 *   shard's RunResult; or to a PersistentVolumeClaim when one is named.
 */

const K8S_LABEL = 'app.kubernetes.io/name'

export interface K8sPlanFile {
  /** Path relative to the working directory, as the service file names it. */
  path: string
  text: string
}

export interface K8sManifestInput {
  /** Job name (DNS-1123 label); the ConfigMap is `<name>-plan`. */
  name: string
  namespace?: string
  shards: number
  /** The service file as given, and its data file when it has one. */
  serviceFile: K8sPlanFile
  dataFile?: K8sPlanFile
  /** The .proto files of gRPC scenarios, at the paths the service file names. */
  protoFiles?: K8sPlanFile[]
  /** The wall-clock start every shard shares (ISO 8601). */
  startAt: string
  /** An image with `loadplan` on its PATH, such as the one the repository's Dockerfile builds. */
  image: string
  cpu: string
  memory: string
  /** Overrides the file's target (the address the service has inside the cluster). */
  target?: string
  /** A PersistentVolumeClaim the shards write their results to, as shard-<k>.json. */
  resultsClaim?: string
  /** Kill the Job after this long (start delay + the run + margin). */
  activeDeadlineSeconds?: number
  /** A Secret whose keys become the pods' environment, for the file's {{env.NAME}} placeholders. */
  envSecret?: string
}

/** POSIX shell single-quoting. */
function quote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`
}

/** The container's script: one shard of the run, its result on stdout, stderr kept for failures. */
export function shardScript(
  input: Pick<K8sManifestInput, 'shards' | 'serviceFile' | 'target' | 'resultsClaim'>,
): string {
  const out = input.resultsClaim ? '/results/shard-$JOB_COMPLETION_INDEX.json' : '${TMPDIR:-/tmp}/shard.json'
  const target = input.target ? ` --target ${quote(input.target)}` : ''
  return [
    `loadplan run ${quote(input.serviceFile.path)}${target} --segment "$JOB_COMPLETION_INDEX/${input.shards}" --start-at "$LOADPLAN_START_AT" --workers 1 --quiet --out "${out}" >/dev/null 2>"\${TMPDIR:-/tmp}/stderr.log"`,
    'code=$?',
    // 3 = thresholds failed: judged again by loadplan merge on the whole run.
    `if [ "$code" = 0 ] || [ "$code" = 3 ]; then cat "${out}"; exit 0; fi`,
    'cat "${TMPDIR:-/tmp}/stderr.log" >&2',
    'exit "$code"',
  ].join('\n')
}

export function k8sManifests(input: K8sManifestInput): object[] {
  const labels = {[K8S_LABEL]: 'loadplan', 'app.kubernetes.io/instance': input.name}
  const metadata = (name: string) => ({name, ...(input.namespace ? {namespace: input.namespace} : {}), labels})
  const files = [input.serviceFile, ...(input.dataFile ? [input.dataFile] : []), ...(input.protoFiles ?? [])]
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: metadata(`${input.name}-plan`),
    data: Object.fromEntries(files.map((file, i) => [`file-${i}`, file.text])),
  }
  const volumes: object[] = [
    {
      name: 'plan',
      configMap: {name: `${input.name}-plan`, items: files.map((file, i) => ({key: `file-${i}`, path: file.path}))},
    },
  ]
  const volumeMounts: object[] = [{name: 'plan', mountPath: '/plan', readOnly: true}]
  if (input.resultsClaim) {
    volumes.push({name: 'results', persistentVolumeClaim: {claimName: input.resultsClaim}})
    volumeMounts.push({name: 'results', mountPath: '/results'})
  }
  const job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      ...metadata(input.name),
      annotations: {'loadplan/start-at': input.startAt, 'loadplan/shards': String(input.shards)},
    },
    spec: {
      completionMode: 'Indexed',
      completions: input.shards,
      parallelism: input.shards,
      backoffLimit: 0,
      ...(input.activeDeadlineSeconds ? {activeDeadlineSeconds: input.activeDeadlineSeconds} : {}),
      // Finished pods (and their logs, the results) are kept for a day.
      ttlSecondsAfterFinished: 86_400,
      template: {
        metadata: {labels},
        spec: {
          restartPolicy: 'Never',
          // Shards on different nodes where the cluster has them: load from several places.
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                {
                  weight: 100,
                  podAffinityTerm: {
                    topologyKey: 'kubernetes.io/hostname',
                    labelSelector: {matchLabels: {'app.kubernetes.io/instance': input.name}},
                  },
                },
              ],
            },
          },
          containers: [
            {
              name: 'loadplan',
              image: input.image,
              workingDir: '/plan',
              command: ['sh', '-c', shardScript(input)],
              env: [
                {name: 'LOADPLAN_START_AT', value: input.startAt},
                {name: 'CI', value: 'true'},
              ],
              // Admitted under the "restricted" Pod Security Standard (uid 1000 is the image's user, node).
              securityContext: {
                runAsNonRoot: true,
                runAsUser: 1000,
                allowPrivilegeEscalation: false,
                capabilities: {drop: ['ALL']},
                seccompProfile: {type: 'RuntimeDefault'},
              },
              ...(input.envSecret ? {envFrom: [{secretRef: {name: input.envSecret}}]} : {}),
              resources: {requests: {cpu: input.cpu, memory: input.memory}, limits: {memory: input.memory}},
              volumeMounts,
            },
          ],
          volumes,
        },
      },
    },
  }
  return [configMap, job]
}

/** The commands that run the manifests and collect and merge the shards' results. */
export function k8sNextSteps(
  input: Pick<K8sManifestInput, 'name' | 'namespace' | 'shards' | 'resultsClaim'>,
  manifestPath: string | undefined,
): string[] {
  const ns = input.namespace ? ` -n ${input.namespace}` : ''
  const files = Array.from({length: input.shards}, (_, k) => `shard-${k}.json`).join(' ')
  return [
    manifestPath ? `kubectl apply${ns} -f ${manifestPath}` : '(pipe this into: kubectl apply -f -)',
    `kubectl wait${ns} --for=condition=complete job/${input.name} --timeout=1h`,
    input.resultsClaim
      ? `copy shard-0.json … shard-${input.shards - 1}.json from the volume ${input.resultsClaim} (e.g. kubectl cp from a pod that mounts it)`
      : `for k in $(seq 0 ${input.shards - 1}); do kubectl logs${ns} -l job-name=${input.name},batch.kubernetes.io/job-completion-index=$k --tail=-1 > shard-$k.json; done`,
    `loadplan merge ${files} --out merged.json`,
  ]
}
