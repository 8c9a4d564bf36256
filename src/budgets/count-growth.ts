/**
 * The check shared by the count budgets (handles, file descriptors): broken when the growth is significant
 * (the interval's low bound is above the limit) and the count really rose, first quarter to last, by
 * MIN_COUNT_RISE or more.
 */
import { MIN_COUNT_RISE, MIN_SAMPLES_FOR_VERDICT } from '../constants.js';
import { formatCountGrowth } from '../core/format.js';
import type { BudgetResult, CountGrowth } from '../types.js';
import { resultBase, type BudgetDefinition } from './budget.js';

export function checkCountGrowth(
  definition: BudgetDefinition,
  what: string,
  growth: CountGrowth | null,
  limit: number,
  samples: number,
  detail = '',
): BudgetResult {
  const base = resultBase(definition, limit);
  if (samples === 0) return { ...base, actual: null, status: 'skipped', reason: 'no soak samples' };
  if (!growth || samples < MIN_SAMPLES_FOR_VERDICT) {
    const reason = growth ? `only ${samples} soak samples` : `${what} not measured on this platform`;
    return { ...base, actual: growth?.perMinute ?? null, status: growth ? 'inconclusive' : 'skipped', reason };
  }
  const rise = growth.last - growth.first;
  const text = `${formatCountGrowth(what, growth)}${detail}`;
  const broken = growth.ciLow > limit && rise >= MIN_COUNT_RISE;
  return {
    ...base,
    actual: growth.perMinute,
    status: broken ? 'fail' : 'pass',
    reason: `${text}, budget <= ${limit}/min`,
  };
}
