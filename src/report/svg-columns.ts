/**
 * The small static SVG charts of the HTML report: vertical columns (latency percentiles, histogram buckets)
 * and the sparkline of a metric's history. Labels go through `html`, so any text is escaped.
 */
import { html, type SafeHtml } from './escape.js';
import { clipLabel, niceTicks, r1 } from './svg-chart.js';

/** Vertical columns (latency percentiles or histogram buckets). */
export function columnChart(spec: {
  title: string;
  bars: ReadonlyArray<{ label: string; value: number }>;
  format: (v: number) => string;
  cls: string;
  width?: number;
}): SafeHtml {
  const width = spec.width ?? 560;
  const height = 220;
  const m = { left: 64, right: 10, top: 16, bottom: 34 };
  const pw = width - m.left - m.right;
  const ph = height - m.top - m.bottom;
  const ticks = niceTicks(0, Math.max(0, ...spec.bars.map((b) => b.value)), 4);
  const hi = ticks.at(-1)! || 1;
  const slot = pw / Math.max(1, spec.bars.length);
  const sy = (v: number): number => m.top + ph - (v / hi) * ph;
  const grid = ticks.map(
    (t) =>
      html`<line class="grid" x1="${m.left}" x2="${m.left + pw}" y1="${r1(sy(t))}" y2="${r1(sy(t))}"/><text \
class="tick" x="${m.left - 6}" y="${r1(sy(t) + 4)}" text-anchor="end">${spec.format(t)}</text>`,
  );
  const bars = spec.bars.map((b, i) => {
    const x = m.left + i * slot + slot * 0.15;
    const w = slot * 0.7;
    return html`<g><title>${b.label}: ${spec.format(b.value)}</title><rect class="${`bar bar-${spec.cls}`}" \
x="${r1(x)}" y="${r1(sy(b.value))}" width="${r1(w)}" height="${r1(Math.max(0.5, m.top + ph - sy(b.value)))}" rx="2"/>
<text class="tick" x="${r1(x + w / 2)}" y="${m.top + ph + 15}" text-anchor="middle">${clipLabel(b.label, 12)}</text>
<text class="bar-value" x="${r1(x + w / 2)}" y="${r1(sy(b.value) - 4)}" \
text-anchor="middle">${spec.format(b.value)}</text></g>`;
  });
  return html`<figure class="chart"><figcaption>${spec.title}</figcaption>
<svg class="plot" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" \
aria-label="${spec.title}">
${grid}<line class="axis" x1="${m.left}" x2="${m.left + pw}" y1="${m.top + ph}" y2="${m.top + ph}"/>${bars}
</svg></figure>`;
}

/** A small trend: earlier values, the current one highlighted, the median and the regression threshold. */
export function sparkline(spec: {
  values: readonly number[];
  current: number;
  median: number | null;
  threshold: number | null;
  label: string;
  regression: boolean;
}): SafeHtml {
  const width = 180;
  const height = 44;
  const pad = 5;
  const all = [
    ...spec.values,
    spec.current,
    ...(spec.median === null ? [] : [spec.median]),
    ...(spec.threshold === null ? [] : [spec.threshold]),
  ];
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (hi - lo < 1e-12) {
    lo -= 1;
    hi += 1;
  }
  const n = spec.values.length + 1;
  const sx = (i: number): number => pad + (n === 1 ? (width - 2 * pad) / 2 : (i / (n - 1)) * (width - 2 * pad));
  const sy = (v: number): number => height - pad - ((v - lo) / (hi - lo)) * (height - 2 * pad);
  const pts = [...spec.values, spec.current].map((v, i) => `${r1(sx(i))},${r1(sy(v))}`).join(' ');
  const hline = (v: number | null, cls: string): SafeHtml =>
    v === null
      ? html``
      : html`<line class="${`ln ln-${cls}`}" x1="${pad}" x2="${width - pad}" y1="${r1(sy(v))}" y2="${r1(sy(v))}"/>`;
  return html`<svg class="spark" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" \
aria-label="${spec.label}">
${hline(spec.median, 'median')}${hline(spec.threshold, 'threshold')}<polyline class="ln ln-trend" points="${pts}"/>
${spec.values.map((v, i) => html`<circle class="dot dot-trend" cx="${r1(sx(i))}" cy="${r1(sy(v))}" r="2"/>`)}
<circle class="${`dot ${spec.regression ? 'dot-regression' : 'dot-current'}`}" cx="${r1(sx(n - 1))}" \
cy="${r1(sy(spec.current))}" r="3.5"/></svg>`;
}
