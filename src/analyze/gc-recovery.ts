/**
 * GC recovery: of what the run grew (baseline -> last soak sample, heap + external),
 * the share given back after teardown and a forced GC (last soak sample -> final sample).
 */
import { GC_RECOVERY_MIN_GROWTH_BYTES } from '../constants.js';
import type { GcRecovery, Sample } from '../types.js';

const total = (s: Sample): number => s.heapUsed + s.external;

export function gcRecoveryOf(
  baseline: Sample | undefined,
  soak: readonly Sample[],
  final: Sample | undefined,
): GcRecovery | null {
  const last = soak.at(-1);
  if (!baseline || !last) return null;
  const grewBytes = total(last) - total(baseline);
  const returnedBytes = final ? total(last) - total(final) : 0;
  const freed = soak.filter((s) => s.heapBeforeGc > 0).map((s) => (s.heapBeforeGc - s.heapUsed) / s.heapBeforeGc);
  return {
    recovered: final && grewBytes >= GC_RECOVERY_MIN_GROWTH_BYTES ? returnedBytes / grewBytes : null,
    grewBytes,
    returnedBytes,
    freedPerGc: freed.length > 0 ? freed.reduce((a, b) => a + b, 0) / freed.length : null,
  };
}
