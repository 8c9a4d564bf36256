import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../../src/analyze/analyze.js';
import { checkProbeFigure, verdictOf } from '../../../src/budgets/check.js';
import { checkGcRecovery } from '../../../src/budgets/gc-recovery.js';
import { checkGrowth } from '../../../src/budgets/growth-rate.js';
import type { Budgets } from '../../../src/types.js';
import { seeded, series } from '../../support/series.js';

const KB = 1024;
const MB = 1024 * 1024;
const budgets: Budgets = {
  growthRate: 16 * KB,
  perItem: null,
  gcRecovery: 0.05,
  handleGrowth: 0,
  fdGrowth: 0,
  eventLoopP99: null,
};
const base = 20 * MB;
const noTeardown = { hasTeardown: false };
const heapBudget = (analysis: ReturnType<typeof analyze>) =>
  analysis.budgets.find((b) => b.name === 'growthRate' && b.memory === 'heap')!;

test('a linear leak of 64 KB/s fails and its rate is measured within 5%', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const analysis = analyze(
      series({ count: 120, seed, noise: 4 * KB, heap: (t) => base + 64 * KB * t }),
      budgets,
      noTeardown,
    );
    assert.equal(analysis.verdict, 'fail', `seed ${seed}`);
    assert.ok(
      Math.abs(analysis.growth!.bytesPerSecond / (64 * KB) - 1) < 0.05,
      `seed ${seed}: ${analysis.growth!.bytesPerSecond}`,
    );
    assert.equal(analysis.growth!.bytesPerIteration! > 60 && analysis.growth!.bytesPerIteration! < 70, true);
  }
});

test('a flat heap with noise passes and its interval contains zero', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const analysis = analyze(series({ count: 120, seed, noise: 8 * KB, heap: () => base }), budgets, noTeardown);
    assert.equal(analysis.verdict, 'pass', `seed ${seed}`);
    assert.ok(analysis.growth!.ciLow <= 0 && analysis.growth!.ciHigh >= 0, `seed ${seed}`);
  }
});

test('a fill-then-clear sawtooth (2 MB every 3 s) passes', () => {
  for (const seed of [1, 2, 3]) {
    const heap = (t: number): number => base + ((t % 3) / 3) * 2 * MB;
    const analysis = analyze(series({ count: 120, seed, noise: 2 * KB, heap }), budgets, noTeardown);
    assert.equal(analysis.verdict, 'pass', `seed ${seed}: ${JSON.stringify(heapBudget(analysis))}`);
  }
});

test('a one-time 3 MB step a third of the way in passes', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const heap = (t: number): number => base + (t >= 10 ? 3 * MB : 0);
    const analysis = analyze(series({ count: 120, seed, noise: 2 * KB, heap }), budgets, noTeardown);
    assert.equal(analysis.verdict, 'pass', `seed ${seed}: ${JSON.stringify(heapBudget(analysis))}`);
  }
});

test('a leak that starts halfway through fails on the last half', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const heap = (t: number): number => base + Math.max(0, t - 15) * 64 * KB;
    const analysis = analyze(series({ count: 120, seed, noise: 4 * KB, heap }), budgets, noTeardown);
    assert.equal(analysis.verdict, 'fail', `seed ${seed}`);
    assert.ok(analysis.growth!.recentBytesPerSecond > 50 * KB);
  }
});

test('a leak buried in heavy noise (64 KB/s, sd 200 KB) still fails', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const analysis = analyze(
      series({ count: 120, seed, noise: 200 * KB, heap: (t) => base + 64 * KB * t }),
      budgets,
      noTeardown,
    );
    assert.equal(analysis.verdict, 'fail', `seed ${seed}`);
  }
});

test('too few samples is inconclusive, never pass', () => {
  const analysis = analyze(series({ count: 4, heap: () => base }), budgets, noTeardown);
  assert.equal(analysis.verdict, 'inconclusive');
  assert.match(heapBudget(analysis).reason, /only 4 soak samples/);
});

test('too few samples but every pair grew past the budget is a fail', () => {
  const analysis = analyze(
    series({ count: 4, intervalMs: 1000, heap: (t) => base + 50 * MB * t }),
    budgets,
    noTeardown,
  );
  assert.equal(analysis.verdict, 'fail');
});

