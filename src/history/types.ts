/**
 * The history of `memprobe check --history FILE`: one JSON line per run with the figures of each probe,
 * and how a run compares with the runs before it.
 */
import type { Verdict } from '../types.js';

/** Version of one history line; bumped when a field changes meaning. */
export const HISTORY_SCHEMA_VERSION = 1;

/** A 95% interval as [low, high]. */
export type Interval = readonly [number, number];

/** The figures of one probe in one run; `null` when the run could not measure it. */
export interface HistoryProbe {
  readonly name: string;
  readonly verdict: Verdict;
  /** Post-GC heap growth, bytes/s, and its 95% interval. */
  readonly heapGrowth: number | null;
  readonly heapGrowthCi: Interval | null;
  /** External memory growth, bytes/s, and its 95% interval. */
  readonly externalGrowth: number | null;
  readonly externalGrowthCi: Interval | null;
  /** Bytes per held item. */
  readonly perItem: number | null;
  /** Share (0..1) of the run's growth given back after teardown. */
  readonly gcRecovery: number | null;
  readonly iterationsPerSecond: number | null;
  /** Highest RSS of the probe's child, bytes. */
  readonly peakRss: number | null;
}

/** One line of the history file. */
export interface HistoryRun {
  readonly schemaVersion: typeof HISTORY_SCHEMA_VERSION;
  /** When the run started (ISO 8601). */
  readonly timestamp: string;
  /** `git rev-parse HEAD` in the folder memprobe ran in, or null. */
  readonly commit: string | null;
  readonly verdict: Verdict;
  readonly durationMs: number;
  readonly probes: readonly HistoryProbe[];
}

/** The figures compared with the history. */
export type HistoryMetric =
  'heapGrowth' | 'externalGrowth' | 'perItem' | 'gcRecovery' | 'iterationsPerSecond' | 'peakRss';

/** One earlier value of a metric, for trend charts. */
export interface TrendPoint {
  readonly timestamp: string;
  readonly commit: string | null;
  readonly value: number;
}

/** One metric of one probe compared with the earlier runs. */
export interface MetricComparison {
  readonly probe: string;
  readonly metric: HistoryMetric;
  /** Which way is worse: a rise (`higher`) or a fall (`lower`). */
  readonly worse: 'higher' | 'lower';
  readonly current: number;
  /** `regression`: beyond the noise of the earlier runs; `no-history`: too few earlier runs to tell. */
  readonly status: 'ok' | 'regression' | 'no-history';
  /** Earlier values used (the last `window` runs that measured it), oldest first. */
  readonly previous: readonly TrendPoint[];
  readonly median: number | null;
  /** Median absolute deviation of the earlier values. */
  readonly mad: number | null;
  /** The value beyond which the current one is a regression. */
  readonly threshold: number | null;
  /** Growth metrics: the current 95% interval, and the median upper bound of the earlier intervals. */
  readonly currentCi: Interval | null;
  readonly previousCiHigh: number | null;
  /** One line saying why. */
  readonly reason: string;
}

export type Regression = MetricComparison & { readonly status: 'regression' };
