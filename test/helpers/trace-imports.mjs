// Preload (`node --import`) that records every module the process loads and, at exit, writes
// their URLs to the file named by LOADPLAN_TRACE_IMPORTS: the start-up test reads which heavy
// modules a command pulled in. ESM through a resolve hook, CommonJS through Module._load.
import {writeFileSync} from 'node:fs'
import {createRequire, register} from 'node:module'
import {MessageChannel} from 'node:worker_threads'

const loaded = new Set()
const {port1, port2} = new MessageChannel()
port1.on('message', (url) => loaded.add(url))
port1.unref()
register('./trace-imports-hooks.mjs', import.meta.url, {data: {port: port2}, transferList: [port2]})
const Module = createRequire(import.meta.url)('node:module')
const load = Module._load
Module._load = function (request, parent, ...rest) {
  const result = load.call(this, request, parent, ...rest)
  try {
    loaded.add(Module._resolveFilename(request, parent))
  } catch {
    // builtins and the like
  }
  return result
}
process.on('exit', () => {
  if (process.env.LOADPLAN_TRACE_IMPORTS) writeFileSync(process.env.LOADPLAN_TRACE_IMPORTS, [...loaded].join('\n'))
})
