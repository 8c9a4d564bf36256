import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeSamples, SampleStore } from '../../../src/runner/sample-store.js';
import type { Sample } from '../../../src/types.js';

const sample = (phase: Sample['phase'], timeMs: number, items: number | null): Sample => ({
  phase,
  timeMs,
  iterations: timeMs * 2,
  heapBeforeGc: 2000 + timeMs,
  heapUsed: 1000 + timeMs,
  external: 500,
  rss: 9000,
  items,
  gcMs: 1.5,
});

test('samples survive encode and decode, including a missing item count', () => {
  const store = new SampleStore(4);
  const samples = [sample('baseline', 0, null), sample('soak', 250, 7), sample('final', 500, 0)];
  for (const s of samples) store.push(s);
  assert.deepEqual(decodeSamples(store.encode()), samples);
});

test('a full store keeps the newest sample in its last row', () => {
  const store = new SampleStore(2);
  store.push(sample('baseline', 0, null));
  store.push(sample('soak', 250, null));
  store.push(sample('final', 500, null));
  const decoded = decodeSamples(store.encode());
  assert.deepEqual(decoded.map((s) => s.phase), ['baseline', 'final']);
});
