/** eventLoopP99: the median of the per-interval p99 event-loop delays must stay below this; off unless set. */
import { formatEventLoop } from '../core/format.js';
import { parseDuration } from '../core/units.js';
import type { BudgetResult } from '../types.js';
import { resultBase, type BudgetDefinition } from './budget.js';

export function checkEventLoop(p99Ms: number | null, limit: number): BudgetResult {
  const base = resultBase(eventLoopP99, limit);
  if (p99Ms === null) return { ...base, actual: null, status: 'inconclusive', reason: 'no event-loop delay recorded' };
  const reason = `${formatEventLoop(p99Ms)}, budget < ${limit} ms`;
  return { ...base, actual: p99Ms, status: p99Ms < limit ? 'pass' : 'fail', reason };
}

export const eventLoopP99: BudgetDefinition<'eventLoopP99'> = {
  name: 'eventLoopP99',
  default: null,
  direction: 'below',
  unit: 'ms',
  parse: parseDuration,
  example: '50ms',
  summary: 'the median of the per-interval p99 event-loop delays is above it',
  check: (m, limit) => [checkEventLoop(m.resources.eventLoopP99Ms, limit)],
};
