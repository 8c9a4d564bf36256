/**
 * Static inline SVG charts for the HTML report, built here (no chart library, no script): a line chart
 * with fitted and budget lines, and horizontal bars with intervals and limits (columns and sparklines: svg-columns.ts).
 * Labels go through `html`, so any text is escaped. Colours come from the page's CSS classes
 * (`ln-<cls>`, `dot-<cls>`, `bar-<cls>`): `cls` is always one of our own constants.
 */
import { html, trusted, type SafeHtml } from './escape.js';

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface LineSeries {
  readonly label: string;
  readonly cls: string;
  readonly points: readonly Point[];
  /** Draw a dot per point (only when there are few enough to see). */
  readonly dots?: boolean;
}

/** A straight line in data coordinates, clipped to the plot (fitted slope, budget slope). */
export interface Segment {
  readonly label: string;
  readonly cls: string;
  readonly from: Point;
  readonly to: Point;
}

export interface Marker {
  readonly label: string;
  readonly cls: string;
  readonly point: Point;
}

export interface LineChartSpec {
  readonly title: string;
  readonly xLabel: string;
  readonly xFormat: (value: number) => string;
  readonly y: Axis;
  /** The y range shown is at least this wide, so noise of a few bytes is not drawn as a cliff. */
  readonly yMinSpan?: number;
  readonly series: readonly LineSeries[];
  readonly segments?: readonly Segment[];
  readonly markers?: readonly Marker[];
  readonly width?: number;
  readonly height?: number;
}

export const r1 = (v: number): string => (Math.round(v * 10) / 10).toString();
const MAX_POLYLINE_POINTS = 800;
const MAX_DOTS = 160;

/** About `count` round tick values (steps of 1, 2 or 5 x 10^k) covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  let lo = min;
  let hi = max;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (hi - lo < 1e-9 * Math.max(1, Math.abs(hi))) {
    const pad = Math.abs(hi) > 0 ? Math.abs(hi) * 0.05 : 1;
    lo -= pad;
    hi += pad;
  }
  const raw = (hi - lo) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / magnitude;
  const step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * magnitude;
  const first = Math.floor(lo / step) * step;
  const ticks: number[] = [];
  for (let v = first; v <= hi + step * 0.999 && ticks.length < 50; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB'];

/** How values on an axis read: bytes (or bytes/s) in the unit that suits the step, or our own format. */
export type Axis =
  | { readonly kind: 'bytes'; readonly suffix?: string }
  | { readonly kind: 'plain'; readonly format: (value: number) => string };

/**
 * Round ticks over [min, max] and a label for each: byte axes count in the unit of the values (MB ticks
 * 3.55, 3.60, 3.65 rather than 1024-multiples), one unit down when the step would need more than 2 decimals.
 */
export function axisTicks(
  min: number,
  max: number,
  count: number,
  axis: Axis,
): { ticks: number[]; format: (value: number) => string } {
  if (axis.kind === 'plain') return { ticks: niceTicks(min, max, count), format: axis.format };
  const magnitude = Math.max(Math.abs(min), Math.abs(max));
  let index = magnitude >= 1024 ** 3 ? 3 : magnitude >= 1024 ** 2 ? 2 : magnitude >= 1024 ? 1 : 0;
  for (;;) {
    const unit = 1024 ** index;
    const ticks = niceTicks(min / unit, max / unit, count);
    const step = ticks.length > 1 ? ticks[1]! - ticks[0]! : 1;
    if (step < 0.01 && index > 0) {
      index -= 1;
      continue;
    }
    const decimals = step >= 1 ? 0 : Math.min(2, Math.ceil(-Math.log10(step) - 1e-9));
    const name = BYTE_UNITS[index]!;
    return {
      ticks: ticks.map((t) => t * unit),
      format: (v) => `${(v / unit).toFixed(decimals)} ${name}${axis.suffix ?? ''}`,
    };
  }
}

