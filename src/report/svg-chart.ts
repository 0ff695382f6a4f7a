/**
 * The pieces the HTML reports draw their charts with: inline SVG (no scripts, no network), one
 * size and one axis style. Pure.
 */
import {escapeXml} from './xml.js'

export const CHART_W = 760
export const CHART_H = 260
export const CHART_PAD = {left: 64, right: 16, top: 16, bottom: 40}

/** A round upper bound for an axis: 1, 2, … 9 times a power of ten. */
export function niceMax(value: number): number {
  if (!(value > 0)) return 1
  const magnitude = 10 ** Math.floor(Math.log10(value))
  return Math.ceil(value / magnitude) * magnitude
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
