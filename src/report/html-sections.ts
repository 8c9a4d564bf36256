/**
 * Optional sections of the HTML report: history trends and regressions, leak clusters with retainer paths,
 * and load results. Leak clusters and load results are read tolerantly (fields other layers may add later):
 * whatever does not have the expected shape is left out, never trusted.
 */
import { formatBytes } from '../core/format.js';
import { formatMetric, metricLabel } from '../core/metrics.js';
import type { MetricComparison } from '../history/types.js';
import { html, type SafeHtml } from './escape.js';
import { noClusterLines } from './text.js';
import { columnChart, lineChart, sparkline } from './svg-chart.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export function comparisonTrend(c: MetricComparison): SafeHtml {
  return sparkline({
    values: c.previous.map((p) => p.value),
    current: c.current,
    median: c.median,
    threshold: c.threshold,
    label: `${c.probe} ${metricLabel(c.metric)} over ${c.previous.length + 1} runs`,
    regression: c.status === 'regression',
  });
}

function comparisonRow(c: MetricComparison, withProbe: boolean): SafeHtml {
  const f = (v: number | null): string => (v === null ? '-' : formatMetric(c.metric, v));
  return html`<tr>${withProbe ? html`<td>${c.probe}</td>` : html``}<td>${metricLabel(c.metric)}</td><td class="num">${f(c.current)}</td>
<td class="num">${f(c.median)} <span class="muted">(${c.previous.length})</span></td><td class="num">${f(c.threshold)}</td>
<td>${comparisonTrend(c)}</td><td><span class="${`badge ${c.status}`}">${c.status}</span></td><td class="muted">${c.reason}</td></tr>`;
}

const COMPARISON_HEAD = html`<th>metric</th><th class="num">now</th><th class="num">median (runs)</th><th class="num">threshold</th><th>trend</th><th>status</th><th>why</th>`;

/** The regressions of the whole run, with their trends. */
export function regressionsSection(regressions: readonly MetricComparison[], window: number, failOnRegression: boolean): SafeHtml {
  if (regressions.length === 0) return html``;
  const effect = failOnRegression ? 'they fail the check (failOnRegression)' : 'the verdict still comes from the budgets';
  return html`<section class="card" id="regressions"><h2>Regressions against the history <span class="badge regression">${regressions.length}</span></h2>
<p class="muted">Each metric is compared with the median of its last ${window} runs; a rise beyond the noise (3 MADs, a floor per metric and, for growth, the earlier 95% intervals) is a regression: ${effect}.</p>
<table><thead><tr><th>probe</th>${COMPARISON_HEAD}</tr></thead><tbody>${regressions.map((c) => comparisonRow(c, true))}</tbody></table></section>`;
}

/** A probe's metrics against the history (trend sparklines). */
export function probeHistory(comparisons: readonly MetricComparison[]): SafeHtml {
  if (comparisons.length === 0) return html``;
  return html`<h3>History</h3><table><thead><tr>${COMPARISON_HEAD}</tr></thead><tbody>${comparisons.map((c) => comparisonRow(c, false))}</tbody></table>`;
}

interface Cluster {
  readonly constructor: string;
  readonly count: number;
  readonly retainedSize: number;
  readonly path: readonly string[];
  /** A few entries of the store (`"key": "value…"`), from a heap snapshot: untrusted text, escaped like the rest. */
  readonly samples: readonly string[];
}

/** `probe.leakClusters` (from heap snapshots: `--snapshots`), read tolerantly. */
export function readLeakClusters(value: unknown): Cluster[] {
  if (!Array.isArray(value)) return [];
  const clusters: Cluster[] = [];
  for (const item of value) {
    if (!isObject(item)) continue;
    const ctor = str(item.constructor);
    const count = num(item.count);
    const retainedSize = num(item.retainedSize);
    if (ctor === null || count === null || retainedSize === null) continue;
    const path = Array.isArray(item.path) ? item.path.filter((p): p is string => typeof p === 'string') : [];
    const samples = Array.isArray(item.samples) ? item.samples.filter((p): p is string => typeof p === 'string') : [];
    clusters.push({ constructor: ctor, count, retainedSize, path, samples });
  }
  return clusters;
}

