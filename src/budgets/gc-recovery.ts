/** gcRecovery: of what the run grew, the share given back after teardown and a forced GC (at least this). */
import { DEFAULT_GC_RECOVERY_SHARE } from '../constants.js';
import { formatBytes, formatRecovery, formatShare } from '../core/format.js';
import { parseShare } from '../core/units.js';
import type { BudgetResult, GcRecovery } from '../types.js';
import { resultBase, type BudgetDefinition } from './budget.js';

export function checkGcRecovery(recovery: GcRecovery | null, limit: number, hasTeardown: boolean): BudgetResult {
  const base = resultBase(gcRecovery, limit);
  if (!hasTeardown) {
    const reason = 'the probe has no teardown to release its work';
    return { ...base, actual: recovery?.recovered ?? null, status: 'skipped', reason };
  }
  if (!recovery) return { ...base, actual: null, status: 'inconclusive', reason: 'no sample after teardown' };
  if (recovery.recovered === null) {
    const reason = `the run grew ${formatBytes(recovery.grewBytes)}: too little to judge recovery`;
    return { ...base, actual: null, status: 'skipped', reason };
  }
  const text = `${formatRecovery(recovery.recovered, recovery.grewBytes)}, budget > ${formatShare(limit)}`;
  return { ...base, actual: recovery.recovered, status: recovery.recovered < limit ? 'fail' : 'pass', reason: text };
}

export const gcRecovery: BudgetDefinition<'gcRecovery'> = {
  name: 'gcRecovery',
  default: DEFAULT_GC_RECOVERY_SHARE,
  direction: 'above',
  unit: 'share',
  parse: parseShare,
  example: '20%',
  summary: 'less of what the run grew comes back after teardown and a forced GC (judged from 1 MB of growth)',
  check: (m, limit) => [checkGcRecovery(m.gcRecovery, limit, m.hasTeardown)],
};