/** Liang-Barsky: the part of a segment inside the box, or null. */
export function clipSegment(
  a: Point,
  b: Point,
  box: { x0: number; x1: number; y0: number; y1: number },
): [Point, Point] | null {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  let t0 = 0;
  let t1 = 1;
  const edges: Array<[number, number]> = [
    [-dx, a.x - box.x0],
    [dx, box.x1 - a.x],
    [-dy, a.y - box.y0],
    [dy, box.y1 - a.y],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return null;
    } else {
      const t = q / p;
      if (p < 0) t0 = Math.max(t0, t);
      else t1 = Math.min(t1, t);
      if (t0 > t1) return null;
    }
  }
  return [
    { x: a.x + t0 * dx, y: a.y + t0 * dy },
    { x: a.x + t1 * dx, y: a.y + t1 * dy },
  ];
}

function thin(points: readonly Point[], max: number): readonly Point[] {
  if (points.length <= max) return points;
  const stride = Math.ceil(points.length / max);
  const kept = points.filter((_, i) => i % stride === 0);
  const last = points.at(-1);
  if (last && kept.at(-1) !== last) kept.push(last);
  return kept;
}

function legendKey(kind: 'line' | 'dot', cls: string): SafeHtml {
  return kind === 'dot'
    ? html`<svg class="key" width="14" height="10" aria-hidden="true"><circle class="${`dot dot-${cls}`}" cx="7" \
cy="5" r="3.5"/></svg>`
    : html`<svg class="key" width="24" height="10" aria-hidden="true"><line class="${`ln ln-${cls}`}" x1="1" y1="5" \
x2="23" y2="5"/></svg>`;
}

function legend(entries: ReadonlyArray<{ kind: 'line' | 'dot'; cls: string; label: string }>): SafeHtml {
  const keys = entries.map((e) => html`<span>${legendKey(e.kind, e.cls)}${e.label}</span>`);
  return html`<div class="legend">${keys}</div>`;
}

