/**
 * A closed-model load report (two steps, a knee, server memory, a saturated generator), for the load text
 * report and for the check reports that include load runs.
 */
import { EMPTY_SUMMARY } from '../../src/load/histogram.js';
import type { LoadReport, StepResult } from '../../src/load/types.js';

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

export function sampleLoadReport(overrides: Partial<LoadReport> = {}): LoadReport {
  return {
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
    histogram: [{ upToMs: 5, count: 1200 }, { upToMs: 10, count: 300 }],
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
    ...overrides,
  };
}
