/**
 * Optional sections of the HTML report: history trends and regressions, leak clusters with retainer paths,
 * and load results, from the report's own types. Every string is escaped (escape.ts).
 */
import { formatBytes, formatCount } from '../core/format.js';
import { formatMetric, metricLabel } from '../core/metrics.js';
import type { MetricComparison } from '../history/types.js';
import type { LatencySummary, LoadReport } from '../load/types.js';
import type { LeakClusterSummary, ProbeReport, SnapshotGrowth } from '../types.js';
import { html, type SafeHtml } from './escape.js';
import { noClusterLines } from './text.js';
import { lineChart } from './svg-chart.js';
import { columnChart, sparkline } from './svg-columns.js';

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
  return html`<tr>${withProbe ? html`<td>${c.probe}</td>` : html``}<td>${metricLabel(c.metric)}</td><td \
class="num">${f(c.current)}</td>
<td class="num">${f(c.median)} <span class="muted">(${c.previous.length})</span></td><td \
class="num">${f(c.threshold)}</td>
<td>${comparisonTrend(c)}</td><td><span class="${`badge ${c.status}`}">${c.status}</span></td><td \
class="muted">${c.reason}</td></tr>`;
}

const COMPARISON_HEAD = html`<th>metric</th><th class="num">now</th><th class="num">median (runs)</th><th \
class="num">threshold</th><th>trend</th><th>status</th><th>why</th>`;

/** The regressions of the whole run, with their trends. */
export function regressionsSection(
  regressions: readonly MetricComparison[],
  window: number,
  failOnRegression: boolean,
): SafeHtml {
  if (regressions.length === 0) return html``;
  const effect = failOnRegression
    ? 'they fail the check (failOnRegression)'
    : 'the verdict still comes from the budgets';
  return html`<section class="card" id="regressions"><h2>Regressions against the history <span class="badge \
regression">${regressions.length}</span></h2>
<p class="muted">Each metric is compared with the median of its last ${window} runs; a rise beyond the noise (3 MADs, \
a floor per metric and, for growth, the earlier 95% intervals) is a regression: ${effect}.</p>
<table><thead><tr><th>probe</th>${COMPARISON_HEAD}</tr></thead>\
<tbody>${regressions.map((c) => comparisonRow(c, true))}</tbody></table></section>`;
}

/** A probe's metrics against the history (trend sparklines). */
export function probeHistory(comparisons: readonly MetricComparison[]): SafeHtml {
  if (comparisons.length === 0) return html``;
  return html`<h3>History</h3><table><thead><tr>${COMPARISON_HEAD}</tr></thead>\
<tbody>${comparisons.map((c) => comparisonRow(c, false))}</tbody></table>`;
}

/*
 * A report file read back from disk (`memprobe merge`) may hold anything: entries whose typed fields do not
 * have their types are left out rather than trusted.
 */
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function wellFormed<T>(value: readonly T[] | undefined, check: (item: unknown) => boolean): T[] {
  return Array.isArray(value) ? value.filter(check) : [];
}

function isCluster(c: unknown): boolean {
  if (!isObject(c) || typeof c.constructor !== 'string' || !isNumber(c.count) || !isNumber(c.retainedSize))
    return false;
  const strings = (v: unknown): boolean => Array.isArray(v) && v.every((s) => typeof s === 'string');
  return strings(c.path) && (c.samples === undefined || strings(c.samples));
}

function isLoad(l: unknown): boolean {
  if (!isObject(l) || !isObject(l.latency) || !isNumber(l.latency.count) || !isNumber(l.throughput)) return false;
  return (
    Array.isArray(l.histogram) && Array.isArray(l.steps) && Array.isArray(l.thresholds) && typeof l.mode === 'string'
  );
}

/** `probe.snapshotGrowth` (no leak cluster found): the text report's lines, as paragraphs. */
function noClusterSection(growth: SnapshotGrowth | undefined): SafeHtml {
  if (!growth) return html``;
  const lines = noClusterLines(growth).map((line) => line.trim());
  return html`<h3>Leak clusters</h3>${lines.map((line) => html`<p class="muted">${line}</p>`)}`;
}

