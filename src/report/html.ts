/**
 * report.html: one self-contained page that works offline. No script at all, no external style, font or
 * image; charts are static inline SVG built by svg-chart.ts. Every outside string (probe and suite names,
 * fault messages, paths, heap retainer paths) goes through the `html` template tag, which escapes it, and
 * a Content-Security-Policy forbids scripts and remote loads as a second line of defence. Pure.
 */
import { formatBytes, formatCount, formatDuration, formatShare } from '../core/format.js';
import { GC_SHARE_TARGET } from '../constants.js';
import { median } from '../core/stats.js';
import type { BudgetResult, ProbeReport, Sample, SoakReport } from '../types.js';
import type { CheckReport } from '../engine/check-report.js';
import { html, trusted, type SafeHtml } from './escape.js';
import {
  brokenBudgets,
  budgetBound,
  budgetFigures,
  budgetLabel,
  budgetValue,
  growthText,
  intervalText,
  notRunText,
  perItemText,
  probeCount,
  rate,
  recoveryText,
} from './figures.js';
import {
  leakClustersSection,
  loadSection,
  probeHistory,
  regressionsSection,
  snapshotsSection,
} from './html-sections.js';
import { REPORT_CSS } from './html-style.js';
import { barChart, lineChart, type Segment } from './svg-chart.js';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const badge = (status: string): SafeHtml => html`<span class="${`badge ${status}`}">${status}</span>`;
const anchor = (index: number): string => `probe-${index + 1}`;
const seconds = (v: number): string => `${Number(v.toFixed(1))} s`;
const unsignedRate = (bytes: number): string => `${formatBytes(bytes)}/s`;
/** Memory charts span at least this much: a few hundred bytes of noise would otherwise fill the plot. */
const MEMORY_CHART_MIN_SPAN = 64 * 1024;
const when = (iso: string): string => iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

export function memoryChart(probe: ProbeReport, kind: 'heap' | 'external'): SafeHtml {
  const pick = (s: Sample): number => (kind === 'heap' ? s.heapUsed : s.external);
  const measured = probe.samples.filter((s) => s.phase !== 'final');
  const soakSamples = probe.samples.filter((s) => s.phase === 'soak');
  const final = probe.samples.find((s) => s.phase === 'final');
  const growth = kind === 'heap' ? probe.growth : probe.externalGrowth;
  const segments: Segment[] = [];
  const first = measured[0];
  const last = soakSamples.at(-1);
  if (growth && first && last && soakSamples.length >= 2) {
    const slope = growth.bytesPerSecond;
    // Theil-Sen intercept: the median of what each soak sample says it is.
    const intercept = median(soakSamples.map((s) => pick(s) - slope * (s.timeMs / 1000)));
    const x0 = first.timeMs / 1000;
    const x1 = last.timeMs / 1000;
    segments.push({
      label: `fitted slope ${rate(slope)}`,
      cls: 'fit',
      from: { x: x0, y: intercept + slope * x0 },
      to: { x: x1, y: intercept + slope * x1 },
    });
    const budget = probe.budgets.find((b) => b.name === 'growthRate' && b.memory === kind);
    if (budget?.limit !== null && budget?.limit !== undefined) {
      const y0 = intercept + slope * x0;
      segments.push({
        label: `budget ${unsignedRate(budget.limit)}`,
        cls: 'budget',
        from: { x: x0, y: y0 },
        to: { x: x1, y: y0 + budget.limit * (x1 - x0) },
      });
    }
  }
  const label = kind === 'heap' ? 'post-GC heap used' : 'post-GC external';
  return lineChart({
    title: kind === 'heap' ? 'Post-GC heap over time' : 'External memory over time',
    xLabel: 'seconds since the baseline sample',
    xFormat: seconds,
    y: { kind: 'bytes' },
    yMinSpan: MEMORY_CHART_MIN_SPAN,
    series: [{ label, cls: kind, points: measured.map((s) => ({ x: s.timeMs / 1000, y: pick(s) })) }],
    segments,
    markers: final
      ? [{ label: 'after teardown + GC', cls: 'final', point: { x: final.timeMs / 1000, y: pick(final) } }]
      : [],
  });
}

