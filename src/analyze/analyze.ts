/**
 * The pure core: samples + budgets in, a verdict with every budget's figures out.
 * No I/O, no clocks: the same input always gives the same analysis.
 */
import { checkBudgets, verdictOf } from '../budgets/check.js';
import type { Analysis, Budgets, Sample } from '../types.js';
import { gcRecoveryOf } from './gc-recovery.js';
import { externalSeries, growthOf, heapSeries, perItemBytes } from './growth.js';
import { resourcesOf } from './resources.js';

export interface AnalyzeOptions {
  /** GC recovery is only judged for probes that release their work in a teardown. */
  readonly hasTeardown: boolean;
}

/** Analyzes one probe's samples (baseline, soak samples, final) against its budgets. */
export function analyze(samples: readonly Sample[], budgets: Budgets, options: AnalyzeOptions): Analysis {
  const baseline = samples.find((s) => s.phase === 'baseline');
  const soak = samples.filter((s) => s.phase === 'soak');
  const final = samples.find((s) => s.phase === 'final');
  const growth = growthOf(soak, heapSeries);
  const externalGrowth = growthOf(soak, externalSeries);
  const perItem = perItemBytes(soak);
  const gcRecovery = gcRecoveryOf(baseline, soak, final);
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
    budgets: results,
    notes,
  };
}
