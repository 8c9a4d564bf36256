import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeServerMemory } from '../../../src/load/server-memory.js';
import type { Sample } from '../../../src/types.js';

const sample = (phase: Sample['phase'], timeMs: number, heapUsed: number, gcMs = 5): Sample => ({
  phase,
  timeMs,
  iterations: 0,
  heapBeforeGc: heapUsed,
  heapUsed,
  external: 1_000_000,
  rss: 0,
  items: null,
  gcMs,
  handles: 0,
  handlesByType: {},
  fds: null,
  cpuMs: 0,
  eventLoopP99Ms: null,
});

test('memory per connection is the loaded median over the idle baseline, per step and overall', () => {
  const MB = 1_000_000;
  // Baseline at epoch 10_000; 1000 clients from 11_000 to 15_000 hold 8 MB (8 KB each), growing 100 KB/s.
  const samples = [sample('baseline', 0, 5 * MB), sample('soak', 500, 5 * MB), ...[1500, 2500, 3500, 4500].map((t) => sample('soak', t, 13 * MB + (t - 1500) * 100))];
  const { server, steps } = analyzeServerMemory({
    samples,
    baselineAt: 10_000,
    load: { from: 11_000, to: 15_000, connections: 1000 },
    steps: [{ from: 11_000, to: 15_000, connections: 1000 }, { from: 20_000, to: 21_000, connections: 5 }],
    pid: 123,
  });
  assert.equal(server?.baselineBytes, 6 * MB);
  assert.equal(server?.underLoadBytes, 14 * MB + 150_000);
  assert.equal(server?.perConnectionBytes, 8150);
  assert.equal(server?.growthBytesPerSecond, 100_000);
  assert.equal(server?.netChangeBytes, 300_000);
  assert.equal(server?.gcPauseMs, 20);
  assert.equal(server?.samples.length, 5);
  assert.equal(steps[0]?.perConnectionBytes, 8150);
  assert.equal(steps[1], null); // no sample fell in that window
});

test('no baseline sample: nothing to report; few samples: no slope', () => {
  assert.equal(analyzeServerMemory({ samples: [], baselineAt: 0, load: { from: 0, to: 1, connections: 1 }, steps: [], pid: null }).server, null);
  const { server } = analyzeServerMemory({ samples: [sample('baseline', 0, 100), sample('soak', 10, 200)], baselineAt: 0, load: { from: 0, to: 100, connections: 0 }, steps: [], pid: null });
  assert.equal(server?.growthBytesPerSecond, null);
  assert.equal(server?.perConnectionBytes, null);
});
