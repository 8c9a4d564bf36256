import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_HANDLE_TYPES } from '../../../src/constants.js';
import { decodeSamples, SampleStore } from '../../../src/runner/sample-store.js';
import type { Sample } from '../../../src/types.js';

const sample = (phase: Sample['phase'], timeMs: number, items: number | null, handlesByType: Record<string, number> = {}): Sample => ({
  phase,
  timeMs,
  iterations: timeMs * 2,
  heapBeforeGc: 2000 + timeMs,
  heapUsed: 1000 + timeMs,
  external: 500,
  rss: 9000,
  items,
  gcMs: 1.5,
  handles: Object.values(handlesByType).reduce((a, b) => a + b, 0),
  handlesByType,
  fds: timeMs === 0 ? null : 12,
  cpuMs: timeMs / 2,
  eventLoopP99Ms: timeMs === 0 ? null : 10.5,
});

const typesOf = (byType: Record<string, number>): string[] => Object.entries(byType).flatMap(([type, n]) => Array<string>(n).fill(type));

test('samples survive encode and decode, including missing values and handle types', () => {
  const store = new SampleStore(4);
  const samples = [sample('baseline', 0, null), sample('soak', 250, 7, { Timeout: 2, TCPSocketWrap: 1 }), sample('final', 500, 0, { Timeout: 1 })];
  for (const s of samples) store.push(s, typesOf(s.handlesByType));
  assert.deepEqual(decodeSamples(store.encode()), samples);
});

test('a full store keeps the newest sample in its last row', () => {
  const store = new SampleStore(2);
  for (const s of [sample('baseline', 0, null), sample('soak', 250, null), sample('final', 500, null)]) store.push(s, []);
  assert.deepEqual(decodeSamples(store.encode()).map((s) => s.phase), ['baseline', 'final']);
});

test('handle types beyond the tracked columns are counted as "other"', () => {
  const store = new SampleStore(1);
  const types = Array.from({ length: MAX_HANDLE_TYPES + 3 }, (_, i) => `Type${i}`);
  store.push(sample('soak', 1, null), types);
  const [decoded] = decodeSamples(store.encode());
  assert.equal(decoded?.handlesByType.other, 3);
  assert.equal(Object.keys(decoded!.handlesByType).length, MAX_HANDLE_TYPES + 1);
});
