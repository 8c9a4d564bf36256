import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { dueCount, intendedTime, scheduledCount, seededRandom, stepDuration, WeightedPicker } from '../../../src/load/schedule.js';

test('intended times are evenly spaced from the start: a stall cannot shift later ones', () => {
  assert.equal(intendedTime(100, 0, 1000), 100);
  assert.equal(intendedTime(100, 1500, 1000), 1600);
  assert.equal(intendedTime(0, 3, 4), 750);
});

test('dueCount counts the sends whose intended time has come, capped at the total', () => {
  assert.equal(dueCount(1000, 999, 1000, 10), 0);
  assert.equal(dueCount(1000, 1000, 1000, 10), 1);
  assert.equal(dueCount(1000, 1000.999, 1000, 10), 1);
  assert.equal(dueCount(1000, 1001, 1000, 10), 2);
  assert.equal(dueCount(1000, 1_000_000, 1000, 10), 10);
  // A 100 ms stall at 1000/s: 100 sends are due at once when the loop wakes up; none is skipped.
  assert.equal(dueCount(0, 100, 1000, 10_000) - dueCount(0, 0, 1000, 10_000), 100);
});

test('property: send k is due exactly from its intended time on', () => {
  fc.assert(
    fc.property(fc.double({ min: 0.5, max: 200_000, noNaN: true }), fc.integer({ min: 0, max: 100_000 }), fc.double({ min: 0, max: 1e6, noNaN: true }), (rate, k, start) => {
      const t = intendedTime(start, k, rate);
      assert.ok(dueCount(start, t, rate, Number.MAX_SAFE_INTEGER) >= k + 1);
      assert.ok(dueCount(start, t - 1000 / rate / 2, rate, Number.MAX_SAFE_INTEGER) <= k);
    }),
  );
});

test('scheduled counts and step durations', () => {
  assert.equal(scheduledCount(1000, 10_000), 10_000);
  assert.equal(scheduledCount(3, 500), 2);
  assert.equal(stepDuration(10_000, 4), 2500);
});

test('the seeded generator repeats with its seed and is uniform enough', () => {
  const a = seededRandom(42);
  const b = seededRandom(42);
  const xs = Array.from({ length: 10_000 }, () => a());
  assert.deepEqual(xs.slice(0, 5), Array.from({ length: 5 }, () => b()));
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(Math.abs(mean - 0.5) < 0.02, String(mean));
});

test('the weighted picker follows the weights', () => {
  const picker = new WeightedPicker([3, 4, 2, 1]);
  const random = seededRandom(7);
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < 100_000; i++) counts[picker.pick(random())]!++;
  [0.3, 0.4, 0.2, 0.1].forEach((share, i) => assert.ok(Math.abs(counts[i]! / 100_000 - share) < 0.01, `${i}: ${counts[i]}`));
  assert.equal(picker.pick(0), 0);
  assert.equal(picker.pick(0.9999999), 3);
  assert.throws(() => new WeightedPicker([1, 0]));
  assert.throws(() => new WeightedPicker([]));
});
