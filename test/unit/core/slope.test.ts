import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { binByMedian, binByTime, lowerEnvelope, theilSen } from '../../../src/core/slope.js';
import { gaussian, seeded } from '../../support/series.js';

const f64 = (values: number[]): Float64Array => Float64Array.from(values);

test('an exact line gives its slope with a zero-width interval', () => {
  const estimate = theilSen(f64([0, 1, 2, 3, 4]), f64([10, 12, 14, 16, 18]));
  assert.deepEqual(estimate, { slope: 2, ciLow: 2, ciHigh: 2, strictLow: 2, minSlope: 2, points: 5 });
});

test('one outlier does not move the Theil-Sen slope (least squares would)', () => {
  const xs = f64([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const ys = f64([0, 1, 2, 3, 4, 500, 6, 7, 8, 9]);
  const estimate = theilSen(xs, ys);
  assert.equal(estimate?.slope, 1);
});

test('pairs with equal x are skipped; no distinct x gives null', () => {
  assert.equal(theilSen(f64([3, 3, 3]), f64([1, 2, 3])), null);
  assert.equal(theilSen(f64([1, 1, 2]), f64([0, 5, 2]))?.slope, (2 + -3) / 2);
});

test('the interval brackets the slope and widens with noise', () => {
  const xs = f64(Array.from({ length: 40 }, (_, i) => i));
  const clean = theilSen(xs, f64(Array.from(xs, (x) => 3 * x)))!;
  const noise = gaussian(seeded(7));
  const noisy = theilSen(xs, f64(Array.from(xs, (x) => 3 * x + 5 * noise())))!;
  assert.ok(noisy.ciLow <= noisy.slope && noisy.slope <= noisy.ciHigh);
  assert.ok(noisy.ciHigh - noisy.ciLow > clean.ciHigh - clean.ciLow);
});

test('binning keeps the slope of a line and bounds the point count', () => {
  const xs = f64(Array.from({ length: 2000 }, (_, i) => i));
  const ys = f64(Array.from(xs, (x) => 7 * x + 100));
  const binned = binByMedian(xs, ys, 100);
  assert.equal(binned.xs.length, 100);
  const estimate = theilSen(xs, ys)!;
  assert.ok(Math.abs(estimate.slope - 7) < 1e-9);
  assert.ok(estimate.points <= 500);
});

test('property: slope of any line a*x+b is a (within rounding)', () => {
  fc.assert(
    fc.property(
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      fc.double({ min: -1e9, max: 1e9, noNaN: true }),
      fc.integer({ min: 2, max: 60 }),
      (a, b, n) => {
        const xs = f64(Array.from({ length: n }, (_, i) => i * 0.25));
        const estimate = theilSen(xs, f64(Array.from(xs, (x) => a * x + b)))!;
        return Math.abs(estimate.slope - a) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));
      },
    ),
  );
});

test('the lower envelope keeps the lowest point of each stretch of time', () => {
  const xs = f64([0, 1, 2, 3, 4, 5]);
  const ys = f64([5, 1, 7, 2, 9, 3]);
  assert.deepEqual(lowerEnvelope(xs, ys, 3), { xs: f64([1, 3, 5]), ys: f64([1, 2, 3]) });
});

test('binning by time weighs each stretch of time once, however densely sampled', () => {
  const xs = f64([0, 0.1, 0.2, 0.3, 0.4, 10]);
  const ys = f64([0, 0, 0, 0, 0, 100]);
  const binned = binByTime(xs, ys, 2);
  assert.deepEqual(binned, { xs: f64([0.2, 10]), ys: f64([0, 100]) });
});
