import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkCountPerIteration, checkIterationGrowth, iterationGrowth } from '../../../src/analyze/per-iteration.js';
import { gaussian, seeded } from '../../support/series.js';

const KB = 1024;
const BATCHES = 16;
const PER_BATCH = 125;

/** Cumulative iteration counts 0, 125, ... and post-GC values from `value(iterations)` plus seeded noise. */
function batches(
  value: (iterations: number) => number,
  noiseBytes: number,
  seed: number,
): { xs: Float64Array; ys: Float64Array } {
  const noise = gaussian(seeded(seed));
  const xs = Float64Array.from({ length: BATCHES + 1 }, (_, i) => i * PER_BATCH);
  return { xs, ys: Float64Array.from(xs, (x) => 20e6 + value(x) + noise() * noiseBytes) };
}

const verdict = (value: (iterations: number) => number, noise: number, seed: number, limit = 64) => {
  const { xs, ys } = batches(value, noise, seed);
  return checkIterationGrowth(iterationGrowth(xs, ys), limit, 32 * KB, 'JS heap');
};

test('a 256 B/iteration leak under 8 KB of noise fails at 64 B/iteration, and its figure is within 10%', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    const { xs, ys } = batches((i) => 256 * i, 8 * KB, seed);
    const growth = iterationGrowth(xs, ys)!;
    assert.ok(Math.abs(growth.perIteration - 256) < 26, `seed ${seed}: ${growth.perIteration}`);
    assert.ok(growth.ciLow <= 256 && growth.ciHigh >= 256 * 0.9, `seed ${seed}: [${growth.ciLow}, ${growth.ciHigh}]`);
    assert.equal(checkIterationGrowth(growth, 64, 32 * KB, 'JS heap').status, 'fail', `seed ${seed}`);
  }
});

test('flat memory with 8 KB of noise passes at 64 B/iteration', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8])
    assert.equal(verdict(() => 0, 8 * KB, seed).status, 'pass', `seed ${seed}`);
});

test('a cache that fills over the first quarter and then stays full passes (the last half and the floor are flat)', () => {
  for (const seed of [1, 2, 3])
    assert.equal(verdict((i) => Math.min(i, 500) * 150, 2 * KB, seed).status, 'pass', `seed ${seed}`);
});

test('a one-time 256 KB step early in the run passes', () => {
  for (const seed of [1, 2, 3])
    assert.equal(verdict((i) => (i >= 200 ? 256 * KB : 0), 2 * KB, seed).status, 'pass', `seed ${seed}`);
});

test('growth over the budget that adds up to less than the absolute floor is inconclusive, never a fail or a pass', () => {
  // 10 B/iteration over 2000 iterations is 20 KB, below the 32 KB floor, at a 4 B/iteration budget.
  const small = verdict((i) => 10 * i, 100, 1, 4);
  assert.equal(small.status, 'inconclusive');
  assert.match(small.reason, /but only \d+\.\d KB over the run \(a leak must add 32\.0 KB\): run more iterations$/);
  assert.equal(verdict((i) => 40 * i, 100, 1, 4).status, 'fail');
  assert.equal(verdict((i) => 1 * i, 100, 1, 20).status, 'pass');
});

test('a flat run too short for a leak the size of the budget to reach the floor is inconclusive, not a pass', () => {
  // 2000 iterations at 4 B/iteration add up to 8 KB, under the 32 KB floor: this run could not have failed.
  const short = verdict(() => 0, 100, 1, 4);
  assert.equal(short.status, 'inconclusive');
  assert.match(short.reason, /run at least 8192 iterations$/);
});

test('the message gives the figure, its interval and the budget', () => {
  const result = verdict((i) => 1024 * i, 1 * KB, 3);
  assert.match(
    result.reason,
    /^JS heap grows (1024 B|1\.0 KB)\/iteration \[\d+(\.\d)? K?B\/iteration, \d+(\.\d)? K?B\/iteration\], budget <= 64 B\/iteration$/,
  );
});

test('fewer than 8 batches is inconclusive, never a pass', () => {
  const xs = Float64Array.of(0, 100, 200, 300, 400);
  const growth = iterationGrowth(xs, Float64Array.of(1, 1, 1, 1, 1));
  assert.equal(checkIterationGrowth(growth, 64, 0, 'JS heap').status, 'inconclusive');
});

test('a handle count that grows with the iterations fails; a pool that opens a few and stays flat passes', () => {
  const xs = Float64Array.from({ length: 17 }, (_, i) => i * 100);
  const growing = checkCountPerIteration(
    iterationGrowth(
      xs,
      Float64Array.from(xs, (x) => 3 + x / 10),
    ),
    'active Timeout handles',
  );
  assert.equal(growing.status, 'fail');
  assert.match(growing.reason, /^active Timeout handles \+0\.1\/iteration \(\+130 over the run\)$/);
  const pool = Float64Array.from(xs, (_, i) => (i < 2 ? 3 : 5));
  assert.equal(checkCountPerIteration(iterationGrowth(xs, pool), 'active TCPSocketWrap handles').status, 'pass');
});
