/**
 * summary.md: a compact Markdown summary for `>> $GITHUB_STEP_SUMMARY`. Pure: report in, string out.
 */
import { formatBytes, formatCount, formatDuration } from '../core/format.js';
import { formatMetric, metricLabel } from '../core/metrics.js';
import type { CheckReport } from '../engine/check-report.js';
import type { LoadReport } from '../load/types.js';
import type { ProbeReport } from '../types.js';
import { escapeMarkdown as md } from './escape.js';
import {
  brokenBudgets,
  budgetFigures,
  growthText,
  notRunText,
  perItemText,
  probeCount,
  recoveryText,
  shardLabel,
  VERDICT_ICON,
} from './figures.js';
import { formatMs } from '../core/format.js';

const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;

function table(
  header: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  align: readonly ('l' | 'r')[],
): string[] {
  return [row(header), row(align.map((a) => (a === 'r' ? '---:' : ':---'))), ...rows.map(row)];
}

const PROBE_HEAD = [
  'probe',
  'verdict',
  'heap growth (95% CI)',
  'external growth (95% CI)',
  'per item',
  'GC recovery',
  'it/s',
  'peak RSS',
  'leak / broken budgets',
];

function probeRow(p: ProbeReport): string[] {
  const leak = p.leak?.status === 'leak' ? [`leak: ${p.leak.reason}`] : [];
  const broken =
    p.verdict === 'error'
      ? `${p.fault?.kind ?? 'error'}: ${p.fault?.message ?? ''}`
      : [...leak, ...brokenBudgets(p).map(budgetFigures)].join('; ') || '-';
  return [
    md(p.name),
    `${VERDICT_ICON[p.verdict]} ${p.verdict}`,
    md(growthText(p.growth)),
    md(growthText(p.externalGrowth)),
    perItemText(p),
    recoveryText(p),
    p.iterationsPerSecond === null ? '-' : formatCount(p.iterationsPerSecond),
    p.process.peakRss === null ? '-' : formatBytes(p.process.peakRss),
    md(broken),
  ];
}

const LOAD_HEAD = ['run', 'result', 'p50', 'p95', 'p99', 'max', 'throughput', 'errors', 'broken thresholds'];

function loadRow(l: LoadReport, i: number): string[] {
  const broken = l.thresholds.filter((t) => t.status === 'fail').map((t) => t.threshold);
  return [
    md(`load ${i + 1} (${l.mode})`),
    l.status,
    formatMs(l.latency.p50),
    formatMs(l.latency.p95),
    formatMs(l.latency.p99),
    formatMs(l.latency.max),
    `${formatCount(l.throughput)}/s`,
    formatCount(l.errors.total),
    md(broken.join(', ') || '-'),
  ];
}

function historyLines(report: CheckReport): string[] {
  const { history } = report;
  const regressions = report.regressions ?? [];
  if (!history) return [];
  if (regressions.length === 0) {
    return [
      '',
      `No regression against the last ${history.window} runs of the history (${history.earlierRuns} earlier runs).`,
    ];
  }
  const effect = history.failOnRegression ? 'these fail the check' : 'budgets decide the verdict';
  const title = `### ⚠️ ${regressions.length} regression${regressions.length === 1 ? '' : 's'} against the history (${
    effect
  })`;
  const rows = regressions.map((r) => [
    md(r.probe),
    metricLabel(r.metric),
    formatMetric(r.metric, r.current),
    `${r.median === null ? '-' : formatMetric(r.metric, r.median)} (${r.previous.length})`,
    r.threshold === null ? '-' : formatMetric(r.metric, r.threshold),
  ]);
  return [
    '',
    title,
    '',
    ...table(['probe', 'metric', 'now', 'median (runs)', 'threshold'], rows, ['l', 'l', 'r', 'r', 'r']),
  ];
}

export function renderMarkdown(report: CheckReport): string {
  const commit = report.commit ? ` · commit \`${report.commit.slice(0, 12)}\`` : '';
  const { system } = report;
  const lines = [
    `## ${VERDICT_ICON[report.verdict]} memprobe check: ${report.verdict.toUpperCase()}` +
      `${report.interrupted ? ' (interrupted, partial)' : ''}`,
    '',
    `${probeCount(report)} · ${formatDuration(report.settings.durationMs)} · node ${md(system.node)} · ` +
      `${md(system.os)} · ${md(system.cpu.model)} × ${system.cpu.cores}${commit}${shardLabel(report)}`,
    '',
  ];
  const notRun = notRunText(report);
  if (notRun) lines.push(md(notRun), '');
  const wide = ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'l'] as const;
  lines.push(...table(PROBE_HEAD, report.probes.map(probeRow), wide));
  const loads = report.load ?? [];
  if (loads.length > 0) lines.push('', '### Load', '', ...table(LOAD_HEAD, loads.map(loadRow), wide));
  lines.push(...historyLines(report));
  const faults = report.probes.filter((p) => p.fault && p.verdict !== 'error');
  for (const p of faults) lines.push('', `- ${md(p.name)}: ${md(`${p.fault!.kind}: ${p.fault!.message}`)}`);
  lines.push('');
  return lines.join('\n');
}
