/** A real Prometheus server (Debian's prometheus + promtool) with history backfilled from OpenMetrics text. */
import {execFileSync, spawn} from 'node:child_process'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {unusedPort} from './local-server.js'

export const hasPrometheus = (() => {
  try {
    execFileSync('promtool', ['--version'], {stdio: 'ignore'})
    execFileSync('prometheus', ['--version'], {stdio: 'ignore'})
    return true
  } catch {
    return false
  }
})()

export interface PrometheusServer {
  url: string
  stop(): void
}

/**
 * `samples`: metric name → [epoch ms, value] pairs (none: an empty server). `remoteWrite`: accept
 * Prometheus remote write at /api/v1/write. Starts the server and waits until it is ready.
 */
export async function startPrometheus(
  samples: Record<string, Array<[number, number]>>,
  {remoteWrite = false}: {remoteWrite?: boolean} = {},
): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), 'loadplan-prometheus-'))
  const lines: string[] = []
  for (const [metric, points] of Object.entries(samples)) {
    lines.push(`# TYPE ${metric} gauge`)
    for (const [t, v] of points) lines.push(`${metric} ${v} ${t / 1000}`)
  }
  writeFileSync(join(dir, 'data.om'), `${lines.join('\n')}\n# EOF\n`)
  // One block for the whole history: the default 2 h blocks (hundreds of them) take Prometheus seconds to open.
  if (lines.length > 0)
    execFileSync(
      'promtool',
      [
        'tsdb',
        'create-blocks-from',
        'openmetrics',
        '--max-block-duration=8760h',
        join(dir, 'data.om'),
        join(dir, 'tsdb'),
      ],
      {stdio: 'ignore'},
    )
  writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1h\n')
  const port = await unusedPort()
  const child = spawn(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=10y',
      ...(remoteWrite ? ['--web.enable-remote-write-receiver'] : []),
    ],
    {stdio: 'ignore'},
  )
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(`${url}/-/ready`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  return {
    url,
    stop() {
      if (child.pid) process.kill(child.pid, 'SIGTERM')
    },
  }
}