export function lineChart(spec: LineChartSpec): SafeHtml {
  const width = spec.width ?? 560;
  const height = spec.height ?? 250;
  const m = { left: 70, right: 14, top: 10, bottom: 40 };
  const pw = width - m.left - m.right;
  const ph = height - m.top - m.bottom;
  const all = [...spec.series.flatMap((s) => s.points), ...(spec.markers ?? []).map((mk) => mk.point)];
  if (all.length === 0)
    return html`<figure class="chart empty"><figcaption>${spec.title}</figcaption><p class="muted">no samples</p>\
</figure>`;
  const xs = all.map((p) => p.x);
  const ys = all.map((p) => p.y);
  const xTicks = niceTicks(Math.min(...xs), Math.max(...xs), 6);
  let yMin = Math.min(...ys);
  let yMax = Math.max(...ys);
  const missing = (spec.yMinSpan ?? 0) - (yMax - yMin);
  if (missing > 0) {
    yMin -= missing / 2;
    yMax += missing / 2;
  }
  const { ticks: yTicks, format: yFormat } = axisTicks(yMin, yMax, 5, spec.y);
  const box = { x0: xTicks[0]!, x1: xTicks.at(-1)!, y0: yTicks[0]!, y1: yTicks.at(-1)! };
  const sx = (x: number): number => m.left + ((x - box.x0) / (box.x1 - box.x0 || 1)) * pw;
  const sy = (y: number): number => m.top + ph - ((y - box.y0) / (box.y1 - box.y0 || 1)) * ph;
  const grid = yTicks.map(
    (t) =>
      html`<line class="grid" x1="${m.left}" x2="${m.left + pw}" y1="${r1(sy(t))}" y2="${r1(sy(t))}"/><text \
class="tick" x="${m.left - 6}" y="${r1(sy(t) + 4)}" text-anchor="end">${yFormat(t)}</text>`,
  );
  const xAxis = xTicks.map(
    (t) =>
      html`<line class="axis" x1="${r1(sx(t))}" x2="${r1(sx(t))}" y1="${m.top + ph}" y2="${m.top + ph + 4}"/><text \
class="tick" x="${r1(sx(t))}" y="${m.top + ph + 17}" text-anchor="middle">${spec.xFormat(t)}</text>`,
  );
  const series = spec.series.map((s) => {
    const pts = thin(s.points, MAX_POLYLINE_POINTS);
    const line = html`<polyline class="${`ln ln-${s.cls}`}" \
points="${pts.map((p) => `${r1(sx(p.x))},${r1(sy(p.y))}`).join(' ')}"/>`;
    const dots =
      s.dots !== false && s.points.length <= MAX_DOTS
        ? s.points.map(
            (p) => html`<circle class="${`dot dot-${s.cls}`}" cx="${r1(sx(p.x))}" cy="${r1(sy(p.y))}" r="2.2"/>`,
          )
        : [];
    return html`${line}${dots}`;
  });
  const segments = (spec.segments ?? []).map((seg) => {
    const clipped = clipSegment(seg.from, seg.to, box);
    if (!clipped) return html``;
    const [a, b] = clipped;
    return html`<line class="${`ln ln-${seg.cls}`}" x1="${r1(sx(a.x))}" y1="${r1(sy(a.y))}" x2="${r1(sx(b.x))}" \
y2="${r1(sy(b.y))}"/>`;
  });
  const markers = (spec.markers ?? []).map(
    (mk) =>
      html`<circle class="${`dot dot-${mk.cls}`}" cx="${r1(sx(mk.point.x))}" cy="${r1(sy(mk.point.y))}" r="4">\
<title>${mk.label}</title></circle>`,
  );
  const keys = [
    ...spec.series.map((s) => ({ kind: 'line' as const, cls: s.cls, label: s.label })),
    ...(spec.segments ?? []).map((s) => ({ kind: 'line' as const, cls: s.cls, label: s.label })),
    ...(spec.markers ?? []).map((mk) => ({ kind: 'dot' as const, cls: mk.cls, label: mk.label })),
  ];
  return html`<figure class="chart"><figcaption>${spec.title}</figcaption>
<svg class="plot" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" \
aria-label="${spec.title}">
${grid}<line class="axis" x1="${m.left}" x2="${m.left + pw}" y1="${m.top + ph}" y2="${m.top + ph}"/>${xAxis}
<text class="axis-label" x="${m.left + pw / 2}" y="${height - 4}" text-anchor="middle">${spec.xLabel}</text>
${series}${segments}${markers}
</svg>${legend(keys)}</figure>`;
}

export interface BarRow {
  readonly label: string;
  readonly value: number;
  /** An interval drawn as a whisker (e.g. the 95% CI). */
  readonly low?: number | undefined;
  readonly high?: number | undefined;
  /** A limit drawn as a tick (e.g. the budget). */
  readonly limit?: number | null | undefined;
  readonly cls: string;
}

export interface BarChartSpec {
  readonly title: string;
  readonly rows: readonly BarRow[];
  readonly format: (value: number) => string;
  /** How the axis reads (default: `format`). */
  readonly axis?: Axis;
  readonly limitLabel?: string;
  readonly intervalLabel?: string;
  readonly width?: number;
}

