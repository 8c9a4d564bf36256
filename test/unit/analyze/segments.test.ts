import assert from 'node:assert/strict';
import { test } from 'node:test';
import { noiseVariance, segmentSeries } from '../../../src/analyze/segments.js';
import { gaussian, seeded } from '../../support/series.js';

const OPTIONS = { minPoints: 5, minLastPoints: 20, penaltyFactor: 3 };

function curve(f: (x: number) => number, n: number, noise: number, seed = 1): { xs: Float64Array; ys: Float64Array } {
  const g = gaussian(seeded(seed));
  const xs = Float64Array.from({ length: n }, (_, i) => i);
  return { xs, ys: Float64Array.from(xs, (x) => f(x) + noise * g()) };
}

test('a straight noisy line is one segment with its slope', () => {
  const { xs, ys } = curve((x) => 1000 + 50 * x, 120, 200);
  const segments = segmentSeries(xs, ys, OPTIONS);
  assert.equal(segments.length, 1);
  assert.ok(Math.abs(segments[0]!.slope - 50) < 5, `slope ${segments[0]!.slope}`);
});

test('a fill that stops (a cache at its bound) ends in a flat last segment starting where it stopped', () => {
  const { xs, ys } = curve((x) => (x < 30 ? 100_000 * x : 3_000_000), 120, 2000);
  const last = segmentSeries(xs, ys, OPTIONS).at(-1)!;
  assert.ok(Math.abs(last.from - 30) <= 1, `last segment from ${last.from}`);
  assert.ok(Math.abs(last.slope) < 100, `slope ${last.slope}`);
});

test('a one-off step is a changepoint, not growth', () => {
  const { xs, ys } = curve((x) => (x < 60 ? 5_000_000 : 7_000_000), 150, 5000);
  const segments = segmentSeries(xs, ys, OPTIONS);
  assert.equal(segments.length, 2);
  assert.equal(segments[1]!.from, 60);
  assert.ok(Math.abs(segments[1]!.slope) < 200);
});

test('warm-up that slows into a steady leak: the last segment carries the leak rate', () => {
  // 300 KB of warm-up decaying over ~15 s, then 1 KB per step.
  const { xs, ys } = curve((x) => 300_000 * (1 - Math.exp(-x / 5)) + 1024 * x, 150, 3000);
  const last = segmentSeries(xs, ys, OPTIONS).at(-1)!;
  assert.ok(last.from >= 10 && last.from <= 60, `steady from ${last.from}`);
  assert.ok(Math.abs(last.slope - 1024) < 150, `slope ${last.slope}`);
});

test('the last segment is at least minLastPoints long', () => {
  const { xs, ys } = curve((x) => (x < 110 ? 0 : 1_000_000), 120, 100);
  const last = segmentSeries(xs, ys, OPTIONS).at(-1)!;
  assert.ok(last.to - last.from + 1 >= 20);
});

test('noise variance ignores trend and steps', () => {
  const { ys } = curve((x) => 1000 * x + (x > 50 ? 1e6 : 0), 200, 100);
  const sigma = Math.sqrt(noiseVariance(ys));
  assert.ok(sigma > 70 && sigma < 140, `sigma ${sigma}`);
});
