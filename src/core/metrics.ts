/**
 * How a probe's history metrics read in reports: a label and a formatter each. Pure; the noise rules that
 * judge them live with the history (src/history/regressions.ts).
 */
import type { HistoryMetric } from '../history/types.js';
import { formatBytes, formatShare } from './format.js';

const signedRate = (v: number): string => `${v > 0 ? '+' : ''}${formatBytes(v)}/s`;

const DISPLAY: Readonly<Record<HistoryMetric, { readonly label: string; readonly format: (value: number) => string }>> =
  {
    heapGrowth: { label: 'heap growth', format: signedRate },
    externalGrowth: { label: 'external growth', format: signedRate },
    perItem: { label: 'per item', format: (v) => formatBytes(v) },
    gcRecovery: { label: 'GC recovery', format: formatShare },
    iterationsPerSecond: { label: 'iterations/s', format: (v) => `${Math.round(v).toLocaleString('en-US')}/s` },
    peakRss: { label: 'peak RSS', format: (v) => formatBytes(v) },
  };

/** A probe metric's label for reports ("heap growth"). */
export function metricLabel(metric: HistoryMetric): string {
  return DISPLAY[metric].label;
}

export function formatMetric(metric: HistoryMetric, value: number): string {
  return DISPLAY[metric].format(value);
}
