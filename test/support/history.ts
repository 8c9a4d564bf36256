/**
 * Earlier nights of a check's history (history.jsonl), for the tests of regressions and trends: the probe `leaky`
 * grew 300-500 B/s on each, so a real leak now stands far above them.
 */
import type { HistoryRun } from '../../src/history/types.js';

export function earlierNights(count: number, durationMs: number): string {
  const runs: HistoryRun[] = Array.from({ length: count }, (_, i) => ({
    schemaVersion: 1,
    timestamp: `2026-11-${String(i + 1).padStart(2, '0')}T02:00:00.000Z`,
    commit: null,
    verdict: 'pass',
    durationMs,
    probes: [
      {
        name: 'leaky',
        verdict: 'pass',
        heapGrowth: 300 + 100 * (i % 3),
        heapGrowthCi: [-1500, 1800],
        externalGrowth: 0,
        externalGrowthCi: [0, 0],
        perItem: null,
        gcRecovery: null,
        iterationsPerSecond: 170,
        peakRss: 50 * 1024 * 1024,
      },
    ],
  }));
  return runs.map((r) => `${JSON.stringify(r)}\n`).join('');
}