test('external memory growth counts like heap growth', () => {
  const analysis = analyze(
    series({ count: 60, heap: () => base, external: (t) => MB + 100 * KB * t }),
    budgets,
    noTeardown,
  );
  assert.equal(analysis.verdict, 'fail');
  const external = analysis.budgets.find((b) => b.memory === 'external')!;
  assert.equal(external.status, 'fail');
  assert.equal(heapBudget(analysis).status, 'pass');
});

test('per-item memory is the slope of heap + external against items', () => {
  const samples = series({ count: 60, heap: (t) => base + 1000 * 500 * t, items: (t) => Math.round(500 * t) });
  const analysis = analyze(samples, { ...budgets, growthRate: 10 * MB, perItem: 2 * KB }, noTeardown);
  assert.ok(Math.abs(analysis.perItemBytes! - 1000) < 5);
  assert.equal(analysis.budgets.find((b) => b.name === 'perItem')?.status, 'pass');
  const tight = analyze(samples, { ...budgets, growthRate: 10 * MB, perItem: 512 }, noTeardown);
  assert.equal(tight.verdict, 'fail');
});

test('per-item is skipped when the item count never changes', () => {
  const analysis = analyze(
    series({ count: 30, heap: () => base, items: () => 10 }),
    { ...budgets, perItem: 1024 },
    noTeardown,
  );
  assert.equal(analysis.perItemBytes, null);
  assert.equal(analysis.budgets.find((b) => b.name === 'perItem')?.status, 'skipped');
});

test('GC recovery: share of the growth given back after teardown', () => {
  const heap = (t: number): number => base + 0.2 * MB * t;
  const recovered = analyze(
    series({ count: 40, heap, finalHeap: base + 1 * MB }),
    { ...budgets, growthRate: 10 * MB },
    { hasTeardown: true },
  );
  const result = recovered.budgets.find((b) => b.name === 'gcRecovery')!;
  assert.equal(result.status, 'pass');
  assert.ok(Math.abs(result.actual! - 0.5) < 0.01, String(result.actual));
  const kept = analyze(
    series({ count: 40, heap, finalHeap: base + 2 * MB }),
    { ...budgets, growthRate: 10 * MB },
    { hasTeardown: true },
  );
  assert.equal(kept.budgets.find((b) => b.name === 'gcRecovery')?.status, 'fail');
});

test('GC recovery is skipped without teardown or when the run barely grew', () => {
  assert.equal(
    checkGcRecovery({ recovered: 0, grewBytes: 5 * MB, returnedBytes: 0, freedPerGc: 0.5 }, 0.05, false).status,
    'skipped',
  );
  assert.equal(
    checkGcRecovery({ recovered: null, grewBytes: 10 * KB, returnedBytes: 0, freedPerGc: 0.5 }, 0.05, true).status,
    'skipped',
  );
  assert.equal(checkGcRecovery(null, 0.05, true).status, 'inconclusive');
});

test('a missing growth estimate is inconclusive', () => {
  assert.equal(checkGrowth(null, 1024, 'heap').status, 'inconclusive');
});

test('verdicts combine: fail beats inconclusive beats pass; skipped is neutral', () => {
  const r = (status: 'pass' | 'fail' | 'inconclusive' | 'skipped') => ({
    name: 'growthRate' as const,
    limit: 1,
    actual: 1,
    direction: 'below' as const,
    unit: 'B/s',
    status,
    reason: '',
  });
  assert.equal(verdictOf([r('pass'), r('skipped')]), 'pass');
  assert.equal(verdictOf([r('pass'), r('inconclusive')]), 'inconclusive');
  assert.equal(verdictOf([r('inconclusive'), r('fail')]), 'fail');
});

test("a probe's own checks: below and above limits, non-finite values fail", () => {
  assert.equal(checkProbeFigure({ name: 'p95Ms', actual: 400, limit: { below: 500, unit: ' ms' } }).status, 'pass');
  assert.equal(checkProbeFigure({ name: 'p95Ms', actual: 500, limit: { below: 500 } }).status, 'fail');
  const rate = checkProbeFigure({ name: 'throughput', actual: 50, limit: { above: 100, unit: '/s' } });
  assert.deepEqual(rate, {
    name: 'throughput',
    limit: 100,
    actual: 50,
    direction: 'above',
    unit: '/s',
    status: 'fail',
    reason: '50/s, budget > 100/s',
  });
  assert.equal(checkProbeFigure({ name: 'x', actual: Number.NaN, limit: { above: 0 } }).status, 'fail');
  assert.equal(
    checkProbeFigure({ name: 'successRate', actual: 0.9496, limit: { above: 0.95, unit: '%' } }).reason,
    '94.96%, budget > 95%',
  );
});

