/**
 * summary.md: a compact Markdown summary for `>> $GITHUB_STEP_SUMMARY`. Pure: report in, string out.
 */
import { formatBytes, formatDuration } from '../core/format.js';
import { formatMetric, metricLabel } from '../core/metrics.js';
import type { CheckReport } from '../engine/check-report.js';
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

export function renderMarkdown(report: CheckReport): string {
  const commit = report.commit ? ` · commit \`${report.commit.slice(0, 12)}\`` : '';
  const lines = [
    `## ${VERDICT_ICON[report.verdict]} memprobe check: ${report.verdict.toUpperCase()}` +
      `${report.interrupted ? ' (interrupted, partial)' : ''}`,
    '',
    `${probeCount(report)} · ${formatDuration(report.settings.durationMs)} · node ${md(report.system.node)} · ` +
      `${md(report.system.os)} · ${md(report.system.cpu.model)} × ${report.system.cpu.cores}${commit}` +
      `${shardLabel(report)}`,
    '',
  ];
  const notRun = notRunText(report);
  if (notRun) lines.push(md(notRun), '');
  const rows = report.probes.map((p) => [
    md(p.name),
    `${VERDICT_ICON[p.verdict]} ${p.verdict}`,
    md(growthText(p.growth)),
    md(growthText(p.externalGrowth)),
    perItemText(p),
    recoveryText(p),
    p.iterationsPerSecond === null ? '-' : Math.round(p.iterationsPerSecond).toLocaleString('en-US'),
    p.process.peakRss === null ? '-' : formatBytes(p.process.peakRss),
    md(
      p.verdict === 'error'
        ? `${p.fault?.kind ?? 'error'}: ${p.fault?.message ?? ''}`
        : brokenBudgets(p).map(budgetFigures).join('; ') || '-',
    ),
  ]);
  lines.push(
    ...table(
      [
        'probe',
        'verdict',
        'heap growth (95% CI)',
        'external growth (95% CI)',
        'per item',
        'GC recovery',
        'it/s',
        'peak RSS',
        'broken budgets',
      ],
      rows,
      ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
    ),
  );
  const loads = report.load ?? [];
  if (loads.length > 0) {
    lines.push('', '### Load', '');
    lines.push(
      ...table(
        ['run', 'result', 'p50', 'p95', 'p99', 'max', 'throughput', 'errors', 'broken thresholds'],
        loads.map((l, i) => [
          md(`load ${i + 1} (${l.mode})`),
          l.status,
          formatMs(l.latency.p50),
          formatMs(l.latency.p95),
          formatMs(l.latency.p99),
          formatMs(l.latency.max),
          `${Math.round(l.throughput).toLocaleString('en-US')}/s`,
          l.errors.total.toLocaleString('en-US'),
          md(
            l.thresholds
              .filter((t) => t.status === 'fail')
              .map((t) => t.threshold)
              .join(', ') || '-',
          ),
        ]),
        ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
      ),
    );
  }
  const regressions = report.regressions ?? [];
  if (report.history) {
    lines.push('');
    if (regressions.length === 0) {
      lines.push(
        `No regression against the last ${report.history.window} runs of the history (` +
          `${report.history.earlierRuns} earlier runs).`,
      );
    } else {
      const effect = report.history.failOnRegression ? 'these fail the check' : 'budgets decide the verdict';
      lines.push(
        `### ⚠️ ${regressions.length} regression${regressions.length === 1 ? '' : 's'} against the history (${effect})`,
        '',
      );
      lines.push(
        ...table(
          ['probe', 'metric', 'now', 'median (runs)', 'threshold'],
          regressions.map((r) => [
            md(r.probe),
            metricLabel(r.metric),
            formatMetric(r.metric, r.current),
            `${r.median === null ? '-' : formatMetric(r.metric, r.median)} (${r.previous.length})`,
            r.threshold === null ? '-' : formatMetric(r.metric, r.threshold),
          ]),
          ['l', 'l', 'r', 'r', 'r'],
        ),
      );
    }
  }
  const faults = report.probes.filter((p) => p.fault && p.verdict !== 'error');
  for (const p of faults) lines.push('', `- ${md(p.name)}: ${md(`${p.fault!.kind}: ${p.fault!.message}`)}`);
  lines.push('');
  return lines.join('\n');
}
