/**
 * Turns a soak report into one history line: the figures compared from run to run. Pure.
 */
import type { ProbeReport, SoakReport } from '../types.js';
import { HISTORY_SCHEMA_VERSION, type HistoryProbe, type HistoryRun } from './types.js';

function probeFigures(probe: ProbeReport): HistoryProbe {
  return {
    name: probe.name,
    verdict: probe.verdict,
    heapGrowth: probe.growth?.bytesPerSecond ?? null,
    heapGrowthCi: probe.growth ? [probe.growth.ciLow, probe.growth.ciHigh] : null,
    externalGrowth: probe.externalGrowth?.bytesPerSecond ?? null,
    externalGrowthCi: probe.externalGrowth ? [probe.externalGrowth.ciLow, probe.externalGrowth.ciHigh] : null,
    perItem: probe.perItemBytes,
    gcRecovery: probe.gcRecovery?.recovered ?? null,
    iterationsPerSecond: probe.iterationsPerSecond,
    peakRss: probe.process.peakRss,
  };
}

export function historyRunFromReport(report: SoakReport, commit: string | null): HistoryRun {
  return {
    schemaVersion: HISTORY_SCHEMA_VERSION,
    timestamp: report.startedAt,
    commit,
    verdict: report.verdict,
    durationMs: report.settings.durationMs,
    probes: report.probes.map(probeFigures),
  };
}
