/**
 * How metrics read in reports: a probe's history metrics (a label and a formatter each; the noise rules that
 * judge them live with the history, src/history/regressions.ts) and the unit of each load threshold metric.
 */
import type { HistoryMetric } from '../history/types.js';
import type { ThresholdMetric } from '../load/plan-types.js';
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

/** What a load threshold's figures count: milliseconds, a share, a rate per second, or users. */
export type ThresholdKind = 'ms' | 'share' | 'rate' | 'users';

export const THRESHOLD_KINDS: Readonly<Record<ThresholdMetric, ThresholdKind>> = {
  p50: 'ms',
  p90: 'ms',
  p95: 'ms',
  p99: 'ms',
  p999: 'ms',
  max: 'ms',
  mean: 'ms',
  errors: 'share',
  throughput: 'rate',
  knee: 'users',
  connectAvg: 'ms',
  connectP99: 'ms',
  connectSuccess: 'share',
  lastClientP99: 'ms',
  lastClientMax: 'ms',
};
