/**
 * Figures as short strings, shared by the JUnit, Markdown, HTML and check text reports. Pure.
 */
import { formatBytes, formatCount, formatFigure, formatLimit, formatShare } from '../core/format.js';
import type { CheckReport } from '../engine/check-report.js';
import type { BudgetDirection, BudgetResult, Growth, ProbeReport, SoakReport, Verdict } from '../types.js';

export const signedBytes = (bytes: number): string => (bytes > 0 ? '+' : '') + formatBytes(bytes);
export const rate = (bytes: number): string => `${signedBytes(bytes)}/s`;

/** `+63.8 … +64.5 KB/s` when both ends share a unit, else `-214 B/s … +1.2 KB/s`. */
export function intervalText(low: number, high: number): string {
  const a = rate(low);
  const b = rate(high);
  const unit = / \S+$/.exec(a)?.[0];
  return unit !== undefined && b.endsWith(unit) ? `${a.slice(0, -unit.length)} … ${b}` : `${a} … ${b}`;
}

export function growthText(growth: Growth | null): string {
  if (!growth) return 'not measured';
  return `${rate(growth.bytesPerSecond)} [${rate(growth.ciLow)}, ${rate(growth.ciHigh)}]`;
}

export function perItemText(probe: ProbeReport): string {
  return probe.perItemBytes === null ? '-' : formatBytes(probe.perItemBytes);
}

export function recoveryText(probe: ProbeReport): string {
  const recovered = probe.gcRecovery?.recovered;
  return recovered === null || recovered === undefined ? '-' : formatShare(recovered);
}

export function countText(value: number | null | undefined, unit = ''): string {
  return value === null || value === undefined ? '-' : `${formatCount(value)}${unit}`;
}

/** A budget's figure in its unit: `+64.0 KB/s`, `1.2 KB`, `35%`, `+12/min`, `14.0 ms`. */
export function budgetValue(budget: BudgetResult, value: number): string {
  return formatFigure(budget.unit, value);
}

/** The limit with the way it points: `< 16.0 KB/s`, `<= 0/min`, `> 5%` (terminal) or `≤ 16.0 KB/s` (HTML). */
export function budgetBound(budget: BudgetResult, style: 'text' | 'html'): string {
  if (budget.limit === null) return '';
  const symbols = style === 'text' ? TEXT_SYMBOL : HTML_SYMBOL;
  return `${symbols[budget.direction]} ${formatLimit(budget.unit, budget.limit)}`;
}

const TEXT_SYMBOL: Readonly<Record<BudgetDirection, string>> = { below: '<', atMost: '<=', above: '>' };
const HTML_SYMBOL: Readonly<Record<BudgetDirection, string>> = { below: '≤', atMost: '≤', above: '≥' };
const LIMIT_WORD: Readonly<Record<BudgetDirection, string>> = {
  below: 'at most',
  atMost: 'at most',
  above: 'at least',
};

export function budgetLabel(budget: BudgetResult): string {
  return `${budget.name}${budget.memory ? ` (${budget.memory})` : ''}`;
}

/** `growthRate (heap): +64.0 KB/s, budget at most 16.0 KB/s`; the reason when there is no limit. */
export function budgetFigures(budget: BudgetResult): string {
  const actual = budget.actual === null ? 'not measured' : budgetValue(budget, budget.actual);
  if (budget.limit === null) return `${budgetLabel(budget)}: ${budget.reason}`;
  return (
    `${budgetLabel(budget)}: ${actual}, budget ${LIMIT_WORD[budget.direction]} ` +
    `${formatLimit(budget.unit, budget.limit)}`
  );
}

export const brokenBudgets = (probe: ProbeReport): BudgetResult[] => probe.budgets.filter((b) => b.status === 'fail');

export const VERDICT_ICON: Readonly<Record<Verdict, string>> = {
  pass: '✅',
  fail: '❌',
  inconclusive: '⚠️',
  error: '💥',
};

/** "2 probes (1 not run)" for headers: the run's probes, counting those an interrupt stopped before they started. */
export function probeCount(report: SoakReport): string {
  const count = report.probes.length + report.notRun.length;
  const notRun = report.notRun.length > 0 ? ` (${report.notRun.length} not run)` : '';
  return `${count} probe${count === 1 ? '' : 's'}${notRun}`;
}

/** The line naming the probes an interrupt stopped before they started; null when there are none. */
export function notRunText(report: SoakReport): string | null {
  return report.notRun.length > 0 ? `not run (interrupted before they started): ${report.notRun.join(', ')}` : null;
}

/**
 * ` · shard 2/3` or ` · merged from 3 shards`, for the headers of the text and Markdown reports; '' for a whole check.
 */
export function shardLabel(report: CheckReport): string {
  if (report.shard) return ` · shard ${report.shard.index}/${report.shard.count}`;
  return report.merged ? ` · merged from ${report.merged.shards} shard${report.merged.shards === 1 ? '' : 's'}` : '';
}
