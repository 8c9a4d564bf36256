import assert from 'node:assert/strict';
import { test } from 'node:test';
import { heldBytes, weighEvidence } from '../../../src/analyze/leak-evidence.js';
import { LEAK_ALPHA } from '../../../src/constants.js';
import type { Sample } from '../../../src/types.js';
import { series } from '../../support/series.js';

const soakOf = (heap: (t: number) => number, seconds: number, noise = 20_000, seed = 1): Sample[] =>
  series({ count: seconds * 4, heap, noise, seed });

test('a steady 2 KB/s leak after a warm-up is a leak, its rate from the steady state only', () => {
  const samples = soakOf((t) => 20e6 + 400_000 * (1 - Math.exp(-t / 6)) + 2048 * t, 90);
  const e = weighEvidence(samples, { index: 1, of: 1 }, 4 * 1024 ** 3);
  assert.equal(e.status, 'leak');
  assert.ok(e.steady && e.steady.fromMs >= 5_000, `steady from ${e.steady?.fromMs}`);
  assert.ok(Math.abs(e.steady.bytesPerSecond - 2048) < 400, `rate ${e.steady.bytesPerSecond}`);
  assert.ok(e.steady.daysToHeapLimit !== null && e.steady.daysToHeapLimit > 20);
});

test('a flat series after a warm-up is no leak', () => {
  const samples = soakOf((t) => 20e6 + 400_000 * (1 - Math.exp(-t / 6)), 90);
  assert.equal(weighEvidence(samples, { index: 1, of: 1 }, null).status, 'no-leak');
});

test('a cache filling to its bound for 15 s, then flat: no leak, and the fill is reported as levelled off', () => {
  const samples = soakOf((t) => 20e6 + 200_000 * Math.min(t, 15), 90);
  const e = weighEvidence(samples, { index: 1, of: 1 }, null);
  assert.equal(e.status, 'no-leak');
  assert.ok(e.levelled && e.levelled.bytes > 2_500_000, `levelled ${JSON.stringify(e.levelled)}`);
  assert.ok(Math.abs(e.levelled.untilMs - 15_000) < 2_500, `until ${e.levelled.untilMs}`);
});

test('a one-off 2 MB table at 40 s is no leak', () => {
  const samples = soakOf((t) => 20e6 + (t > 40 ? 2e6 : 0), 100);
  assert.equal(weighEvidence(samples, { index: 1, of: 1 }, null).status, 'no-leak');
});

test('code growth is not counted as held memory, and is reported apart', () => {
  const samples = soakOf((t) => 20e6 + 3000 * t, 60).map((s) => ({ ...s, codeBytes: 1e6 + 3000 * (s.timeMs / 1000) }));
  assert.equal(heldBytes(samples[10]!), samples[10]!.heapUsed - samples[10]!.codeBytes! + samples[10]!.external);
  const e = weighEvidence(samples, { index: 1, of: 1 }, null);
  assert.notEqual(e.status, 'leak');
  assert.ok(e.codeGrowthBytes !== null && Math.abs(e.codeGrowthBytes - 3000 * 60) < 2000);
});

test('each look spends its share of alpha: more looks, wider bounds', () => {
  const samples = soakOf((t) => 20e6 + 300 * t, 60, 20_000, 3);
  const one = weighEvidence(samples, { index: 1, of: 1 }, null);
  const many = weighEvidence(samples, { index: 1, of: 16 }, null);
  assert.equal(many.confidence, 1 - LEAK_ALPHA / 16);
  assert.ok(many.steady!.low < one.steady!.low && many.steady!.high > one.steady!.high);
});

test('thin evidence is undecided, never a leak', () => {
  const samples = soakOf((t) => 20e6 + 500 * t, 4, 50_000);
  assert.equal(weighEvidence(samples.slice(0, 4), { index: 1, of: 1 }, null).status, 'undecided');
});

test('false calls over many seeds of a clean noisy series stay rare under 16 looks', () => {
  let leaks = 0;
  for (let seed = 1; seed <= 40; seed++) {
    const samples = soakOf((t) => 20e6 + 300_000 * (1 - Math.exp(-t / 5)), 180, 30_000, seed);
    for (let look = 1; look <= 16; look++) {
      const until = (20 + look * 10) * 1000;
      const e = weighEvidence(
        samples.filter((s) => s.timeMs <= until),
        { index: look, of: 16 },
        null,
      );
      if (e.status === 'leak') {
        leaks++;
        break;
      }
      if (e.status === 'no-leak') break;
    }
  }
  assert.ok(leaks <= 1, `${leaks} of 40 clean runs called a leak`);
});
