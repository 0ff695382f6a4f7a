/** The layering of src/: the table in layers.js has no cycle, lint enforces it, and the code obeys it. */
import {readdirSync, readFileSync} from 'node:fs'
import {dirname, join, relative, resolve} from 'node:path'
import {ESLint} from 'eslint'
import {describe, expect, it} from 'vitest'
import {LAYERS, moduleOf} from '../../layers.js'

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

/** Every source file of src/. */
function sourceFiles(): string[] {
  const files: string[] = []
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, {withFileTypes: true})) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (/\.tsx?$/.test(entry.name)) files.push(path)
    }
  }
  walk(join(ROOT, 'src'))
  return files
}

/** Which modules of src/ (the keys of layers.js) each module imports, read from the code. */
function importGraph(): Record<string, Set<string>> {
  const graph: Record<string, Set<string>> = {}
  for (const file of sourceFiles()) {
    const from = moduleOf(ROOT, file) as string
    graph[from] ??= new Set()
    for (const match of readFileSync(file, 'utf8').matchAll(
      /(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g,
    )) {
      const to = moduleOf(ROOT, resolve(dirname(file), (match[1] ?? match[2]) as string))
      if (to !== undefined && to !== from) graph[from].add(to)
    }
  }
  return graph
}

describe('layers', () => {
  it('the layer table has no cycle and every file of src/ belongs to one of its modules', () => {
    expect(cycles(LAYERS)).toEqual([])
    for (const file of sourceFiles()) expect(moduleOf(ROOT, file), relative(ROOT, file)).toBeDefined()
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
      "import {renderSummary} from '../../report/summary-table.js'\nexport const x = renderSummary\n",
      {filePath: join(ROOT, 'src/core/engine/probe.ts')},
    )
    const [core] = await eslint.lintText("import {render} from 'ink'\nexport const y = render\n", {
      filePath: join(ROOT, 'src/core/planning/probe.ts'),
    })
    const [app] = await eslint.lintText("export function f(): void {\n  process.stdout.write('x')\n}\n", {
      filePath: join(ROOT, 'src/app/probe.ts'),
    })
    // Then each is an error naming the rule
    expect(engine?.messages.map((m) => m.ruleId)).toContain('loadplan/layers')
    expect(engine?.messages.map((m) => m.message).join()).toContain('not src/report')
    expect(core?.messages.map((m) => m.ruleId)).toContain('loadplan/layers')
    expect(app?.messages.map((m) => m.ruleId)).toContain('no-restricted-properties')
  })
})