function tile(label: string, value: string, subs: ReadonlyArray<string>, failed = false): SafeHtml {
  return html`<div class="${failed ? 'tile fail' : 'tile'}"><div class="label">${label}</div><div \
class="value">${value}</div>${subs.filter(Boolean).map((sub) => html`<div class="sub">${sub}</div>`)}</div>`;
}

function budgetSub(probe: ProbeReport, name: string, memory?: string): { sub: string; failed: boolean } {
  const budget = probe.budgets.find((b) => b.name === name && (memory === undefined || b.memory === memory));
  if (!budget) return { sub: '', failed: false };
  const limit = budget.limit === null ? '' : `budget ${budgetBound(budget, 'html')}: `;
  return { sub: `${limit}${budget.status}`, failed: budget.status === 'fail' };
}

function tiles(probe: ProbeReport): SafeHtml {
  const g = probe.growth;
  const e = probe.externalGrowth;
  const heap = budgetSub(probe, 'growthRate', 'heap');
  const ext = budgetSub(probe, 'growthRate', 'external');
  const item = budgetSub(probe, 'perItem');
  const rec = budgetSub(probe, 'gcRecovery');
  const { cpuPercentMean, peakRss } = probe.process;
  const ci = (growth: typeof g): string =>
    growth ? `95% CI ${intervalText(growth.ciLow, growth.ciHigh)}` : 'not measured';
  const count = formatCount;
  const speed = probe.iterationsPerSecond === null ? '-' : count(probe.iterationsPerSecond);
  const iterations = `${count(probe.iterations)} in ${formatDuration(probe.durationMs)}`;
  const gcShare = probe.gcShare === null ? '-' : formatShare(probe.gcShare);
  const pause = probe.gcPauseMsMax === null ? '' : `max pause ${probe.gcPauseMsMax.toFixed(1)} ms`;
  const cpu = cpuPercentMean === null ? '' : `CPU ${Math.round(cpuPercentMean)}% of a core`;
  return html`<div class="tiles">
${tile('heap growth', g ? rate(g.bytesPerSecond) : '-', [ci(g), heap.sub], heap.failed)}
${tile('external growth', e ? rate(e.bytesPerSecond) : '-', [ci(e), ext.sub], ext.failed)}
${tile('per item', perItemText(probe), ['memory per held item', item.sub], item.failed)}
${tile('GC recovery', recoveryText(probe), ['returned after teardown', rec.sub], rec.failed)}
${tile('iterations/s', speed, [iterations])}
${tile('forced GC share', gcShare, ['of wall time', pause])}
${tile('peak RSS', peakRss === null ? '-' : formatBytes(peakRss), [cpu])}
</div>`;
}

function budgetRow(b: BudgetResult): SafeHtml {
  const value = (v: number | null): string => (v === null ? '-' : budgetValue(b, v));
  const limit = b.limit === null ? '-' : budgetBound(b, 'html');
  return html`<tr><td>${budgetLabel(b)}</td><td class="num">${value(b.actual)}</td><td class="num">${limit}</td>\
<td>${badge(b.status)}</td><td class="muted">${b.reason}</td></tr>`;
}

function profileRow(r: {
  kind: string;
  text: string;
  share: number;
  functionName: string;
  location: string;
}): SafeHtml {
  return html`<tr><td>${r.kind}</td><td class="num">${r.text}</td><td class="num">${formatShare(r.share)}</td>\
<td class="mono">${r.functionName}</td><td class="mono muted">${r.location}</td></tr>`;
}

function profilesTable(probe: ProbeReport): SafeHtml {
  const rows = [
    ...(probe.profiles.heap?.topSites ?? [])
      .slice(0, 5)
      .map((s) => ({ ...s, kind: 'surviving heap', text: formatBytes(s.value) })),
    ...(probe.profiles.cpu?.topFunctions ?? [])
      .slice(0, 5)
      .map((s) => ({ ...s, kind: 'CPU self time', text: `${s.value.toFixed(0)} ms` })),
  ];
  if (rows.length === 0) return html``;
  return html`<h3>Profiles</h3><table><thead><tr><th>profile</th><th class="num">value</th><th class="num">share</th>\
<th>function</th><th>location</th></tr></thead><tbody>
${rows.map(profileRow)}</tbody></table>`;
}

