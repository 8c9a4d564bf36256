/**
 * How metrics read in reports: a probe's history metrics (a label and a formatter each; the noise rules that
 * judge them live with the history, src/history/regressions.ts) and each load threshold metric.
 */
import type { HistoryMetric } from '../history/types.js';
import type { LoadMode, ThresholdMetric } from '../load/plan-types.js';
import { formatBytes, formatCount, formatShare } from './format.js';

const signedRate = (v: number): string => `${v > 0 ? '+' : ''}${formatBytes(v)}/s`;

const DISPLAY: Readonly<Record<HistoryMetric, { readonly label: string; readonly format: (value: number) => string }>> =
  {
    heapGrowth: { label: 'heap growth', format: signedRate },
    externalGrowth: { label: 'external growth', format: signedRate },
    perItem: { label: 'per item', format: (v) => formatBytes(v) },
    gcRecovery: { label: 'GC recovery', format: formatShare },
    iterationsPerSecond: { label: 'iterations/s', format: (v) => `${formatCount(v)}/s` },
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

/** Every load threshold metric: what its figures count, the modes it applies to, and its help text. */
export const THRESHOLD_INFO: Readonly<
  Record<ThresholdMetric, { readonly kind: ThresholdKind; readonly modes: readonly LoadMode[]; readonly help: string }>
> = {
  p50: { kind: 'ms', modes: ['open', 'closed', 'ws'], help: 'median latency' },
  p90: { kind: 'ms', modes: ['open', 'closed', 'ws'], help: '90th percentile latency' },
  p95: { kind: 'ms', modes: ['open', 'closed', 'ws'], help: '95th percentile latency' },
  p99: { kind: 'ms', modes: ['open', 'closed', 'ws'], help: '99th percentile latency' },
  p999: { kind: 'ms', modes: ['open', 'closed', 'ws'], help: '99.9th percentile latency' },
  max: { kind: 'ms', modes: ['open', 'closed', 'ws'], help: 'slowest request' },
  mean: { kind: 'ms', modes: ['open', 'closed', 'ws'], help: 'mean latency' },
  errors: { kind: 'share', modes: ['open', 'closed', 'ws'], help: 'share of requests that failed' },
  throughput: { kind: 'rate', modes: ['open', 'closed', 'ws'], help: 'successful requests (ws: messages) per second' },
  knee: { kind: 'users', modes: ['closed'], help: 'users at which throughput stops growing and latency rises' },
  connectAvg: { kind: 'ms', modes: ['ws'], help: 'mean WebSocket handshake time' },
  connectP99: { kind: 'ms', modes: ['ws'], help: '99th percentile handshake time' },
  connectSuccess: { kind: 'share', modes: ['ws'], help: 'share of WebSocket connections opened' },
  lastClientP99: { kind: 'ms', modes: ['ws'], help: 'p99 over broadcasts of the time to the last client' },
  lastClientMax: { kind: 'ms', modes: ['ws'], help: 'slowest broadcast to its last client' },
};
