/** How verdicts combine: one rule for probes, runs, shards and a whole check. Pure. */
import type { Verdict } from '../types.js';

/** Any error, else any fail, else any inconclusive, else pass. */
export function overallVerdict(verdicts: readonly Verdict[]): Verdict {
  return (['error', 'fail', 'inconclusive'] as const).find((v) => verdicts.includes(v)) ?? 'pass';
}
