/**
 * Figures as short strings, shared by the JUnit, Markdown, HTML and check text reports. Pure.
 */
import { formatBytes, formatShare } from '../core/format.js';
import type { BudgetResult, Growth, ProbeReport, SoakReport, Verdict } from '../types.js';

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
  return value === null || value === undefined ? '-' : `${Math.round(value).toLocaleString('en-US')}${unit}`;
}

/** A budget's figure in its unit: `+64.0 KB/s`, `1.2 KB`, `35%`, `+12/min`, `14 ms`. */
export function budgetValue(budget: BudgetResult, value: number): string {
  switch (budget.name) {
    case 'growthRate':
      return rate(value);
    case 'perItem':
    case 'heapLimit':
      return formatBytes(value);
    case 'gcRecovery':
      return formatShare(value);
    case 'handleGrowth':
    case 'fdGrowth':
      return `${value > 0 ? '+' : ''}${Number(value.toFixed(1))}/min`;
    case 'eventLoopP99':
      return `${value.toFixed(1)} ms`;
    default:
      return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toPrecision(4);
  }
}

/** Which way a budget's limit goes: most are maxima, GC recovery is a minimum. */
function limitWord(budget: BudgetResult): string {
  if (budget.name === 'gcRecovery') return 'at least';
  if (budget.name === 'heapLimit') return 'heap limit';
  return 'at most';
}

export function budgetLabel(budget: BudgetResult): string {
  return `${budget.name}${budget.memory ? ` (${budget.memory})` : ''}`;
}

/** `growthRate (heap): +64.0 KB/s, budget at most 16.0 KB/s` (engine budgets), else the check's reason. */
export function budgetFigures(budget: BudgetResult): string {
  const actual = budget.actual === null ? 'not measured' : budgetValue(budget, budget.actual);
  if (budget.limit === null) return `${budgetLabel(budget)}: ${budget.reason}`;
  const limit = budgetValue(budget, budget.limit).replace(/^\+/, '');
  return `${budgetLabel(budget)}: ${actual}, budget ${limitWord(budget)} ${limit}`;
}

export const brokenBudgets = (probe: ProbeReport): BudgetResult[] => probe.budgets.filter((b) => b.status === 'fail');

export const VERDICT_ICON: Readonly<Record<Verdict, string>> = { pass: '✅', fail: '❌', inconclusive: '⚠️', error: '💥' };

/** "2 probes (1 not run)" for headers: the run's probes, counting those an interrupt stopped before they started. */
export function probeCount(report: SoakReport): string {
  const count = report.probes.length + report.notRun.length;
  return `${count} probe${count === 1 ? '' : 's'}${report.notRun.length > 0 ? ` (${report.notRun.length} not run)` : ''}`;
}

/** The line naming the probes an interrupt stopped before they started; null when there are none. */
export function notRunText(report: SoakReport): string | null {
  return report.notRun.length > 0 ? `not run (interrupted before they started): ${report.notRun.join(', ')}` : null;
}