/** `probe.snapshotGrowth` (no leak cluster found), read tolerantly: the text report's lines, as a paragraph. */
function noClusterSection(value: unknown): SafeHtml {
  if (!isObject(value)) return html``;
  const heapDelta = num(value.heapDelta);
  const newAndAliveSize = num(value.newAndAliveSize);
  if (heapDelta === null || newAndAliveSize === null) return html``;
  const grew = (Array.isArray(value.grew) ? value.grew : []).flatMap((g: unknown) => {
    if (!isObject(g)) return [];
    const name = str(g.name);
    const countDelta = num(g.countDelta);
    const sizeDelta = num(g.sizeDelta);
    return name === null || countDelta === null || sizeDelta === null ? [] : [{ name, countDelta, sizeDelta }];
  });
  const lines = noClusterLines({ heapDelta, newAndAliveSize, grew }).map((line) => line.trim());
  return html`<h3>Leak clusters</h3>${lines.map((line) => html`<p class="muted">${line}</p>`)}`;
}

export function leakClustersSection(value: unknown, snapshotGrowth?: unknown): SafeHtml {
  const clusters = readLeakClusters(value);
  if (clusters.length === 0) return noClusterSection(snapshotGrowth);
  const max = Math.max(...clusters.map((c) => c.retainedSize), 1);
  const rows = clusters.slice(0, 20).map((c) => {
    const share = Math.max(0.5, (c.retainedSize / max) * 100).toFixed(1);
    return html`<tr><td class="mono">${c.constructor}</td><td class="num">${c.count.toLocaleString('en-US')}</td>
<td class="num">${formatBytes(c.retainedSize)}<svg width="90" height="8" aria-hidden="true" style="margin-left:8px"><rect class="bar bar-leak" x="0" y="0" width="${(Number(share) * 0.9).toFixed(1)}" height="8" rx="2"/></svg></td>
<td><ol class="path">${c.path.map((step) => html`<li>${step}</li>`)}</ol>${c.samples.length > 0 ? html`<p class="muted mono">e.g. ${c.samples.join(', ')}</p>` : html``}</td></tr>`;
  });
  return html`<h3>Leak clusters</h3><table><thead><tr><th>constructor</th><th class="num">objects</th><th class="num">retained</th><th>retainer path (from a GC root)</th></tr></thead><tbody>${rows}</tbody></table>`;
}

interface LoadView {
  readonly title: string;
  /** `pass`, `fail`, ... and the broken thresholds, when the report says. */
  readonly status: string | null;
  readonly broken: string[];
  readonly throughput: number | null;
  readonly percentiles: Array<{ label: string; value: number }>;
  readonly histogram: Array<{ label: string; value: number }>;
  readonly steps: Array<{ users: number; p50: number | null; p95: number | null; p99: number | null }>;
}

const PERCENTILES: ReadonlyArray<[string, string]> = [['p50', 'p50'], ['p90', 'p90'], ['p95', 'p95'], ['p99', 'p99'], ['p999', 'p99.9'], ['max', 'max']];

