/**
 * Budgets against measured figures: every set budget of the registry, a probe's own checks, and a probe's
 * verdict from its results. Pure.
 */
import { formatFigure } from '../core/format.js';
import type { Analysis, BudgetResult, Budgets, ProbeCheck } from '../types.js';
import type { Measured } from './budget.js';
import { BUDGETS } from './registry.js';

/** Every budget that has a limit, checked in registry order. */
export function checkBudgets(measured: Measured, budgets: Budgets): BudgetResult[] {
  return BUDGETS.flatMap((budget) => {
    const limit = budgets[budget.name];
    return limit === null || limit === undefined ? [] : budget.check(measured, limit);
  });
}

/** A probe's own check (context.check) as a budget result, in the probe's unit ('B', '%' or a suffix). */
export function checkProbeFigure(check: ProbeCheck): BudgetResult {
  const { name, actual, limit } = check;
  const unit = limit.unit === undefined ? '' : limit.unit.trim() === 'B' ? 'B' : limit.unit;
  const below = limit.below !== undefined;
  const bound = below ? limit.below : limit.above;
  const ok = below ? actual < bound : actual > bound;
  const reason = `${formatFigure(unit, actual)}, budget ${below ? '<' : '>'} ${formatFigure(unit, bound)}`;
  const status = Number.isFinite(actual) && ok ? 'pass' : 'fail';
  return { name, limit: bound, actual, direction: below ? 'below' : 'above', unit, status, reason };
}

/** Out of memory: the heap limit the child reached, as a broken budget. */
export function heapLimitResult(limit: number | null, actual: number | null, reason: string): BudgetResult {
  return { name: 'heapLimit', limit, actual, direction: 'atMost', unit: 'B', status: 'fail', reason };
}

/** Combines budget statuses: any fail fails, else any inconclusive, else pass. */
export function verdictOf(results: readonly BudgetResult[]): Analysis['verdict'] {
  if (results.some((r) => r.status === 'fail')) return 'fail';
  if (results.some((r) => r.status === 'inconclusive')) return 'inconclusive';
  return 'pass';
}
