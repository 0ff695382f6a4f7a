/** The layering of src/: the table in layers.js has no cycle, lint enforces it, and the code obeys it. */
import {readdirSync, readFileSync} from 'node:fs'
import {dirname, join, relative, resolve, sep} from 'node:path'
import {ESLint} from 'eslint'
import {describe, expect, it} from 'vitest'
import {LAYERS} from '../../layers.js'

const ROOT = join(import.meta.dirname, '..', '..')

/** Folders on a cycle of `graph`, as strings `a -> b -> a` (Tarjan's strongly connected components). */
function cycles(graph: Record<string, Iterable<string>>): string[] {
  let index = 0
  const stack: string[] = []
  const onStack = new Set<string>()
  const indexOf = new Map<string, number>()
  const low = new Map<string, number>()
  const found: string[] = []
  const visit = (v: string) => {
    indexOf.set(v, index)
    low.set(v, index++)
    stack.push(v)
    onStack.add(v)
    for (const w of graph[v] ?? []) {
      if (!indexOf.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, indexOf.get(w) as number))
    }
    if (low.get(v) === indexOf.get(v)) {
      const component: string[] = []
      let w: string
      do {
        w = stack.pop() as string
        onStack.delete(w)
        component.push(w)
      } while (w !== v)
      if (component.length > 1 || [...(graph[v] ?? [])].includes(v)) found.push(component.join(' <-> '))
    }
  }
  for (const v of Object.keys(graph)) if (!indexOf.has(v)) visit(v)
  return found
}

/** Which top-level folders of src/ each folder imports, read from the code. */
function importGraph(): Record<string, Set<string>> {
  const src = join(ROOT, 'src')
  const files: string[] = []
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, {withFileTypes: true})) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (/\.tsx?$/.test(entry.name)) files.push(path)
    }
  }
  walk(src)
  const folderOf = (file: string) =>
    relative(src, file)
      .split(sep)[0]
      ?.replace(/\.tsx?$|\.js$/, '') as string
  const graph: Record<string, Set<string>> = {}
  for (const file of files) {
    const from = folderOf(file)
    graph[from] ??= new Set()
    for (const match of readFileSync(file, 'utf8').matchAll(
      /(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g,
    )) {
      const target = resolve(dirname(file), (match[1] ?? match[2]) as string)
      if (!target.startsWith(src + sep)) continue
      const to = folderOf(target)
      if (to !== from) graph[from].add(to)
    }
  }
  return graph
}

describe('layers', () => {
  it('the layer table has no cycle and names every folder of src/', () => {
    expect(cycles(LAYERS)).toEqual([])
    const folders = readdirSync(join(ROOT, 'src'), {withFileTypes: true}).map((e) => e.name.replace(/\.ts$/, ''))
    for (const folder of folders) expect(Object.keys(LAYERS), folder).toContain(folder)
  })

  it('the code imports only what the table allows, so the folders form no cycle', () => {
    const graph = importGraph()
    expect(cycles(graph)).toEqual([])
    for (const [from, targets] of Object.entries(graph)) {
      for (const to of targets)
        expect(LAYERS[from as keyof typeof LAYERS], `src/${from} imports src/${to}`).toContain(to)
    }
  })

  it('lint fails an import that climbs a layer or reaches for a package another layer owns', async () => {
    // Given an engine file importing the report layer, and a core file importing Ink
    const eslint = new ESLint({cwd: ROOT})
    const [engine] = await eslint.lintText(
      "import {renderSummary} from '../report/summary-table.js'\nexport const x = renderSummary\n",
      {filePath: join(ROOT, 'src/engine/probe.ts')},
    )
    const [core] = await eslint.lintText("import {render} from 'ink'\nexport const y = render\n", {
      filePath: join(ROOT, 'src/planning/probe.ts'),
    })
    const [app] = await eslint.lintText("export function f(): void {\n  process.stdout.write('x')\n}\n", {
      filePath: join(ROOT, 'src/app/probe.ts'),
    })
    // Then each is an error naming the rule
    expect(engine?.messages.map((m) => m.ruleId)).toContain('no-restricted-imports')
    expect(core?.messages.map((m) => m.ruleId)).toContain('no-restricted-imports')
    expect(app?.messages.map((m) => m.ruleId)).toContain('no-restricted-properties')
  })
})
