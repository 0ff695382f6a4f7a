/** Starts the embedded demo server in a worker thread and returns its URL. */
import {Worker} from 'node:worker_threads'

export interface DemoServer {
  url: string
  stop(): Promise<void>
}

export async function startDemoServer(): Promise<DemoServer> {
  const worker = new Worker(new URL('./demo-server-worker.js', import.meta.url))
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', (message: {port: number}) => resolve(message.port))
    worker.once('error', reject)
  })
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      worker.postMessage('stop')
      await new Promise((resolve) => worker.once('exit', resolve))
    },
  }
}
