/**
 * The terminal report of `memprobe check`: the soak text report, then the comparison with the history.
 */
import { formatMetric, metricLabel } from '../core/metrics.js';
import type { CheckReport } from '../engine/check-report.js';
import { shardLabel } from './figures.js';
import { renderLoadText } from './load-text.js';
import { renderSoakText } from './text.js';

export function renderCheckText(report: CheckReport): string {
  const lines = renderSoakText(report)
    .replace(/^memprobe soak(.*)/, (_, rest: string) => `memprobe check${rest}${shardLabel(report)}`)
    .split('\n');
  const loads = report.load ?? [];
  if (loads.length > 0) {
    // The load runs come before the verdict line, which then counts them too.
    const verdictLine = lines.pop()!;
    for (const load of loads) lines.push(renderLoadText(load), '');
    lines.push(`${verdictLine} · load: ${loads.map((l) => l.status).join(', ')}`);
  }
  const text = lines.join('\n');
  const history = report.history;
  if (!history) return text;
  const regressions = report.regressions ?? [];
  const historyLines = [
    '',
    `history: ${history.earlierRuns} earlier run${history.earlierRuns === 1 ? '' : 's'} in ${history.file}` +
      ` (window ${history.window})`,
  ];
  const compared = history.comparisons.filter((c) => c.status !== 'no-history').length;
  if (history.comparisons.length > 0 && compared === 0)
    historyLines.push('  too few earlier runs to compare yet (3 needed)');
  else if (regressions.length === 0) historyLines.push('  no regression');
  for (const r of regressions) {
    historyLines.push(
      `  ⚠ REGRESSION ${r.probe} ${metricLabel(r.metric)}: ${formatMetric(r.metric, r.current)} (${r.reason})`,
    );
  }
  if (regressions.length > 0) {
    historyLines.push(
      history.failOnRegression
        ? '  regressions fail the check (failOnRegression)'
        : '  the verdict comes from the budgets (set failOnRegression to fail on regressions)',
    );
  }
  if (!history.appended) historyLines.push('  this run was not added to the history (interrupted)');
  return `${text}\n${historyLines.join('\n')}`;
}