function readLoad(value: unknown, index: number): LoadView | null {
  if (!isObject(value)) return null;
  const latency = isObject(value.latency) ? value.latency : {};
  const percentiles = PERCENTILES.flatMap(([key, label]) => {
    const v = num(latency[key]);
    return v === null ? [] : [{ label, value: v }];
  });
  const buckets = Array.isArray(value.histogram) ? value.histogram : Array.isArray(value.latencyHistogram) ? value.latencyHistogram : [];
  const histogram = buckets.flatMap((b: unknown) => {
    if (!isObject(b)) return [];
    const upTo = num(b.upToMs) ?? num(b.le) ?? num(b.ms);
    const count = num(b.count);
    return upTo === null || count === null ? [] : [{ label: `≤${upTo} ms`, value: count }];
  });
  const steps = (Array.isArray(value.steps) ? value.steps : []).flatMap((s: unknown) => {
    if (!isObject(s) || num(s.users) === null) return [];
    const l = isObject(s.latency) ? s.latency : {};
    return [{ users: num(s.users)!, p50: num(l.p50), p95: num(l.p95), p99: num(l.p99) }];
  });
  if (percentiles.length === 0 && histogram.length === 0 && steps.length === 0) return null;
  const mode = str(value.mode);
  const broken = (Array.isArray(value.thresholds) ? value.thresholds : []).flatMap((t: unknown) => (isObject(t) && t.status === 'fail' && str(t.threshold) !== null ? [str(t.threshold)!] : []));
  return { title: mode ? `Load ${index + 1} (${mode})` : `Load ${index + 1}`, status: str(value.status), broken, throughput: num(value.throughput), percentiles, histogram, steps };
}

const ms = (v: number): string => (v >= 1000 ? `${(v / 1000).toFixed(1)} s` : v >= 10 ? `${Math.round(v)} ms` : `${Number(v.toFixed(2))} ms`);

/** `report.load`: the load runs of a check (read defensively: a report file read back may hold anything). */
export function loadSection(value: unknown): SafeHtml {
  const views = (Array.isArray(value) ? value : value === undefined ? [] : [value]).map(readLoad).filter((v): v is LoadView => v !== null);
  if (views.length === 0) return html``;
  const cards = views.map((view) => {
    const charts: SafeHtml[] = [];
    if (view.histogram.length > 0) charts.push(columnChart({ title: 'Latency histogram (requests per bucket)', bars: view.histogram, format: (v) => Math.round(v).toLocaleString('en-US'), cls: 'latency' }));
    else if (view.percentiles.length > 0) charts.push(columnChart({ title: 'Latency distribution (percentiles)', bars: view.percentiles, format: ms, cls: 'latency' }));
    if (view.steps.length >= 2) {
      const series = (['p50', 'p95', 'p99'] as const).map((key) => ({
        label: key,
        cls: key,
        points: view.steps.flatMap((s) => (s[key] === null ? [] : [{ x: s.users, y: s[key]! }])),
      }));
      charts.push(lineChart({ title: 'Latency by concurrent users', xLabel: 'users', xFormat: (v) => String(Math.round(v)), y: { kind: 'plain', format: ms }, series }));
    }
    const facts = [
      view.status === null ? null : `result: ${view.status}`,
      view.throughput === null ? null : `throughput ${Math.round(view.throughput).toLocaleString('en-US')}/s`,
      view.broken.length > 0 ? `broken: ${view.broken.join(', ')}` : null,
    ].filter((f): f is string => f !== null);
    return html`<h3>${view.title}</h3>${facts.length > 0 ? html`<p class="muted">${facts.join(' · ')}</p>` : ''}<div class="charts">${charts}</div>`;
  });
  return html`<section class="card" id="load"><h2>Load</h2>${cards}</section>`;
}

/** `probe.snapshots` (`--snapshots`): the files, and the command that finds what leaked between them. */
export function snapshotsSection(value: unknown): SafeHtml {
  if (!isObject(value)) return html``;
  const files = (['baseline', 'target', 'final'] as const).map((key) => str(value[key]));
  if (files.some((f) => f === null)) return html``;
  const quote = (f: string): string => (/^[\w./@:-]+$/.test(f) ? f : `'${f.replace(/'/g, `'\\''`)}'`);
  return html`<h3>Heap snapshots</h3><p class="muted">Baseline, mid-soak (target) and final snapshots (mode 0600: they hold every string in memory). Objects new in the target and still alive at the end, grouped by the shape of their retainer path:</p>
<p><code>memprobe diff ${files.map((f) => quote(f!)).join(' ')}</code></p>`;
}
