/**
 * The pure core: samples + budgets in, a verdict with every budget's figures out.
 * No I/O, no clocks: the same input always gives the same analysis.
 */
import { checkBudgets, verdictOf } from '../budgets/check.js';
import type { Analysis, Budgets, Sample } from '../types.js';
import { gcRecoveryOf } from './gc-recovery.js';
import { externalSeries, growthOf, heapSeries, perItemBytes } from './growth.js';
import { weighEvidence } from './leak-evidence.js';
import { resourcesOf } from './resources.js';

export interface AnalyzeOptions {
  /** GC recovery is only judged for probes that release their work in a teardown. */
  readonly hasTeardown: boolean;
  /** The heap's limit, when known: the leak question says when growth would reach it. */
  readonly heapLimit?: number | null;
}

/** Analyzes one probe's samples (baseline, soak samples, final) against its budgets. */
export function analyze(samples: readonly Sample[], budgets: Budgets, options: AnalyzeOptions): Analysis {
  const baseline = samples.find((s) => s.phase === 'baseline');
  const soak = samples.filter((s) => s.phase === 'soak');
  const final = samples.find((s) => s.phase === 'final');
  const growth = growthOf(soak, heapSeries);
  const externalGrowth = growthOf(soak, externalSeries);
  const perItem = perItemBytes(soak);
  const leak = weighEvidence(samples, { index: 1, of: 1 }, options.heapLimit ?? null);
  // What a warm-up or a store filling to its bound added before the steady state is not asked back after teardown.
  const steadyFrom = leak.levelled ? (leak.steady?.fromMs ?? 0) : 0;
  const start = steadyFrom > 0 ? (soak.find((s) => s.timeMs >= steadyFrom) ?? baseline) : baseline;
  const gcRecovery = gcRecoveryOf(start, soak, final);
  const resources = resourcesOf(soak);
  const measured = {
    growth,
    externalGrowth,
    perItemBytes: perItem,
    gcRecovery: final ? gcRecovery : null,
    resources,
    soakSamples: soak.length,
    hasTeardown: options.hasTeardown,
  };
  const results = checkBudgets(measured, budgets);
  const notes = baseline ? [] : ['no baseline sample'];
  return {
    verdict: verdictOf(results),
    growth,
    externalGrowth,
    perItemBytes: perItem,
    gcRecovery,
    resources,
    leak,
    budgets: results,
    notes,
  };
}
