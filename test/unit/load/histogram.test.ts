import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { EMPTY_SUMMARY, LatencyHistogram } from '../../../src/load/histogram.js';

/** The exact nearest-rank percentile of a sorted list. */
function exact(sorted: number[], percent: number): number {
  return sorted[Math.max(0, Math.ceil((percent / 100) * sorted.length) - 1)]!;
}

test('percentiles are within 0.1% of the exact values (3 significant digits), at any scale', () => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: 0.001, max: 60_000, noNaN: true }), { minLength: 1, maxLength: 400 }), (values) => {
      const h = new LatencyHistogram();
      for (const v of values) h.recordMs(v);
      const sorted = values.map((v) => Math.round(v * 1000) / 1000).sort((a, b) => a - b);
      const s = h.summary();
      assert.equal(s.count, values.length);
      for (const [p, got] of [[50, s.p50], [95, s.p95], [99, s.p99]] as const) {
        const want = exact(sorted, p);
        assert.ok(Math.abs(got - want) <= want * 0.001 + 0.001, `p${p}: ${got} vs ${want}`);
      }
      assert.ok(Math.abs(s.max - sorted.at(-1)!) <= sorted.at(-1)! * 0.001 + 0.001);
    }),
  );
});

test('a 100 ms stall once a second at 1000 req/s: p99 is ~90 ms, not hidden by the fast majority', () => {
  const h = new LatencyHistogram();
  for (let second = 0; second < 10; second++) {
    for (let ms = 0; ms < 1000; ms++) h.recordMs(ms < 100 ? 100 - ms + 0.3 : 0.3); // waits until the block ends
  }
  const s = h.summary();
  assert.ok(s.p99 > 89 && s.p99 < 92, String(s.p99));
  assert.equal(s.p50, 0.3);
  assert.ok(s.max >= 100);
});

test('merging equals recording everything in one histogram; encode/decode keeps every count', () => {
  const a = new LatencyHistogram();
  const b = new LatencyHistogram();
  const all = new LatencyHistogram();
  for (let i = 1; i <= 5000; i++) {
    const v = (i * 7.31) % 250;
    (i % 3 === 0 ? a : b).recordMs(v);
    all.recordMs(v);
  }
  const merged = LatencyHistogram.sum([LatencyHistogram.decode(a.encode()), LatencyHistogram.decode(b.encode())]).summary();
  const direct = all.summary();
  // The decoded max is its bucket's upper edge (within 0.1%); everything else is identical.
  assert.ok(Math.abs(merged.max - direct.max) <= direct.max * 0.001);
  assert.deepEqual({ ...merged, max: 0 }, { ...direct, max: 0 });
});

test('empty histograms summarize to zeros; tiny and negative values count as 1 µs; huge ones resize', () => {
  assert.deepEqual(new LatencyHistogram().summary(), EMPTY_SUMMARY);
  const h = new LatencyHistogram();
  h.recordMs(0);
  h.recordMs(-5);
  h.recordMs(0.0004);
  assert.equal(h.summary().max, 0.001);
  h.recordMs(3_600_000); // one hour, beyond the initial 60 s range
  assert.ok(Math.abs(h.summary().max - 3_600_000) < 3_600);
});

test('buckets: every recorded latency counted once, in 1-2-5 ms buckets from the fastest to the slowest', () => {
  const h = new LatencyHistogram();
  // 5 ms and 50 ms sit on bounds: they belong to the bucket they end, not the next one.
  for (const ms of [0.05, 0.3, 0.4, 1.5, 1.9, 5, 7, 7, 7, 50, 180]) h.recordMs(ms);
  const buckets = h.buckets();
  assert.deepEqual(buckets.map((b) => b.upToMs), [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200]);
  assert.deepEqual(buckets.map((b) => b.count), [1, 0, 2, 0, 2, 1, 3, 0, 1, 0, 1]);
  assert.deepEqual(new LatencyHistogram().buckets(), []);
});
