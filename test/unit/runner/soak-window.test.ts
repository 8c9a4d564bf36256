import assert from 'node:assert/strict';
import { test } from 'node:test';
import { soakWindow, type Evidence, type WindowSteps } from '../../../src/runner/soak-window.js';
import type { Sample } from '../../../src/types.js';
import { series } from '../../support/series.js';

const FILES = { baseline: 'a.heapsnapshot', target: 'b.heapsnapshot', final: 'c.heapsnapshot' };
const CONFIRM = { files: FILES, windowMs: 10_000, heapMaxBytes: 256 * 1024 * 1024 };
const LOOKS = { firstMs: 30_000, everyMs: 10_000 };

/** A window over a synthetic series on a clock of its own: each sample moves the clock on by 250 ms. */
function window(heap: (seconds: number) => number, stopAfterMs = Number.POSITIVE_INFINITY) {
  const all = series({ count: 1200, heap, noise: 2000, seed: 7 });
  let now = 0;
  const taken: Sample[] = [all[0]!];
  const snapshots: Array<{ file: string; atMs: number }> = [];
  const steps: WindowSteps = {
    sampleUntil: async (untilMs, stop) => {
      while (now < untilMs && now < stopAfterMs) {
        now += 250;
        taken.push(all[taken.length]!);
        if (stop?.()) break;
      }
    },
    snapshot: (file) => void snapshots.push({ file, atMs: now }),
    elapsedMs: () => now,
    over: () => now >= stopAfterMs,
    samples: () => taken,
  };
  return { steps, snapshots };
}

const flat = (): number => 20_000_000;
const leaking = (t: number): number => 20_000_000 + 5000 * t;

test('a fixed-length window weighs once at its end; proven growth takes three snapshots 10 s apart', async () => {
  const evidence: Evidence = { schedule: null, confirm: CONFIRM };
  const leak = window(leaking);
  const stop = await soakWindow(leak.steps, 60_000, evidence);
  assert.deepEqual(
    { reason: stop.reason, atMs: stop.atMs, looks: stop.looks, of: stop.of },
    {
      reason: 'duration',
      atMs: 60_000,
      looks: 1,
      of: 1,
    },
  );
  assert.deepEqual(leak.snapshots, [
    { file: FILES.baseline, atMs: 60_000 },
    { file: FILES.target, atMs: 70_000 },
    { file: FILES.final, atMs: 80_000 },
  ]);
  assert.deepEqual(stop.confirmed, { fromMs: 60_000, toMs: 80_000 });

  const clean = window(flat);
  const calm = await soakWindow(clean.steps, 60_000, evidence);
  assert.equal(calm.confirmed, null);
  assert.deepEqual(clean.snapshots, [], 'a fixed-length run keeps its length when its samples prove nothing');
});

test('with looks, the window ends at the first look that decides; an open question goes to the snapshots', async () => {
  const clean = window(flat);
  const calm = await soakWindow(clean.steps, 180_000, { schedule: LOOKS, confirm: CONFIRM });
  assert.equal(calm.reason, 'decided');
  assert.equal(calm.of, 16);
  assert.ok(calm.atMs < 180_000, `stopped at ${calm.atMs} ms`);
  assert.deepEqual(clean.snapshots, [], 'ruled out from the samples: no snapshots');

  const leak = window(leaking);
  const found = await soakWindow(leak.steps, 180_000, { schedule: LOOKS, confirm: CONFIRM });
  assert.equal(found.reason, 'decided');
  assert.equal(found.looks, 1);
  assert.equal(leak.snapshots.length, 3);
  assert.equal(found.confirmed?.toMs, found.atMs + 20_000);
});

test('without snapshots to take, an undecided question runs to the maximum; an interrupted window takes none', async () => {
  const noisy = window((t) => 20_000_000 + 250 * Math.sin(t / 7) * t);
  const end = await soakWindow(noisy.steps, 50_000, { schedule: LOOKS, confirm: null });
  assert.ok(end.reason === 'max-duration' || end.reason === 'decided');
  assert.ok(end.looks <= end.of);

  const stopped = window(leaking, 40_000);
  const cut = await soakWindow(stopped.steps, 60_000, { schedule: null, confirm: CONFIRM });
  assert.equal(cut.reason, 'stopped');
  assert.equal(cut.looks, 0);
  assert.deepEqual(stopped.snapshots, []);
});

test('no naming snapshots of a heap that would pass 256 MB by the last of them: the window says so', async () => {
  const big = window((t) => 250 * 1024 * 1024 + 200_000 * t);
  const stop = await soakWindow(big.steps, 60_000, { schedule: null, confirm: CONFIRM });
  assert.equal(stop.confirmed, null);
  assert.ok(stop.heapTooBig! > 256 * 1024 * 1024, String(stop.heapTooBig));
  assert.deepEqual(big.snapshots, []);

  // With looks, the question stays with the samples: a leak this clear is decided from them at the first look.
  const looked = window((t) => 250 * 1024 * 1024 + 200_000 * t);
  const decided = await soakWindow(looked.steps, 180_000, { schedule: LOOKS, confirm: CONFIRM });
  assert.deepEqual([decided.reason, decided.looks, decided.confirmed], ['decided', 1, null]);
  assert.ok(decided.heapTooBig! > 256 * 1024 * 1024);
  assert.deepEqual(looked.snapshots, []);
});
