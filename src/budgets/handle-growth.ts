/** handleGrowth: active handles (sockets, timers, servers) may grow at most this many per minute. */
import { DEFAULT_HANDLE_GROWTH_PER_MINUTE } from '../constants.js';
import { formatGrowingTypes } from '../core/format.js';
import { parseCountRate } from '../core/units.js';
import type { BudgetDefinition } from './budget.js';
import { checkCountGrowth } from './count-growth.js';

export const handleGrowth: BudgetDefinition<'handleGrowth'> = {
  name: 'handleGrowth',
  default: DEFAULT_HANDLE_GROWTH_PER_MINUTE,
  direction: 'atMost',
  unit: '/min',
  parse: parseCountRate,
  example: '10/min',
  summary:
    'active handles (sockets, timers, servers) grow faster: the 95% lower bound is above it and the count rose by 3+',
  check: (m, limit) => [
    checkCountGrowth(
      handleGrowth,
      'active handles',
      m.resources.handles,
      limit,
      m.soakSamples,
      formatGrowingTypes(m.resources.growingHandleTypes),
    ),
  ],
};
