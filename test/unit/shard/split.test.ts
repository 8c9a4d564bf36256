import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { imbalance, loadShare, parseShard, planShards, type ShardRun } from '../../../src/shard/split.js';

const probe = (index: number, expectedMs: number, key = `probes/p${String(index).padStart(2, '0')}.mjs`): ShardRun => ({ kind: 'probe', index, key, expectedMs });
const keysOf = (runs: readonly ShardRun[]): string[] => runs.map((r) => r.key);

test('parseShard: i/n with 1 <= i <= n; everything else is refused with the reason', () => {
  assert.deepEqual(parseShard('2/3'), { ok: true, shard: { index: 2, count: 3 } });
  assert.deepEqual(parseShard('1/1'), { ok: true, shard: { index: 1, count: 1 } });
  for (const bad of ['0/3', '4/3', 'x', '1/0', '1.5/3', '', '2', '-1/3', '1/3/4', '1/999']) {
    const parsed = parseShard(bad);
    assert.equal(parsed.ok, false, bad);
    if (!parsed.ok) assert.match(parsed.problem, /^--shard: /);
  }
  const zero = parseShard('0/3');
  assert.ok(!zero.ok && zero.problem.includes('1..3'));
});

test('planShards: 12 equal probes into 3 and 4 shares: round-robin by key, each share in check order', () => {
  const runs = Array.from({ length: 12 }, (_, i) => probe(i, 5000));
  const three = planShards(runs, 3);
  assert.deepEqual(three.shares.map((s) => s.map((r) => r.index)), [[0, 3, 6, 9], [1, 4, 7, 10], [2, 5, 8, 11]]);
  assert.deepEqual(three.expectedMs, [20_000, 20_000, 20_000]);
  assert.equal(imbalance(three), 1);
  const four = planShards(runs, 4);
  assert.deepEqual(four.shares.map((s) => s.length), [3, 3, 3, 3]);
  assert.equal(imbalance(four), 1);
});

test('planShards: longest first to the least loaded shard; equal times broken by key, not by input order', () => {
  const runs = [probe(0, 5000), probe(1, 5000), { kind: 'load', index: 2, key: 'load[0]', expectedMs: 12_000 } as const, { kind: 'program', index: 3, key: 'node a.js', expectedMs: 5000 } as const];
  const plan = planShards(runs, 2);
  // 12 s load alone; the three 5 s soaks on the other runner (15 s): the best split there is.
  assert.deepEqual(plan.shares.map(keysOf), [['load[0]'], ['probes/p00.mjs', 'probes/p01.mjs', 'node a.js']]);
  assert.deepEqual(plan.expectedMs, [12_000, 15_000]);
  assert.deepEqual(planShards([...runs].reverse(), 2).shares.map(keysOf), plan.shares.map(keysOf));
});

test('planShards: more shards than runs leaves the last shares empty', () => {
  const plan = planShards([probe(0, 1000), probe(1, 1000)], 3);
  assert.deepEqual(plan.shares.map((s) => s.length), [1, 1, 0]);
});

test('planShards (property): every run exactly once, same plan for any input order, longest share within the list-scheduling bound', () => {
  const runsArb = fc.array(fc.integer({ min: 1, max: 600_000 }), { minLength: 0, maxLength: 40 }).map((times) => times.map((ms, i) => probe(i, ms)));
  fc.assert(
    fc.property(runsArb, fc.integer({ min: 1, max: 8 }), fc.integer(), (runs, count, seed) => {
      const plan = planShards(runs, count);
      const all = plan.shares.flat().map((r) => r.index).sort((a, b) => a - b);
      assert.deepEqual(all, runs.map((r) => r.index));
      for (const share of plan.shares) assert.deepEqual(share.map((r) => r.index), [...share.map((r) => r.index)].sort((a, b) => a - b));
      const shuffled = [...runs].sort((a, b) => ((a.index * 7919 + seed) % 97) - ((b.index * 7919 + seed) % 97));
      assert.deepEqual(planShards(shuffled, count).shares.map(keysOf), plan.shares.map(keysOf));
      const total = runs.reduce((s, r) => s + r.expectedMs, 0);
      const longest = Math.max(0, ...runs.map((r) => r.expectedMs));
      assert.ok(Math.max(...plan.expectedMs) <= total / count + longest * (1 - 1 / count) + 1e-6);
    }),
  );
});

test('loadShare: open model divides the rate, closed model deals the users out exactly; fan-out and embedded refused', () => {
  const open = { mode: 'open', embedded: false, rate: 1000, users: [] } as const;
  assert.deepEqual(loadShare(open, { index: 2, count: 4 }), { ok: true, rate: 250, users: [] });
  const closed = { mode: 'closed', embedded: false, rate: 0, users: [4, 10, 21] } as const;
  const shares = [1, 2, 3].map((index) => loadShare(closed, { index, count: 3 }));
  assert.deepEqual(shares.map((s) => (s.ok ? s.users : null)), [[2, 4, 7], [1, 3, 7], [1, 3, 7]]);
  assert.equal(loadShare({ ...closed, users: [1, 10] }, { index: 1, count: 2 }).ok, false);
  assert.equal(loadShare({ mode: 'ws', embedded: false, rate: 5, users: [] }, { index: 1, count: 2 }).ok, false);
  assert.equal(loadShare({ ...open, embedded: true }, { index: 1, count: 2 }).ok, false);
});