function probeSection(report: CheckReport, probe: ProbeReport, index: number): SafeHtml {
  const failures = brokenBudgets(probe);
  const comparisons = report.history?.comparisons.filter((c) => c.probe === probe.name) ?? [];
  const fault = probe.fault
    ? html`<div class="fault"><strong>${probe.fault.kind}</strong>: ${probe.fault.message}</div>`
    : html``;
  const leak = probe.leak?.status === 'leak' ? [html`<li>leak: ${probe.leak.reason}</li>`] : [];
  const broken = [...leak, ...failures.map((b) => html`<li>${budgetFigures(b)}</li>`)];
  return html`<section class="card" id="${anchor(index)}">
<h2>${probe.name} ${badge(probe.verdict)} <span class="file">${probe.file}</span></h2>
${fault}${broken.length > 0 ? html`<ul class="failures">${broken}</ul>` : html``}
${tiles(probe)}
<div class="charts">${memoryChart(probe, 'heap')}${memoryChart(probe, 'external')}</div>
${leakClustersSection(probe.leakClusters, probe.snapshotGrowth)}${snapshotsSection(probe.snapshots)}
<h3>Budgets</h3><table><thead><tr><th>budget</th><th class="num">measured</th><th class="num">limit</th><th>status</th>\
<th>why</th></tr></thead>
<tbody>${probe.budgets.map(budgetRow)}</tbody></table>
${probeHistory(comparisons)}${profilesTable(probe)}
${probe.notes.length > 0 ? html`<ul class="notes">${probe.notes.map((n) => html`<li>${n}</li>`)}</ul>` : html``}
</section>`;
}

