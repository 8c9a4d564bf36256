/** perItem: memory per held item, the slope of post-GC heap + external against `items()`; off unless set. */
import { formatBytes } from '../core/format.js';
import { parseSize } from '../core/units.js';
import type { BudgetResult } from '../types.js';
import { resultBase, type BudgetDefinition } from './budget.js';

export function checkPerItem(actual: number | null, limit: number): BudgetResult {
  const base = { ...resultBase(perItem, limit), actual };
  if (actual === null) return { ...base, status: 'skipped', reason: 'the probe held no changing item count' };
  const text = `${formatBytes(actual)} per item, budget < ${formatBytes(limit)}`;
  return { ...base, status: actual > limit ? 'fail' : 'pass', reason: text };
}

export const perItem: BudgetDefinition<'perItem'> = {
  name: 'perItem',
  default: null,
  direction: 'below',
  unit: 'B',
  parse: parseSize,
  example: '2KB',
  summary: "memory per held item (post-GC heap + external against the probe's items()) is larger",
  check: (m, limit) => [checkPerItem(m.perItemBytes, limit)],
};
