/**
 * Growth of post-GC memory over the soak window: bytes/s with an interval, bytes/iteration,
 * the slope of the window's last half (a leak that starts late), and bytes per held item.
 */
import type { Growth, Sample } from '../types.js';
import { ENVELOPE_BINS, TIME_BINS } from '../constants.js';
import { binByTime, lowerEnvelope, theilSen } from '../core/slope.js';

type Series = (sample: Sample) => number;

export const heapSeries: Series = (s) => s.heapUsed;
export const externalSeries: Series = (s) => s.external;

function column(samples: readonly Sample[], pick: Series): Float64Array {
  return Float64Array.from(samples, pick);
}

/** Growth of one series over the soak samples; null with fewer than two samples. */
export function growthOf(samples: readonly Sample[], pick: Series): Growth | null {
  if (samples.length < 2) return null;
  const seconds = Float64Array.from(samples, (s) => s.timeMs / 1000);
  const values = column(samples, pick);
  const binned = binByTime(seconds, values, TIME_BINS);
  const overall = theilSen(binned.xs, binned.ys);
  if (!overall) return null;
  const perIteration = theilSen(
    column(samples, (s) => s.iterations),
    values,
  );
  const middle = (seconds[0]! + seconds[seconds.length - 1]!) / 2;
  const half = seconds.findIndex((t) => t >= middle);
  const recentBins = binByTime(seconds.subarray(half), values.subarray(half), TIME_BINS / 2);
  const recent = theilSen(recentBins.xs, recentBins.ys) ?? overall;
  const envelope = lowerEnvelope(seconds, values, ENVELOPE_BINS);
  const floor = theilSen(envelope.xs, envelope.ys) ?? overall;
  return {
    bytesPerSecond: overall.slope,
    bytesPerIteration: perIteration?.slope ?? null,
    ciLow: overall.ciLow,
    ciHigh: overall.ciHigh,
    recentBytesPerSecond: recent.slope,
    recentCiLow: recent.ciLow,
    recentCiHigh: recent.ciHigh,
    strictCiLow: overall.strictLow,
    recentStrictCiLow: recent.strictLow,
    minPairSlope: overall.minSlope,
    floorBytesPerSecond: floor.slope,
    samples: samples.length,
  };
}

/**
 * Bytes per held item: slope of post-GC heap + external against `items()`.
 * Null when the probe does not count items or the count never changed.
 */
export function perItemBytes(samples: readonly Sample[]): number | null {
  const counted = samples.filter((s) => s.items !== null);
  if (counted.length < 3) return null;
  const items = Float64Array.from(counted, (s) => s.items ?? 0);
  if (items.every((v) => v === items[0])) return null;
  return (
    theilSen(
      items,
      column(counted, (s) => s.heapUsed + s.external),
    )?.slope ?? null
  );
}