function summaryTable(report: CheckReport): SafeHtml {
  const rows = report.probes.map((p, i) => {
    const broken =
      p.verdict === 'error'
        ? `${p.fault?.kind ?? 'error'}: ${p.fault?.message ?? ''}`
        : brokenBudgets(p).map(budgetFigures).join('; ');
    const speed = p.iterationsPerSecond === null ? '-' : formatCount(p.iterationsPerSecond);
    return html`<tr><td><a href="${`#${anchor(i)}`}">${p.name}</a></td><td>${badge(p.verdict)}</td><td \
class="num">${growthText(p.growth)}</td>
<td class="num">${growthText(p.externalGrowth)}</td><td class="num">${perItemText(p)}</td><td \
class="num">${recoveryText(p)}</td>
<td class="num">${speed}</td><td>${broken || '-'}</td></tr>`;
  });
  return html`<table><thead><tr><th>probe</th><th>verdict</th><th class="num">heap growth (95% CI)</th><th \
class="num">external growth (95% CI)</th>
<th class="num">per item</th><th class="num">GC recovery</th><th class="num">it/s</th><th>broken budgets</th></tr>\
</thead><tbody>${rows}</tbody></table>`;
}

function overviewCharts(report: SoakReport): SafeHtml {
  // A probe that could not run has no figures worth a bar.
  const probes = report.probes.filter((p) => p.growth !== null && p.verdict !== 'error');
  const charts: SafeHtml[] = [];
  if (probes.length > 0) {
    charts.push(
      barChart({
        title: 'Heap growth by probe',
        rows: probes.map((p) => ({
          label: p.name,
          value: p.growth!.bytesPerSecond,
          low: p.growth!.ciLow,
          high: p.growth!.ciHigh,
          cls: p.verdict,
          limit: p.budgets.find((b) => b.name === 'growthRate' && b.memory === 'heap')?.limit ?? null,
        })),
        format: rate,
        axis: { kind: 'bytes', suffix: '/s' },
        intervalLabel: '95% interval',
        limitLabel: 'budget',
      }),
    );
  }
  const perItem = report.probes.filter((p) => p.perItemBytes !== null);
  if (perItem.length > 0) {
    charts.push(
      barChart({
        title: 'Memory per held item',
        rows: perItem.map((p) => ({
          label: p.name,
          value: p.perItemBytes!,
          cls: 'neutral',
          limit: p.budgets.find((b) => b.name === 'perItem')?.limit ?? null,
        })),
        format: (v) => formatBytes(v),
        axis: { kind: 'bytes' },
        limitLabel: 'budget',
      }),
    );
  }
  const gc = report.probes.filter((p) => p.gcShare !== null && p.verdict !== 'error');
  if (gc.length > 0) {
    charts.push(
      barChart({
        title: 'Forced GC share of wall time',
        rows: gc.map((p) => ({ label: p.name, value: p.gcShare!, cls: 'gc', limit: GC_SHARE_TARGET })),
        format: formatShare,
        limitLabel: `target (${formatShare(GC_SHARE_TARGET)})`,
      }),
    );
  }
  return html`<div class="charts">${charts}</div>`;
}

function systemSection(report: CheckReport): SafeHtml {
  const s = report.system;
  const rows: Array<[string, string]> = [
    ['memprobe', s.memprobe],
    ['Node.js', s.node],
    ['OS', `${s.os} (${s.platform}-${s.arch})`],
    ['CPU', `${s.cpu.model} × ${s.cpu.cores}`],
    ['memory', formatBytes(s.totalMemory)],
    ['commit', report.commit ?? 'unknown'],
    ['config', report.config.file ?? 'none'],
    ['suites', Object.keys(report.config.suites).join(', ') || 'none'],
    [
      'settings',
      `${formatDuration(report.settings.durationMs)} total · warm-up ${formatDuration(report.settings.warmupMs)}` +
        ` · sample every ${formatDuration(report.settings.sampleIntervalMs)}`,
    ],
  ];
  if (report.shard) rows.push(['shard', `${report.shard.index} of ${report.shard.count} (${report.shard.configHash})`]);
  if (report.merged)
    rows.push(['shards', `merged from ${report.merged.shards} (${report.merged.configHash ?? 'no config hash'})`]);
  if (report.history)
    rows.push([
      'history',
      `${report.history.file} (${report.history.earlierRuns} earlier runs, window ${report.history.window})`,
    ]);
  return html`<section class="card" id="system"><h2>System</h2><dl \
class="system">${rows.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl></section>`;
}

export function renderHtml(report: CheckReport): string {
  const title = `memprobe check · ${report.verdict.toUpperCase()} · ${probeCount(report)}`;
  const regressions = report.regressions ?? [];
  const commit = report.commit ? ` · commit ${report.commit.slice(0, 12)}` : '';
  const interrupted = report.interrupted ? ' · INTERRUPTED: partial report' : '';
  const notRun = report.notRun.length > 0 ? html`<p class="muted">${notRunText(report)}</p>` : '';
  const page = html`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${`memprobe ${report.system.memprobe}`}">
<title>${title}</title><style>${trusted(REPORT_CSS)}</style></head>
<body><main>
<header class="top"><div><h1>memprobe check ${badge(report.verdict)}</h1>
<div class="meta">${when(report.startedAt)} · ${probeCount(report)} \
· ${formatDuration(report.settings.durationMs)}${commit}${interrupted}</div></div>
<div class="meta">${report.system.node} · ${report.system.cpu.model} × ${report.system.cpu.cores} \
· ${formatBytes(report.system.totalMemory)}</div></header>
<section class="card" id="summary"><h2>Summary</h2>${summaryTable(report)}${notRun}${overviewCharts(report)}</section>
${regressionsSection(regressions, report.history?.window ?? 0, report.history?.failOnRegression ?? false)}
${report.probes.map((p, i) => probeSection(report, p, i))}
${loadSection(report.load)}
${systemSection(report)}
<footer>Generated by memprobe ${report.system.memprobe}. Memory figures are post-GC samples; growth is a Theil-Sen \
slope with Sen's 95% interval.</footer>
</main></body></html>
`;
  return page.value;
}
