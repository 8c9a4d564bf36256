/** fdGrowth: open file descriptors may grow at most this many per minute. */
import { DEFAULT_FD_GROWTH_PER_MINUTE } from '../constants.js';
import { parseCountRate } from '../core/units.js';
import type { BudgetDefinition } from './budget.js';
import { checkCountGrowth } from './count-growth.js';

export const fdGrowth: BudgetDefinition<'fdGrowth'> = {
  name: 'fdGrowth',
  default: DEFAULT_FD_GROWTH_PER_MINUTE,
  direction: 'atMost',
  unit: '/min',
  parse: parseCountRate,
  example: '0/min',
  summary: 'open file descriptors grow faster: the 95% lower bound is above it and the count rose by 3 or more',
  check: (m, limit) => [checkCountGrowth(fdGrowth, 'open file descriptors', m.resources.fds, limit, m.soakSamples)],
};
