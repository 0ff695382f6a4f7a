/** What the run, capacity and plan HTML pages share: the page's frame and its tables. Pure. */
import {escapeXml} from './xml.js'

/** The top of a page, up to its body: the title, the shared styles, then the page's own. */
export function pageHead(title: string, css: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(title)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:800px;color:#1d2330}
h1{font-size:22px}h2{font-size:16px;margin-top:28px}
table{border-collapse:collapse;width:100%;margin-top:8px}td,th{border-bottom:1px solid #e3e6ea;padding:4px 6px;text-align:right}td:first-child,th:first-child{text-align:left}
.verdict-failed{color:#b3261e}.verdict-passed{color:#1f7a3a}
${css}
</style></head><body>`
}

/** A table of text cells (escaped here), its first column left-aligned and the rest right. */
export function htmlTable(head: readonly string[], rows: ReadonlyArray<readonly string[]>, id: string): string {
  return `<table id="${id}"><thead><tr>${head.map((h) => `<th>${escapeXml(h)}</th>`).join('')}</tr></thead><tbody>
${rows.map((r) => `<tr>${r.map((c) => `<td>${escapeXml(c)}</td>`).join('')}</tr>`).join('\n')}
</tbody></table>`
}