export const clipLabel = (text: string, max = 26): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Horizontal bars, one row per item, with optional interval whiskers and limit ticks. */
export function barChart(spec: BarChartSpec): SafeHtml {
  const width = spec.width ?? 560;
  const rowH = 26;
  const m = { left: 170, right: 90, top: 6, bottom: 26 };
  const height = m.top + m.bottom + rowH * spec.rows.length;
  const pw = width - m.left - m.right;
  const values = spec.rows.flatMap((r) => [r.value, r.low ?? r.value, r.high ?? r.value, r.limit ?? r.value, 0]);
  // Fewer ticks when their labels would run into each other (about 6.5 px per character at 11 px).
  const kind = spec.axis ?? { kind: 'plain', format: spec.format };
  const max = Math.max(...values);
  // A whisker a hair below zero should not add a whole negative tick step to the axis.
  const min =
    Math.min(...values) < 0 && -Math.min(...values) < 0.02 * (max - Math.min(...values)) ? 0 : Math.min(...values);
  let scale = axisTicks(min, max, 4, kind);
  for (let count = 3; count >= 1; count--) {
    const current = scale;
    const widest = Math.max(...current.ticks.map((t) => current.format(t).length)) * 6.5 + 10;
    if (widest * current.ticks.length <= pw) break;
    scale = axisTicks(min, max, count, kind);
  }
  const { ticks, format: tickFormat } = scale;
  const lo = ticks[0]!;
  const hi = ticks.at(-1)!;
  const sx = (v: number): number => m.left + ((v - lo) / (hi - lo || 1)) * pw;
  const axis = ticks.map(
    (t) =>
      html`<line class="grid" x1="${r1(sx(t))}" x2="${r1(sx(t))}" y1="${m.top}" y2="${height - m.bottom}"/><text \
class="tick" x="${r1(sx(t))}" y="${height - m.bottom + 15}" text-anchor="middle">${tickFormat(t)}</text>`,
  );
  const rows = spec.rows.map((row, i) => {
    const y = m.top + i * rowH;
    const x0 = sx(Math.min(0, row.value));
    const x1 = sx(Math.max(0, row.value));
    const mid = y + rowH / 2;
    const whisker =
      row.low !== undefined && row.high !== undefined
        ? html`<line class="whisker" x1="${r1(sx(row.low))}" x2="${r1(sx(row.high))}" y1="${mid}" y2="${mid}"/><line \
class="whisker" x1="${r1(sx(row.low))}" x2="${r1(sx(row.low))}" y1="${mid - 5}" y2="${mid + 5}"/>\
<line class="whisker" x1="${r1(sx(row.high))}" x2="${r1(sx(row.high))}" y1="${mid - 5}" y2="${mid + 5}"/>`
        : html``;
    const limit =
      row.limit === null || row.limit === undefined
        ? html``
        : html`<line class="limit" x1="${r1(sx(row.limit))}" x2="${r1(sx(row.limit))}" y1="${y + 2}" \
y2="${y + rowH - 2}"/>`;
    return html`<g><title>${row.label}: ${spec.format(row.value)}</title><text class="bar-label" x="${m.left - 8}" \
y="${mid + 4}" text-anchor="end">${clipLabel(row.label)}</text>
<rect class="${`bar bar-${row.cls}`}" x="${r1(x0)}" y="${y + 6}" width="${r1(Math.max(1, x1 - x0))}" \
height="${rowH - 12}" rx="2"/>${whisker}${limit}
<text class="bar-value" x="${width - m.right + 6}" y="${mid + 4}">${spec.format(row.value)}</text></g>`;
  });
  const keys: Array<{ kind: 'line'; cls: string; label: string }> = [];
  if (spec.intervalLabel && spec.rows.some((r) => r.low !== undefined))
    keys.push({ kind: 'line', cls: 'whisker', label: spec.intervalLabel });
  if (spec.limitLabel && spec.rows.some((r) => r.limit !== null && r.limit !== undefined))
    keys.push({ kind: 'line', cls: 'limit', label: spec.limitLabel });
  return html`<figure class="chart"><figcaption>${spec.title}</figcaption>
<svg class="plot" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" \
aria-label="${spec.title}">
${axis}<line class="axis" x1="${r1(sx(0))}" x2="${r1(sx(0))}" y1="${m.top}" y2="${height - m.bottom}"/>${rows}
</svg>${keys.length > 0 ? legend(keys) : trusted('')}</figure>`;
}
