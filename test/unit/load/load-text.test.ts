import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EMPTY_SUMMARY } from '../../../src/load/histogram.js';
import type { LoadReport, StepResult } from '../../../src/load/types.js';
import { formatMs, renderLoadText } from '../../../src/report/load-text.js';

const latency = { count: 1000, mean: 2, p50: 1.5, p90: 3, p95: 4, p99: 90.5, p999: 99, max: 101 };
const step = (index: number, users: number, throughput: number): StepResult => ({
  index,
  users,
  rate: null,
  startedAt: 1_700_000_000_000,
  durationMs: 2500,
  sent: throughput * 2.5,
  completed: throughput * 2.5,
  throughput,
  latency,
  errors: { total: 3, byType: { ECONNRESET: 2, 'http 503': 1 } },
  operations: [],
  connections: users,
  waited: 0,
  maxWaiting: 0,
  memory: { samples: 3, medianBytes: 9e6, perConnectionBytes: 2048 },
});

const report: LoadReport = {
  schemaVersion: 1,
  tool: { name: 'memprobe', version: '0.1.0' },
  startedAt: '2024-01-01T00:00:00.000Z',
  node: 'v20',
  platform: 'linux-x64',
  mode: 'closed',
  target: { url: 'http://127.0.0.1:4100', wsUrl: null, embedded: true },
  settings: { rate: null, users: [1, 5], thinkMs: 0, durationMs: 5000, warmupMs: 1000, connections: 5, timeoutMs: 5000, scenario: 'notification-service' },
  status: 'generator-saturated',
  interrupted: false,
  latency,
  responseTime: latency,
  throughput: 3000,
  errors: { total: 6, byType: { ECONNRESET: 4, 'http 503': 2 } },
  steps: [step(0, 1, 1000), step(1, 5, 1100)],
  knee: { status: 'knee', users: 5, previousUsers: 1, efficiency: 0.03, latencyRise: 2, reason: 'from 1 to 5 users throughput changed +10% (linear would be +400%) while p95 rose 2x' },
  operations: [],
  starvation: null,
  ws: null,
  server: { pid: 9, baselineBytes: 7e6, underLoadBytes: 9e6, connections: 5, perConnectionBytes: 400_000, growthBytesPerSecond: 1000, growthCiLow: -10, growthCiHigh: 2000, netChangeBytes: 5000, gcPauseMs: 12, samples: [] },
  thresholds: [{ threshold: 'p95<500ms', metric: 'p95', op: '<', limit: 500, actual: 4, where: 'step 2 (5 users)', status: 'pass' }],
  generator: { pid: 77, cpuPercent: 97, eventLoopP99Ms: 3, eventLoopMaxMs: 9, sendLag: EMPTY_SUMMARY, saturated: true, reasons: ['generator CPU at 97% of a core (limit 90%)'] },
  notes: ['a note'],
  fault: null,
};

test('the text report shows the step table, knee, server memory, saturation and the verdict', () => {
  const text = renderLoadText(report);
  assert.match(text, /closed model · users 1, 5/);
  assert.match(text, /step\s+users\s+req\/s\s+p50\s+p95\s+p99\s+max\s+errors\s+server memory \(per conn\)/);
  assert.match(text, /2\s+5\s+1,100\s+1\.50 ms\s+4\.00 ms\s+90\.5 ms\s+101 ms\s+3 \(ECONNRESET 2, http 503 1\)\s+8\.6 MB \(\+2\.0 KB\)/);
  assert.match(text, /knee at 5 users: from 1 to 5 users/);
  assert.match(text, /per connection \(5\)/);
  assert.match(text, /GENERATOR SATURATED: generator CPU at 97% of a core/);
  assert.match(text, /note: a note/);
  assert.match(text, /result: GENERATOR SATURATED/);
});

test('milliseconds are printed with sensible precision', () => {
  assert.deepEqual([0.4123, 4.123, 41.23, 412.3, 4123].map(formatMs), ['0.412 ms', '4.12 ms', '41.2 ms', '412 ms', '4.12 s']);
});
