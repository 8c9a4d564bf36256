import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mad, median } from '../../../src/core/stats.js';
import { compareMetric, compareWithHistory, DEFAULT_HISTORY_WINDOW, regressionsOf } from '../../../src/history/regressions.js';
import type { HistoryProbe, HistoryRun } from '../../../src/history/types.js';

const probe = (name: string, figures: Partial<HistoryProbe> = {}): HistoryProbe => ({
  name,
  verdict: 'pass',
  heapGrowth: 500,
  heapGrowthCi: [-1000, 2000],
  externalGrowth: 0,
  externalGrowthCi: [0, 0],
  perItem: null,
  gcRecovery: null,
  iterationsPerSecond: 1000,
  peakRss: 60 * 1024 * 1024,
  ...figures,
});

const run = (day: number, probes: HistoryProbe[]): HistoryRun => ({
  schemaVersion: 1,
  timestamp: `2026-11-${String(day).padStart(2, '0')}T02:00:00.000Z`,
  commit: `c${day}`,
  verdict: 'pass',
  durationMs: 60_000,
  probes,
});

/** Ten quiet nights of a clean probe: heap growth 200..800 B/s, CI upper bounds around 2 KB/s. */
const GROWTH = [200, 800, 400, 600, 500, 300, 700, 500, 450, 550];
const quiet = GROWTH.map((g, i) => run(i + 1, [probe('cache', { heapGrowth: g, heapGrowthCi: [g - 1500, g + 1500] })]));

test('median and MAD on literal values', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
  assert.equal(mad([1, 2, 3, 4, 100]), 1); // deviations 2,1,0,1,97 -> median 1: one wild value does not inflate it
  assert.equal(mad(GROWTH), 100); // median 500; deviations 300,300,100,100,0,200,200,0,50,50
});

test('a leak that starts tonight is a regression even though it is far below any budget', () => {
  const tonight = probe('cache', { heapGrowth: 30 * 1024, heapGrowthCi: [25 * 1024, 35 * 1024] });
  const c = compareMetric(tonight, 'heapGrowth', quiet)!;
  assert.equal(c.status, 'regression');
  assert.equal(c.median, 500);
  assert.equal(c.mad, 100);
  // noise = max(3 x 1.4826 x 100 = 444.78, floor 2048 B/s, 25% of 500) = 2048
  assert.equal(c.threshold, 500 + 2048);
  assert.equal(c.previousCiHigh, 2000); // median of the earlier upper bounds
  assert.equal(c.previous.length, 10);
  assert.deepEqual(c.previous.map((p) => p.value), GROWTH);
  assert.match(c.reason, /heap growth \+30\.0 KB\/s is above the usual range \(median \+500 B\/s of 10 runs, threshold \+2\.5 KB\/s\)/);
});

test('a value within the noise is not a regression', () => {
  const c = compareMetric(probe('cache', { heapGrowth: 2500, heapGrowthCi: [1000, 4000] }), 'heapGrowth', quiet)!;
  assert.equal(c.status, 'ok');
  assert.match(c.reason, /within the usual range/);
});

