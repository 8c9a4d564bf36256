/**
 * The pure core: samples + budgets in, a verdict with every budget's figures out.
 * No I/O, no clocks: the same input always gives the same analysis.
 */
import { MIN_SAMPLES_FOR_VERDICT } from '../constants.js';
import { formatBytes, formatShare } from '../core/format.js';
import type { Analysis, BudgetResult, Budgets, GcRecovery, Growth, MemoryKind, ProbeCheck, Sample, Verdict } from '../types.js';
import { gcRecoveryOf } from './gc-recovery.js';
import { externalSeries, growthOf, heapSeries, perItemBytes } from './growth.js';
import { checkCountGrowth, checkEventLoop, resourcesOf } from './resources.js';

const rate = (bytesPerSecond: number): string => `${formatBytes(bytesPerSecond)}/s`;

export function checkGrowth(growth: Growth | null, limit: number, memory: MemoryKind): BudgetResult {
  const base = { name: 'growthRate', memory, limit } as const;
  // Few samples cannot show a pass, but a leak so fast that every pair of samples outgrew the budget is a fail.
  if (growth && growth.samples >= 3 && growth.samples < MIN_SAMPLES_FOR_VERDICT && growth.minPairSlope > limit) {
    return {
      ...base,
      actual: growth.bytesPerSecond,
      status: 'fail',
      reason: `${memory} grows ${rate(growth.bytesPerSecond)}, at least ${rate(growth.minPairSlope)} between every two of ${growth.samples} samples, budget < ${rate(limit)}`,
    };
  }
  if (!growth || growth.samples < MIN_SAMPLES_FOR_VERDICT) {
    const count = growth?.samples ?? 0;
    return {
      ...base,
      actual: growth?.bytesPerSecond ?? null,
      status: 'inconclusive',
      reason: `only ${count} soak samples (need ${MIN_SAMPLES_FOR_VERDICT}): run longer`,
    };
  }
  const interval = `[${rate(growth.ciLow)}, ${rate(growth.ciHigh)}]`;
  // Growth must also lift the floor of the series: a workload that fills and clears (a sawtooth) does not.
  const floorRises = growth.floorBytesPerSecond > limit;
  // The whole window fails only when its last half agrees (a transient early in the run, a cache filling or a
  // lazy init, is over by then) and when growth is told apart from none at 99.9%, not only at 95%.
  if (growth.bytesPerSecond > limit && growth.strictCiLow > 0 && growth.recentCiHigh > limit && floorRises) {
    return {
      ...base,
      actual: growth.bytesPerSecond,
      status: 'fail',
      reason: `${memory} grows ${rate(growth.bytesPerSecond)} ${interval}, budget < ${rate(limit)}`,
    };
  }
  if (growth.recentStrictCiLow > limit && floorRises) {
    return {
      ...base,
      actual: growth.recentBytesPerSecond,
      status: 'fail',
      reason: `${memory} grows ${rate(growth.recentBytesPerSecond)} over the last half of the run (at least ${rate(growth.recentStrictCiLow)}), budget < ${rate(limit)}`,
    };
  }
  const noisy = growth.bytesPerSecond > limit && growth.strictCiLow <= 0 ? ': the series swings too widely to tell this from no growth (run longer)' : '';
  return { ...base, actual: growth.bytesPerSecond, status: 'pass', reason: `${memory} grows ${rate(growth.bytesPerSecond)} ${interval}${noisy}` };
}

export function checkPerItem(actual: number | null, limit: number): BudgetResult {
  const base = { name: 'perItem', limit, actual } as const;
  if (actual === null) return { ...base, status: 'skipped', reason: 'the probe held no changing item count' };
  const text = `${formatBytes(actual)} per item, budget < ${formatBytes(limit)}`;
  return { ...base, status: actual > limit ? 'fail' : 'pass', reason: text };
}

export function checkGcRecovery(recovery: GcRecovery | null, limit: number, hasTeardown: boolean): BudgetResult {
  const base = { name: 'gcRecovery', limit } as const;
  if (!hasTeardown) {
    return { ...base, actual: recovery?.recovered ?? null, status: 'skipped', reason: 'the probe has no teardown to release its work' };
  }
  if (!recovery) {
    return { ...base, actual: null, status: 'inconclusive', reason: 'no sample after teardown' };
  }
  if (recovery.recovered === null) {
    return {
      ...base,
      actual: null,
      status: 'skipped',
      reason: `the run grew ${formatBytes(recovery.grewBytes)}: too little to judge recovery`,
    };
  }
  const text = `${formatShare(recovery.recovered)} of ${formatBytes(recovery.grewBytes)} came back, budget > ${formatShare(limit)}`;
  return { ...base, actual: recovery.recovered, status: recovery.recovered < limit ? 'fail' : 'pass', reason: text };
}

/** A probe's own check (context.check) as a budget result. */
export function checkProbeFigure(check: ProbeCheck): BudgetResult {
  const { name, actual, limit } = check;
  const unit = limit.unit ?? '';
  const show = (value: number): string => {
    if (unit.trim() === 'B') return formatBytes(value);
    if (unit === '%') return `${Number((value * 100).toPrecision(4))}%`; // 94.96% must not read as the 95% it missed
    return `${Number.isInteger(value) ? value : value.toPrecision(4)}${unit}`;
  };
  const below = limit.below !== undefined;
  const bound = below ? limit.below : limit.above;
  const ok = below ? actual < bound : actual > bound;
  const reason = `${show(actual)}, budget ${below ? '<' : '>'} ${show(bound)}`;
  return { name, limit: bound, actual, status: Number.isFinite(actual) && ok ? 'pass' : 'fail', reason };
}

/** Combines probe (or run) verdicts: any error, else any fail, else any inconclusive, else pass. */
export function overallVerdict(verdicts: readonly Verdict[]): Verdict {
  return (['error', 'fail', 'inconclusive'] as const).find((v) => verdicts.includes(v)) ?? 'pass';
}

/** Combines budget statuses: any fail fails, else any inconclusive, else pass. */
export function verdictOf(results: readonly BudgetResult[]): Analysis['verdict'] {
  if (results.some((r) => r.status === 'fail')) return 'fail';
  if (results.some((r) => r.status === 'inconclusive')) return 'inconclusive';
  return 'pass';
}

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
  const results: BudgetResult[] = [
    checkGrowth(growth, budgets.growthRate, 'heap'),
    checkGrowth(externalGrowth, budgets.growthRate, 'external'),
  ];
  if (budgets.perItem !== null) results.push(checkPerItem(perItem, budgets.perItem));
  results.push(checkGcRecovery(final ? gcRecovery : null, budgets.gcRecovery, options.hasTeardown));
  const resources = resourcesOf(soak);
  const byType = resources.growingHandleTypes.map((t) => `${t.type} +${t.perMinute.toFixed(0)}/min`).join(', ');
  results.push(checkCountGrowth('handleGrowth', resources.handles, budgets.handleGrowth, soak.length, byType ? `; growing: ${byType}` : ''));
  results.push(checkCountGrowth('fdGrowth', resources.fds, budgets.fdGrowth, soak.length));
  if (budgets.eventLoopP99 !== null) results.push(checkEventLoop(resources.eventLoopP99Ms, budgets.eventLoopP99));
  const notes: string[] = [];
  if (!baseline) notes.push('no baseline sample');
  return { verdict: verdictOf(results), growth, externalGrowth, perItemBytes: perItem, gcRecovery, resources, budgets: results, notes };
}
