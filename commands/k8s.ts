import {Args, Command, Flags} from '@oclif/core'
import {helpFlag} from '../src/cli/flags.js'
import {runCommand} from '../src/cli/run-command.js'
import {K8S_DEFAULTS as D} from '../src/config/k8s-options.js'

export default class K8s extends Command {
  static override summary =
    'Write Kubernetes manifests that run a service file as N shards from one start time (an Indexed Job).'

  static override description = `A ConfigMap holds the service file (and its data file); an Indexed Job runs N pods, pod k
running "loadplan run --segment k/N --start-at TIME", one CPU each, spread over nodes. Each pod's
log is its shard's RunResult (or it goes to --results-pvc). Collect them and add them exactly
with loadplan merge; thresholds are judged there, on the whole run.

The manifests are printed (or written to --out) with the kubectl and merge steps on stderr.
The start time is fixed when the manifests are written: apply them before it.`

  static override examples = [
    {
      description: 'Three shards, applied at once',
      command: '<%= config.bin %> k8s plans/example.yaml --shards 3 | kubectl apply -f -',
    },
    {
      description: 'Ten shards of an image with loadplan installed, aimed at the service inside the cluster',
      command:
        '<%= config.bin %> k8s plan.yaml --shards 10 --image registry.example.com/loadplan:0.1.0 --target http://checkout.shop.svc:8080 --out load.yaml',
    },
  ]

  static override args = {
    plan: Args.string({
      description: 'A service file (YAML) with the load to split. Example: plans/example.yaml',
      required: true,
    }),
  }

  static override flags = {
    ...helpFlag,
    shards: Flags.string({
      char: 'n',
      description: 'How many pods share the load (one CPU each). Example: --shards 3',
      required: true,
      helpValue: 'N',
    }),
    name: Flags.string({
      description:
        'Name of the Job (the ConfigMap is NAME-plan). Default: loadplan-SERVICE. Example: --name checkout-load',
      helpValue: 'NAME',
    }),
    namespace: Flags.string({
      description: "Namespace of the objects. Default: kubectl's current one. Example: --namespace load",
      helpValue: 'NS',
    }),
    image: Flags.string({
      description: `Container image with loadplan on its PATH, as loadplan's Dockerfile builds it. Default: ${D.imageName}:VERSION (this version), which the cluster must already have. Example: --image registry.example.com/loadplan:0.1.0`,
      helpValue: 'IMAGE',
    }),
    target: Flags.string({
      description:
        "Base URL of the service as the pods reach it. Default: the file's target. Example: --target http://checkout.shop.svc:8080",
      helpValue: 'URL',
    }),
    cpu: Flags.string({
      description: `CPU request per pod. Default: ${D.cpu}. Example: --cpu 1500m`,
      default: D.cpu,
      helpValue: 'QUANTITY',
    }),
    memory: Flags.string({
      description: `Memory request and limit per pod. Default: ${D.memory}. Example: --memory 1Gi`,
      default: D.memory,
      helpValue: 'QUANTITY',
    }),
    'start-at': Flags.string({
      description:
        'When every shard starts (ISO 8601 with a zone, or @EPOCH). Default: now + --start-delay. Example: --start-at 2026-12-01T09:30:00Z',
      helpValue: 'TIME',
    }),
    'start-delay': Flags.string({
      description: `Start this long after the manifests are written. Default: ${D.startDelay}. Example: --start-delay 5m`,
      default: D.startDelay,
      helpValue: 'DURATION',
    }),
    'results-pvc': Flags.string({
      description:
        "Also write each shard's result to this PersistentVolumeClaim as shard-K.json. Default: pod logs only. Example: --results-pvc load-results",
      helpValue: 'CLAIM',
    }),
    'env-secret': Flags.string({
      description:
        "A Secret whose keys become the pods' environment, for {{env.NAME}} in the file. Default: none. Example: --env-secret shop-load",
      helpValue: 'SECRET',
    }),
    out: Flags.string({
      char: 'o',
      description: 'Write the manifests to FILE instead of stdout. Default: stdout. Example: --out load.yaml',
      helpValue: 'FILE',
    }),
  }

  async run(): Promise<void> {
    const {writeK8sManifests} = await import('../src/app/k8s.js')
    const {args, flags} = await this.parse(K8s)
    await runCommand('Cannot write the manifests:', async () => {
      const outcome = await writeK8sManifests({
        plan: args.plan,
        shards: flags.shards,
        name: flags.name,
        namespace: flags.namespace,
        image: flags.image,
        cpu: flags.cpu,
        memory: flags.memory,
        startAt: flags['start-at'],
        startDelay: flags['start-delay'],
        target: flags.target,
        resultsPvc: flags['results-pvc'],
        envSecret: flags['env-secret'],
        out: flags.out,
        toolVersion: this.config.version,
        nowEpochMs: Date.now(),
      })
      const {document} = outcome
      if (document.out === undefined) process.stdout.write(document.yaml)
      for (const warning of outcome.warnings) process.stderr.write(`${warning}\n`)
      process.stderr.write(`Then:\n${document.nextSteps.map((step) => `  ${step}`).join('\n')}\n`)
      return outcome.exitCode
    })
  }
}