test('growth beyond the threshold whose 95% interval still overlaps the earlier ones is not a regression', () => {
  const c = compareMetric(probe('cache', { heapGrowth: 4000, heapGrowthCi: [1500, 9000] }), 'heapGrowth', quiet)!;
  assert.equal(c.threshold, 2548);
  assert.equal(c.status, 'ok');
  assert.match(c.reason, /overlaps the earlier runs'/);
});

test('noisy history: the threshold widens with 3 scaled MADs', () => {
  const noisy = [1000, 9000, 3000, 7000, 5000].map((g, i) => run(i + 1, [probe('cache', { heapGrowth: g, heapGrowthCi: null })]));
  const c = compareMetric(probe('cache', { heapGrowth: 13_800, heapGrowthCi: null }), 'heapGrowth', noisy)!;
  // median 5000, MAD 2000 -> 3 x 1.4826 x 2000 = 8895.6 > floors
  assert.ok(Math.abs(c.threshold! - (5000 + 3 * 1.4826 * 2000)) < 1e-6);
  assert.equal(c.status, 'ok');
  assert.equal(compareMetric(probe('cache', { heapGrowth: 14_000, heapGrowthCi: null }), 'heapGrowth', noisy)!.status, 'regression');
});

test('fewer than three earlier runs: no-history, never a regression', () => {
  const c = compareMetric(probe('cache', { heapGrowth: 1e9 }), 'heapGrowth', quiet.slice(0, 2))!;
  assert.equal(c.status, 'no-history');
  assert.equal(c.threshold, null);
  assert.match(c.reason, /2 earlier runs, 3 needed/);
});

test('lower is worse for iterations/s and GC recovery', () => {
  const runs = [1000, 1040, 980, 1010, 990].map((ips, i) => run(i + 1, [probe('cache', { iterationsPerSecond: ips, gcRecovery: 0.9 })]));
  const slower = compareMetric(probe('cache', { iterationsPerSecond: 600 }), 'iterationsPerSecond', runs)!;
  assert.equal(slower.worse, 'lower');
  assert.equal(slower.threshold, 1000 - 200); // 20% of the median beats 3 x 1.4826 x MAD(10)
  assert.equal(slower.status, 'regression');
  assert.equal(compareMetric(probe('cache', { iterationsPerSecond: 1500 }), 'iterationsPerSecond', runs)!.status, 'ok');
  const recovery = compareMetric(probe('cache', { gcRecovery: 0.5 }), 'gcRecovery', runs)!;
  assert.equal(recovery.threshold, 0.9 - 0.1);
  assert.equal(recovery.status, 'regression');
  assert.equal(compareMetric(probe('cache', { gcRecovery: 0.85 }), 'gcRecovery', runs)!.status, 'ok');
});

test('peak RSS: a 30% rise is a regression, 10% is not', () => {
  const mb = 1024 * 1024;
  const runs = [60, 61, 59, 60, 60].map((rss, i) => run(i + 1, [probe('cache', { peakRss: rss * mb })]));
  assert.equal(compareMetric(probe('cache', { peakRss: 78 * mb }), 'peakRss', runs)!.status, 'regression');
  assert.equal(compareMetric(probe('cache', { peakRss: 66 * mb }), 'peakRss', runs)!.status, 'ok');
});

test('only the last `window` runs count, and runs where the probe errored are skipped', () => {
  const old = [1, 2, 3, 4, 5].map((d) => run(d, [probe('cache', { heapGrowth: 50_000, heapGrowthCi: [45_000, 55_000] })]));
  const broken = run(6, [probe('cache', { verdict: 'error', heapGrowth: null, heapGrowthCi: null })]);
  const recent = [7, 8, 9].map((d) => run(d, [probe('cache', { heapGrowth: 500, heapGrowthCi: [-1000, 2000] })]));
  const tonight = probe('cache', { heapGrowth: 40_000, heapGrowthCi: [35_000, 45_000] });
  const narrow = compareMetric(tonight, 'heapGrowth', [...old, broken, ...recent], 3)!;
  assert.equal(narrow.median, 500);
  assert.equal(narrow.status, 'regression');
  assert.deepEqual(narrow.previous.map((p) => p.timestamp.slice(8, 10)), ['07', '08', '09']);
  const wide = compareMetric(tonight, 'heapGrowth', [...old, broken, ...recent], DEFAULT_HISTORY_WINDOW)!;
  assert.equal(wide.previous.length, 8);
  assert.equal(wide.median, 50_000);
  assert.equal(wide.status, 'ok');
});

test('compareWithHistory: every measured metric of every probe; errored probes and unmeasured metrics are left out', () => {
  const runs = quiet.map((r) => ({ ...r, probes: [...r.probes, probe('queue')] }));
  const current = run(20, [
    probe('cache', { heapGrowth: 30 * 1024, heapGrowthCi: [25 * 1024, 35 * 1024] }),
    probe('queue'),
    probe('broken', { verdict: 'error' }),
    probe('new-probe'),
  ]);
  const comparisons = compareWithHistory(current, runs);
  assert.equal(comparisons.filter((c) => c.probe === 'broken').length, 0);
  // perItem and gcRecovery are null: 4 metrics per probe
  assert.deepEqual(comparisons.filter((c) => c.probe === 'cache').map((c) => c.metric), ['heapGrowth', 'externalGrowth', 'iterationsPerSecond', 'peakRss']);
  assert.ok(comparisons.filter((c) => c.probe === 'new-probe').every((c) => c.status === 'no-history'));
  assert.deepEqual(regressionsOf(comparisons).map((r) => [r.probe, r.metric]), [['cache', 'heapGrowth']]);
});
