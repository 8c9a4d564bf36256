/**
 * growthRate: post-GC heap and external memory may grow at most this fast (bytes/s), each checked on its own.
 * A failure needs the whole window, its last half and the floor of the series to agree (see the comments).
 */
import { DEFAULT_GROWTH_RATE_BYTES_PER_SECOND, MIN_SAMPLES_FOR_VERDICT } from '../constants.js';
import { formatBytes } from '../core/format.js';
import { parseRate } from '../core/units.js';
import type { BudgetResult, Growth, MemoryKind } from '../types.js';
import { resultBase, type BudgetDefinition } from './budget.js';

const rate = (bytesPerSecond: number): string => `${formatBytes(bytesPerSecond)}/s`;

export function checkGrowth(growth: Growth | null, limit: number, memory: MemoryKind): BudgetResult {
  const base = { ...resultBase(growthRate, limit), memory };
  // Few samples cannot show a pass, but a leak so fast that every pair of samples outgrew the budget is a fail.
  if (growth && growth.samples >= 3 && growth.samples < MIN_SAMPLES_FOR_VERDICT && growth.minPairSlope > limit) {
    const pairs = `at least ${rate(growth.minPairSlope)} between every two of ${growth.samples} samples`;
    const reason = `${memory} grows ${rate(growth.bytesPerSecond)}, ${pairs}, budget < ${rate(limit)}`;
    return { ...base, actual: growth.bytesPerSecond, status: 'fail', reason };
  }
  if (!growth || growth.samples < MIN_SAMPLES_FOR_VERDICT) {
    const count = growth?.samples ?? 0;
    const reason = `only ${count} soak samples (need ${MIN_SAMPLES_FOR_VERDICT}): run longer`;
    return { ...base, actual: growth?.bytesPerSecond ?? null, status: 'inconclusive', reason };
  }
  const interval = `[${rate(growth.ciLow)}, ${rate(growth.ciHigh)}]`;
  // Growth must also lift the floor of the series: a workload that fills and clears (a sawtooth) does not.
  const floorRises = growth.floorBytesPerSecond > limit;
  // The whole window fails only when its last half agrees (a transient early in the run, a cache filling or a
  // lazy init, is over by then) and when growth is told apart from none at 99.9%, not only at 95%.
  if (growth.bytesPerSecond > limit && growth.strictCiLow > 0 && growth.recentCiHigh > limit && floorRises) {
    const reason = `${memory} grows ${rate(growth.bytesPerSecond)} ${interval}, budget < ${rate(limit)}`;
    return { ...base, actual: growth.bytesPerSecond, status: 'fail', reason };
  }
  if (growth.recentStrictCiLow > limit && floorRises) {
    const recent = `${rate(growth.recentBytesPerSecond)} over the last half of the run`;
    const reason = `${memory} grows ${recent} (at least ${rate(growth.recentStrictCiLow)}), budget < ${rate(limit)}`;
    return { ...base, actual: growth.recentBytesPerSecond, status: 'fail', reason };
  }
  const noisy =
    growth.bytesPerSecond > limit && growth.strictCiLow <= 0
      ? ': the series swings too widely to tell this from no growth (run longer)'
      : '';
  const reason = `${memory} grows ${rate(growth.bytesPerSecond)} ${interval}${noisy}`;
  return { ...base, actual: growth.bytesPerSecond, status: 'pass', reason };
}

export const growthRate: BudgetDefinition<'growthRate'> = {
  name: 'growthRate',
  default: DEFAULT_GROWTH_RATE_BYTES_PER_SECOND,
  direction: 'below',
  unit: 'B/s',
  parse: parseRate,
  example: '16KB/s',
  summary:
    'the post-GC JS heap or external memory (each on its own) grows faster, over the whole window and its last half',
  check: (m, limit) => [checkGrowth(m.growth, limit, 'heap'), checkGrowth(m.externalGrowth, limit, 'external')],
};
