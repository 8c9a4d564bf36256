/** How verdicts combine: one rule for probes, runs, shards and a whole check. Pure. */
import type { LoadStatus } from '../load/types.js';
import type { Verdict } from '../types.js';

/** Any error, else any fail, else any inconclusive, else pass. */
export function overallVerdict(verdicts: readonly Verdict[]): Verdict {
  return (['error', 'fail', 'inconclusive'] as const).find((v) => verdicts.includes(v)) ?? 'pass';
}

/** A load run's part in a verdict: a broken threshold, a starved operation or a saturated generator fail it. */
const LOAD_VERDICT: Readonly<Record<LoadStatus, Verdict>> = {
  pass: 'pass',
  fail: 'fail',
  'generator-saturated': 'fail',
  interrupted: 'inconclusive',
  error: 'error',
};

export function loadVerdict(status: LoadStatus): Verdict {
  return LOAD_VERDICT[status];
}