test('a cache that fills over the first quarter, steps once, then stays flat passes (seen on an LRU)', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const heap = (t: number): number => base + Math.min(t, 8) * 190 * KB + (t > 10 ? 460 * KB : 0);
    const analysis = analyze(series({ count: 120, seed, noise: 3 * KB, heap }), budgets, noTeardown);
    assert.equal(analysis.verdict, 'pass', `seed ${seed}: ${JSON.stringify(heapBudget(analysis))}`);
  }
});

test('a one-time step passes even when the samples before it are denser (the sampler slowed after it)', () => {
  // 60 samples over the first 10 s, then 40 over the remaining 18 s: pairs straddling the step are ~48%.
  const samples = series({ count: 100, heap: () => base });
  const step = samples.map((s, i) => {
    const timeMs = i <= 60 ? i * (10_000 / 60) : 10_000 + (i - 60) * 450;
    return { ...s, timeMs, heapUsed: base + (timeMs > 10_200 ? 3 * MB : 0) + (i % 3) * KB };
  });
  const analysis = analyze(step, budgets, noTeardown);
  assert.equal(analysis.verdict, 'pass', JSON.stringify(heapBudget(analysis)));
});

test('a leak that stopped halfway through passes: the last half is flat (reported growth stays visible)', () => {
  const heap = (t: number): number => base + Math.min(t, 12) * 64 * KB;
  const analysis = analyze(series({ count: 120, seed: 3, noise: 2 * KB, heap }), budgets, noTeardown);
  assert.equal(analysis.verdict, 'pass');
  assert.ok(analysis.growth!.bytesPerSecond > 16 * KB, 'the whole-window slope still shows the growth');
});

test('a 3 MB fill-and-clear sawtooth ending mid-fill passes: the floor of the series does not rise', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const heap = (t: number): number => base + ((t % 3) / 3) * 3 * MB;
    const analysis = analyze(series({ count: 117, seed, noise: 2 * KB, heap }), budgets, noTeardown);
    assert.equal(analysis.verdict, 'pass', `seed ${seed}: ${JSON.stringify(heapBudget(analysis))}`);
    assert.ok(Math.abs(analysis.growth!.floorBytesPerSecond) < 4 * KB);
  }
});

/** Post-GC heap of a batch of up to 800 KB filled and flushed every ~1 ms: each sample lands at a random phase. */
const fillAndFlush = (seed: number, leakPerSecond = 0): ((t: number) => number) => {
  const phase = seeded(seed);
  return (t) => base + leakPerSecond * t + phase() * 800 * KB;
};

test('a fast fill-and-flush batch (800 KB, random phase at each of 16 samples over 8 s) passes', () => {
  let aboveBudget = 0;
  for (let seed = 1; seed <= 300; seed++) {
    const analysis = analyze(
      series({ count: 16, intervalMs: 500, seed, heap: fillAndFlush(seed) }),
      budgets,
      noTeardown,
    );
    assert.equal(analysis.verdict, 'pass', `seed ${seed}: ${JSON.stringify(heapBudget(analysis))}`);
    if (analysis.growth!.bytesPerSecond > budgets.growthRate!) aboveBudget++;
  }
  // Not a vacuous pass: in many of these runs the point estimate is over the budget (the 95% rule failed 57 of
  // these 300 runs), as in the real runs that failed.
  assert.ok(aboveBudget > 30, String(aboveBudget));
});

test('a steady 20 KB/s leak over 8 s (16 samples, sd 16 KB) still fails; under an 800 KB fill-and-flush it is noise', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const steady = analyze(
      series({ count: 16, intervalMs: 500, seed, noise: 16 * KB, heap: (t) => base + 20 * KB * t }),
      budgets,
      noTeardown,
    );
    assert.equal(steady.verdict, 'fail', `seed ${seed}: ${JSON.stringify(heapBudget(steady))}`);
  }
  // Seed 2 reads +26.8 KB/s [-27.0, 88.0]: over the budget, but not told apart from no growth; the reason says so.
  const noisy = analyze(
    series({ count: 16, intervalMs: 500, seed: 2, heap: fillAndFlush(2, 20 * KB) }),
    budgets,
    noTeardown,
  );
  assert.ok(noisy.growth!.bytesPerSecond > budgets.growthRate!);
  assert.equal(heapBudget(noisy).status, 'pass');
  assert.match(heapBudget(noisy).reason, /swings too widely to tell this from no growth \(run longer\)$/);
});