/** `probe.leakClusters` (from heap snapshots: `--snapshots`); their samples are heap text, escaped like the rest. */
export function leakClustersSection(
  value: readonly LeakClusterSummary[] | undefined,
  growth?: SnapshotGrowth,
): SafeHtml {
  const clusters = wellFormed(value, isCluster);
  if (clusters.length === 0) return noClusterSection(growth);
  const max = Math.max(...clusters.map((c) => c.retainedSize), 1);
  const rows = clusters.slice(0, 20).map((c) => {
    const share = Math.max(0.5, (c.retainedSize / max) * 100).toFixed(1);
    const samples = c.samples ?? [];
    const example = samples.length > 0 ? html`<p class="muted mono">e.g. ${samples.join(', ')}</p>` : html``;
    const bar = html`<svg width="90" height="8" aria-hidden="true" style="margin-left:8px"><rect class="bar bar-leak" \
x="0" y="0" width="${(Number(share) * 0.9).toFixed(1)}" height="8" rx="2"/></svg>`;
    return html`<tr><td class="mono">${c.constructor}</td><td class="num">${formatCount(c.count)}</td>
<td class="num">${formatBytes(c.retainedSize)}${bar}</td>
<td><ol class="path">${c.path.map((step) => html`<li>${step}</li>`)}</ol>${example}</td></tr>`;
  });
  const head = html`<th>constructor</th><th class="num">objects</th><th class="num">retained</th><th>retainer path \
(from a GC root)</th>`;
  return html`<h3>Leak clusters</h3><table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

const PERCENTILES: ReadonlyArray<readonly [keyof LatencySummary, string]> = [
  ['p50', 'p50'],
  ['p90', 'p90'],
  ['p95', 'p95'],
  ['p99', 'p99'],
  ['p999', 'p99.9'],
  ['max', 'max'],
];

const ms = (v: number): string =>
  v >= 1000 ? `${(v / 1000).toFixed(1)} s` : v >= 10 ? `${Math.round(v)} ms` : `${Number(v.toFixed(2))} ms`;

function loadCharts(load: LoadReport): SafeHtml[] {
  const charts: SafeHtml[] = [];
  const count = formatCount;
  const histogram = load.histogram.map((b) => ({ label: `≤${b.upToMs} ms`, value: b.count }));
  const percentiles =
    load.latency.count > 0 ? PERCENTILES.map(([key, label]) => ({ label, value: load.latency[key] })) : [];
  if (histogram.length > 0)
    charts.push(
      columnChart({ title: 'Latency histogram (requests per bucket)', bars: histogram, format: count, cls: 'latency' }),
    );
  else if (percentiles.length > 0)
    charts.push(
      columnChart({ title: 'Latency distribution (percentiles)', bars: percentiles, format: ms, cls: 'latency' }),
    );
  if (load.steps.length >= 2) {
    const series = (['p50', 'p95', 'p99'] as const).map((key) => ({
      label: key,
      cls: key,
      points: load.steps.flatMap((s) =>
        s.users === null || s.latency.count === 0 ? [] : [{ x: s.users, y: s.latency[key] }],
      ),
    }));
    const y = { kind: 'plain', format: ms } as const;
    charts.push(
      lineChart({
        title: 'Latency by concurrent users',
        xLabel: 'users',
        xFormat: (v) => String(Math.round(v)),
        y,
        series,
      }),
    );
  }
  return charts;
}

/** `report.load`: the load runs of a check. */
export function loadSection(value: readonly LoadReport[] | undefined): SafeHtml {
  const loads = wellFormed(value, isLoad);
  if (loads.length === 0) return html``;
  const cards = loads.map((load, index) => {
    const broken = load.thresholds.filter((t) => t.status === 'fail').map((t) => t.threshold);
    const facts = [
      `result: ${load.status}`,
      `throughput ${formatCount(load.throughput)}/s`,
      broken.length > 0 ? `broken: ${broken.join(', ')}` : null,
    ].filter((f): f is string => f !== null);
    return html`<h3>Load ${index + 1} (${load.mode})</h3><p class="muted">${facts.join(' · ')}</p><div \
class="charts">${loadCharts(load)}</div>`;
  });
  return html`<section class="card" id="load"><h2>Load</h2>${cards}</section>`;
}

/** `probe.snapshots` (`--snapshots`): the files, and the command that finds what leaked between them. */
export function snapshotsSection(snapshots: ProbeReport['snapshots'] | undefined): SafeHtml {
  if (!snapshots) return html``;
  const files = [snapshots.baseline, snapshots.target, snapshots.final];
  const quote = (f: string): string => (/^[\w./@:-]+$/.test(f) ? f : `'${f.replace(/'/g, `'\\''`)}'`);
  return html`<h3>Heap snapshots</h3><p class="muted">Baseline, mid-soak (target) and final snapshots (mode 0600: they \
hold every string in memory). Objects new in the target and still alive at the end, grouped by the shape of \
their retainer path:</p>
<p><code>memprobe diff ${files.map(quote).join(' ')}</code></p>`;
}
