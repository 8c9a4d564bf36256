/**
 * Robust slope: Theil-Sen (median of all pairwise slopes) with Sen's rank-based ~95% interval.
 * Least squares reads a one-time 3 MB step as a steady leak; the median of pairwise slopes does not.
 */
import { MAX_SLOPE_POINTS, VERDICT_Z } from '../constants.js';
import type { SlopeEstimate } from '../types.js';
import { medianOfSorted as median } from './stats.js';

/** z for a two-sided 95% interval. */
const Z_95 = 1.959964;

/** Median of each of `bins` consecutive groups, so the quadratic pair count stays bounded. */
export function binByMedian(xs: Float64Array, ys: Float64Array, bins: number): { xs: Float64Array; ys: Float64Array } {
  if (xs.length <= bins) return { xs, ys };
  const outX = new Float64Array(bins);
  const outY = new Float64Array(bins);
  for (let b = 0; b < bins; b++) {
    const from = Math.floor((b * xs.length) / bins);
    const to = Math.floor(((b + 1) * xs.length) / bins);
    outX[b] = median(xs.slice(from, to).sort());
    outY[b] = median(ys.slice(from, to).sort());
  }
  return { xs: outX, ys: outY };
}

/**
 * Median x and y of each of `bins` equal-width x ranges (empty ranges are skipped), so every stretch of
 * time weighs the same however densely it was sampled: the sampler thins out when GCs get slow, and a
 * transient that happens to get half the samples would otherwise get half the pairs.
 */
export function binByTime(xs: Float64Array, ys: Float64Array, bins: number): { xs: Float64Array; ys: Float64Array } {
  const n = xs.length;
  if (n <= 2) return { xs, ys };
  const first = xs[0]!;
  const width = (xs[n - 1]! - first) / bins;
  if (!(width > 0)) return { xs, ys };
  const outX: number[] = [];
  const outY: number[] = [];
  let from = 0;
  for (let b = 0; b < bins && from < n; b++) {
    const limit = b === bins - 1 ? Number.POSITIVE_INFINITY : first + (b + 1) * width;
    let to = from;
    while (to < n && xs[to]! < limit) to++;
    if (to > from) {
      outX.push(median(xs.slice(from, to).sort()));
      outY.push(median(ys.slice(from, to).sort()));
    }
    from = to;
  }
  return { xs: Float64Array.from(outX), ys: Float64Array.from(outY) };
}

/** The lowest point of each of `bins` equal-width x ranges (empty ranges are skipped). */
export function lowerEnvelope(
  xs: Float64Array,
  ys: Float64Array,
  bins: number,
): { xs: Float64Array; ys: Float64Array } {
  const n = xs.length;
  const first = xs[0] ?? 0;
  const width = ((xs[n - 1] ?? 0) - first) / bins;
  if (n <= 2 || !(width > 0)) return { xs, ys };
  const lowest = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const bin = Math.min(bins - 1, Math.floor((xs[i]! - first) / width));
    const current = lowest.get(bin);
    if (current === undefined || ys[i]! < ys[current]!) lowest.set(bin, i);
  }
  const picked = [...lowest.values()].sort((a, b) => a - b);
  return { xs: Float64Array.from(picked, (i) => xs[i]!), ys: Float64Array.from(picked, (i) => ys[i]!) };
}

/** Every pairwise slope, sorted, and the number of points (after binning); null without two distinct x. */
function pairSlopes(xsIn: Float64Array, ysIn: Float64Array): { sorted: Float64Array; n: number } | null {
  const { xs, ys } = binByMedian(xsIn, ysIn, MAX_SLOPE_POINTS);
  const n = xs.length;
  const slopes = new Float64Array((n * (n - 1)) / 2);
  let count = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = xs[j]! - xs[i]!;
      if (dx !== 0) slopes[count++] = (ys[j]! - ys[i]!) / dx;
    }
  }
  return count === 0 ? null : { sorted: slopes.subarray(0, count).sort(), n };
}

/** Sen's interval: the pairwise slopes `c` ranks either side of the median, c from Kendall's S variance at `z`. */
function senBounds(sorted: Float64Array, n: number, z: number): { low: number; high: number } {
  const count = sorted.length;
  const spread = Math.sqrt((n * (n - 1) * (2 * n + 5)) / 18);
  const low = Math.max(0, Math.floor((count - z * spread) / 2));
  const high = Math.min(count - 1, Math.ceil((count + z * spread) / 2));
  return { low: sorted[low]!, high: sorted[high]! };
}

/** Theil-Sen slope with Sen's two-sided interval at `z` (one-sided bounds at the matching level). */
export function theilSenAt(
  xs: Float64Array,
  ys: Float64Array,
  z: number,
): { slope: number; low: number; high: number } | null {
  const pairs = pairSlopes(xs, ys);
  return pairs && { slope: median(pairs.sorted), ...senBounds(pairs.sorted, pairs.n, z) };
}

/**
 * Theil-Sen slope of ys against xs with Sen's confidence interval.
 * Pairs with equal x are skipped; returns null when fewer than two distinct x values exist.
 */
export function theilSen(xsIn: Float64Array, ysIn: Float64Array): SlopeEstimate | null {
  const pairs = pairSlopes(xsIn, ysIn);
  if (!pairs) return null;
  const { sorted, n } = pairs;
  const ci = senBounds(sorted, n, Z_95);
  return {
    slope: median(sorted),
    ciLow: ci.low,
    ciHigh: ci.high,
    strictLow: senBounds(sorted, n, VERDICT_Z).low,
    minSlope: sorted[0]!,
    points: n,
  };
}
