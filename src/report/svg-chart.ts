/**
 * The pieces the HTML reports draw their charts with: inline SVG (no scripts, no network), one
 * size and one axis style. Pure.
 */
import {escapeXml} from './xml.js'

export const CHART_W = 760
export const CHART_H = 260
export const CHART_PAD = {left: 64, right: 16, top: 16, bottom: 40}

/**
 * A round upper bound for an axis whose four grid steps are round too: 4 × (1, 2, 2.5 or 5 × a
 * power of ten). `integer` (counts): steps of whole numbers, at least 1. A maximum of 5 gave steps
 * of 1.25, labelled 0, 1, 3, 4, 5 once rounded.
 * @example niceMax(5, {integer: true}) // => 8 (0, 2, 4, 6, 8)
 */
export function niceMax(value: number, {integer = false}: {integer?: boolean} = {}): number {
  if (!(value > 0)) return integer ? 4 : 1
  const rawStep = value / 4
  const magnitude = 10 ** Math.floor(Math.log10(rawStep))
  const factors = integer && magnitude < 10 ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10]
  const factor = factors.find((f) => f * magnitude >= rawStep - 1e-9) as number
  const step = integer ? Math.max(1, Math.round(factor * magnitude)) : factor * magnitude
  return 4 * step
}

/** The x axis, five horizontal grid lines labelled by `label`, and the given x labels. */
export function axes(maxY: number, label: (v: number) => string, xLabels: Array<[number, string]>): string {
  const plotH = CHART_H - CHART_PAD.top - CHART_PAD.bottom
  const parts = [
    `<line x1="${CHART_PAD.left}" y1="${CHART_H - CHART_PAD.bottom}" x2="${CHART_W - CHART_PAD.right}" y2="${CHART_H - CHART_PAD.bottom}" class="axis"/>`,
  ]
  for (let i = 0; i <= 4; i++) {
    const y = CHART_H - CHART_PAD.bottom - (plotH * i) / 4
    parts.push(
      `<line x1="${CHART_PAD.left}" y1="${y}" x2="${CHART_W - CHART_PAD.right}" y2="${y}" class="grid"/><text x="${CHART_PAD.left - 6}" y="${y + 4}" class="ylabel">${escapeXml(label((maxY * i) / 4))}</text>`,
    )
  }
  for (const [x, text] of xLabels)
    parts.push(`<text x="${x}" y="${CHART_H - CHART_PAD.bottom + 16}" class="xlabel">${escapeXml(text)}</text>`)
  return parts.join('')
}

/** An SVG path through points. */
export function linePath(points: ReadonlyArray<readonly [number, number]>): string {
  return points.map(([px, py], i) => `${i === 0 ? 'M' : 'L'}${px.toFixed(1)},${py.toFixed(1)}`).join('')
}

/** The CSS every chart shares. */
export const CHART_CSS = `svg{width:100%;height:auto;background:#fafbfc;border:1px solid #e3e6ea;border-radius:6px}
.axis{stroke:#7a8391}.grid{stroke:#e8ebef}.ylabel{font-size:11px;text-anchor:end;fill:#566}.xlabel{font-size:11px;text-anchor:middle;fill:#566}
.legend span{display:inline-block;margin-right:14px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:-1px}`
