/**
 * The terminal report of `memprobe check`: the soak text report, then the comparison with the history.
 */
import { formatMetric, metricLabel } from '../history/regressions.js';
import type { CheckReport } from './check-report.js';
import { renderSoakText } from './text.js';

export function renderCheckText(report: CheckReport): string {
  const text = renderSoakText(report).replace(/^memprobe soak/, 'memprobe check');
  const history = report.history;
  if (!history) return text;
  const regressions = report.regressions ?? [];
  const lines = ['', `history: ${history.earlierRuns} earlier run${history.earlierRuns === 1 ? '' : 's'} in ${history.file} (window ${history.window})`];
  const compared = history.comparisons.filter((c) => c.status !== 'no-history').length;
  if (history.comparisons.length > 0 && compared === 0) lines.push('  too few earlier runs to compare yet (3 needed)');
  else if (regressions.length === 0) lines.push('  no regression');
  for (const r of regressions) {
    lines.push(`  ⚠ REGRESSION ${r.probe} ${metricLabel(r.metric)}: ${formatMetric(r.metric, r.current)} (${r.reason})`);
  }
  if (regressions.length > 0) {
    lines.push(history.failOnRegression ? '  regressions fail the check (failOnRegression)' : '  the verdict comes from the budgets (set failOnRegression to fail on regressions)');
  }
  if (!history.appended) lines.push('  this run was not added to the history (interrupted)');
  return `${text}\n${lines.join('\n')}`;
}
