/**
 * Regression detection against the history: PURE (no I/O), so it is tested on literal runs.
 *
 * For each probe and metric, the current value is compared with the last `window` earlier runs that
 * measured it (at least MIN_HISTORY_RUNS of them):
 *
 *   noise     = max(3 x 1.4826 x MAD, floor.absolute, floor.relative x |median|)
 *   threshold = median + noise   (median - noise for metrics where lower is worse)
 *
 * The value is a regression when it is beyond the threshold. 1.4826 x MAD estimates a standard deviation
 * that one wild run does not inflate; the floors keep a perfectly steady history (MAD 0) from flagging
 * jitter. Growth rates must also clear the earlier confidence intervals: the current 95% lower bound must
 * be above the median of the earlier upper bounds, so a noisy run whose interval still overlaps the usual
 * range is not called a regression.
 */
import { formatMetric, metricLabel } from '../core/metrics.js';
import { mad, median } from '../core/stats.js';
import type {
  HistoryMetric,
  HistoryProbe,
  HistoryRun,
  Interval,
  MetricComparison,
  Regression,
  TrendPoint,
} from './types.js';

export { DEFAULT_HISTORY_WINDOW } from '../constants.js';
import { DEFAULT_HISTORY_WINDOW } from '../constants.js';

/** Fewer earlier values than this: `no-history`, never a regression. */
export const MIN_HISTORY_RUNS = 3;

/** MADs of noise allowed above the median (with MAD scaled to a standard deviation). */
export const NOISE_MADS = 3;

/** MAD x this estimates the standard deviation of normally distributed noise. */
const MAD_TO_SIGMA = 1.4826;

interface MetricRule {
  readonly worse: 'higher' | 'lower';
  /** Smallest noise band, in the metric's unit. */
  readonly absoluteFloor: number;
  /** Smallest noise band as a share of the median. */
  readonly relativeFloor: number;
  readonly ci?: (probe: HistoryProbe) => Interval | null;
}

/**
 * Per-metric noise floors. Growth: a clean probe reads -1..+2 KB/s from run to run on a shared 2-core
 * machine, so 2 KB/s (or 25%) is jitter. Throughput and RSS move with the machine's load: 20% / 15%.
 */
export const METRIC_RULES: Readonly<Record<HistoryMetric, MetricRule>> = {
  heapGrowth: { worse: 'higher', absoluteFloor: 2048, relativeFloor: 0.25, ci: (p) => p.heapGrowthCi },
  externalGrowth: { worse: 'higher', absoluteFloor: 2048, relativeFloor: 0.25, ci: (p) => p.externalGrowthCi },
  perItem: { worse: 'higher', absoluteFloor: 64, relativeFloor: 0.1 },
  gcRecovery: { worse: 'lower', absoluteFloor: 0.1, relativeFloor: 0 },
  iterationsPerSecond: { worse: 'lower', absoluteFloor: 1, relativeFloor: 0.2 },
  peakRss: { worse: 'higher', absoluteFloor: 8 * 1024 * 1024, relativeFloor: 0.15 },
};

export const HISTORY_METRICS = Object.keys(METRIC_RULES) as HistoryMetric[];

/** Earlier entries of one probe that count: it ran without an error. Oldest first, last `window` only. */
function earlier(
  probe: string,
  metric: HistoryMetric,
  runs: readonly HistoryRun[],
  window: number,
): Array<{ run: HistoryRun; entry: HistoryProbe; value: number }> {
  const found: Array<{ run: HistoryRun; entry: HistoryProbe; value: number }> = [];
  for (const run of runs) {
    const entry = run.probes.find((p) => p.name === probe);
    const value = entry?.[metric];
    if (entry && entry.verdict !== 'error' && typeof value === 'number' && Number.isFinite(value))
      found.push({ run, entry, value });
  }
  return found.slice(-window);
}

/** Compares one metric of one probe; null when the current run did not measure it. */
export function compareMetric(
  current: HistoryProbe,
  metric: HistoryMetric,
  runs: readonly HistoryRun[],
  window = DEFAULT_HISTORY_WINDOW,
): MetricComparison | null {
  const value = current[metric];
  if (value === null || !Number.isFinite(value)) return null;
  const rule = METRIC_RULES[metric];
  const label = metricLabel(metric);
  const past = earlier(current.name, metric, runs, window);
  const previous: TrendPoint[] = past.map(({ run, value: v }) => ({
    timestamp: run.timestamp,
    commit: run.commit,
    value: v,
  }));
  const currentCi = rule.ci?.(current) ?? null;
  const base = { probe: current.name, metric, worse: rule.worse, current: value, previous, currentCi };
  if (past.length < MIN_HISTORY_RUNS) {
    const runs = `${past.length} earlier run${past.length === 1 ? '' : 's'}`;
    const reason = `${label}: ${runs}, ${MIN_HISTORY_RUNS} needed to compare`;
    return { ...base, status: 'no-history', median: null, mad: null, threshold: null, previousCiHigh: null, reason };
  }
  const values = past.map((p) => p.value);
  const m = median(values);
  const d = mad(values);
  const noise = Math.max(NOISE_MADS * MAD_TO_SIGMA * d, rule.absoluteFloor, rule.relativeFloor * Math.abs(m));
  const threshold = rule.worse === 'higher' ? m + noise : m - noise;
  const beyond = rule.worse === 'higher' ? value > threshold : value < threshold;
  const ciHighs = rule.ci
    ? past.map((p) => rule.ci!(p.entry)?.[1]).filter((h): h is number => typeof h === 'number')
    : [];
  const previousCiHigh = ciHighs.length > 0 ? median(ciHighs) : null;
  const clearsIntervals = currentCi === null || previousCiHigh === null || currentCi[0] > previousCiHigh;
  const f = (v: number): string => formatMetric(metric, v);
  const where = `median ${f(m)} of ${past.length} runs, threshold ${f(threshold)}`;
  let reason: string;
  if (beyond && clearsIntervals) {
    const ci =
      currentCi && previousCiHigh !== null
        ? `; 95% interval from ${f(currentCi[0])}, above the earlier runs' ${f(previousCiHigh)}`
        : '';
    reason = `${label} ${f(value)} is ${rule.worse === 'higher' ? 'above' : 'below'} the usual range (${where})${ci}`;
  } else if (beyond) {
    reason =
      `${label} ${f(value)} is beyond the threshold (${where}) but its 95% interval overlaps the earlier runs' (up` +
      ` to ${f(previousCiHigh!)})`;
  } else {
    reason = `${label} ${f(value)} is within the usual range (${where})`;
  }
  return {
    ...base,
    status: beyond && clearsIntervals ? 'regression' : 'ok',
    median: m,
    mad: d,
    threshold,
    previousCiHigh,
    reason,
  };
}

/**
 * Compares every metric of every probe of `current` with the earlier `runs` (oldest first).
 * Probes that ended in `error` are not compared.
 */
export function compareWithHistory(
  current: HistoryRun,
  runs: readonly HistoryRun[],
  window = DEFAULT_HISTORY_WINDOW,
): MetricComparison[] {
  const comparisons: MetricComparison[] = [];
  for (const probe of current.probes) {
    if (probe.verdict === 'error') continue;
    for (const metric of HISTORY_METRICS) {
      const comparison = compareMetric(probe, metric, runs, window);
      if (comparison) comparisons.push(comparison);
    }
  }
  return comparisons;
}

export function regressionsOf(comparisons: readonly MetricComparison[]): Regression[] {
  return comparisons.filter((c): c is Regression => c.status === 'regression');
}
