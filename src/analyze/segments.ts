/**
 * Where a memory series stops warming up: optimal partitioning of the series into straight segments (each with its
 * own level and slope), a penalty per changepoint, as in the PELT family Barrett et al. used to find where
 * VM benchmarks reach a steady state ("Virtual Machine Warmup Blows Hot and Cold", OOPSLA 2017). A JIT warming up
 * bends the series down, a cache filling to its bound turns it flat, a one-off table steps it up: each is a
 * changepoint, and only the last segment (the steady state) says whether memory still grows. Pure.
 */
import { medianOfSorted } from '../core/stats.js';

export interface Segment {
  /** First and last point (inclusive) of the segment, indexes into the series. */
  readonly from: number;
  readonly to: number;
  /** Least-squares level at the segment's first point, and slope (y per x). */
  readonly start: number;
  readonly slope: number;
}

export interface SegmentOptions {
  /** Fewest points in any segment. */
  readonly minPoints: number;
  /** Fewest points in the last segment (the steady state must span this much to be judged). */
  readonly minLastPoints: number;
  /** Cost of one more changepoint, in units of the noise variance (see penaltyOf). */
  readonly penaltyFactor: number;
  /** The least noise variance assumed (a series without noise would make every changepoint free). */
  readonly minVariance?: number;
}

/** Prefix sums that give the least-squares line of any run of points in O(1). */
class Sums {
  private readonly sx: Float64Array;
  private readonly sy: Float64Array;
  private readonly sxx: Float64Array;
  private readonly sxy: Float64Array;
  private readonly syy: Float64Array;

  constructor(xs: ArrayLike<number>, ys: ArrayLike<number>) {
    const n = xs.length;
    const sx = (this.sx = new Float64Array(n + 1));
    const sy = (this.sy = new Float64Array(n + 1));
    const sxx = (this.sxx = new Float64Array(n + 1));
    const sxy = (this.sxy = new Float64Array(n + 1));
    const syy = (this.syy = new Float64Array(n + 1));
    for (let i = 0; i < n; i++) {
      const x = xs[i]! - xs[0]!;
      const y = ys[i]! - ys[0]!;
      sx[i + 1] = sx[i]! + x;
      sy[i + 1] = sy[i]! + y;
      sxx[i + 1] = sxx[i]! + x * x;
      sxy[i + 1] = sxy[i]! + x * y;
      syy[i + 1] = syy[i]! + y * y;
    }
  }

  /** Least-squares fit of points [from, to): residual sum of squares, slope and intercept (shifted coordinates). */
  fit(from: number, to: number): { sse: number; slope: number; intercept: number } {
    const k = to - from;
    const sx = this.sx[to]! - this.sx[from]!;
    const sy = this.sy[to]! - this.sy[from]!;
    const sxx = this.sxx[to]! - this.sxx[from]!;
    const sxy = this.sxy[to]! - this.sxy[from]!;
    const syy = this.syy[to]! - this.syy[from]!;
    const vxx = sxx - (sx * sx) / k;
    const vxy = sxy - (sx * sy) / k;
    const vyy = syy - (sy * sy) / k;
    const slope = vxx > 0 ? vxy / vxx : 0;
    return { sse: Math.max(0, vyy - slope * vxy), slope, intercept: (sy - slope * sx) / k };
  }
}

/**
 * The noise variance of a series whatever its trend and steps: from the median absolute second difference
 * (a straight line has none, a step touches only two of them).
 */
export function noiseVariance(ys: ArrayLike<number>): number {
  const d = new Float64Array(Math.max(0, ys.length - 2));
  for (let i = 0; i < d.length; i++) d[i] = Math.abs(ys[i + 2]! - 2 * ys[i + 1]! + ys[i]!);
  if (d.length === 0) return 0;
  // A second difference of independent noise has variance 6 sigma^2; MAD/0.6745 estimates its deviation.
  const sigma = medianOfSorted(d.sort()) / 0.6745 / Math.sqrt(6);
  return sigma * sigma;
}

/** BIC-like: a changepoint adds a level, a slope and a position. */
export function penaltyOf(variance: number, points: number, factor: number): number {
  return factor * variance * Math.log(Math.max(2, points));
}

/** The segments of the series, first to last; one segment when no changepoint pays for itself. */
export function segmentSeries(xs: ArrayLike<number>, ys: ArrayLike<number>, options: SegmentOptions): Segment[] {
  const n = xs.length;
  if (n < 2) return n === 1 ? [{ from: 0, to: 0, start: ys[0]!, slope: 0 }] : [];
  const sums = new Sums(xs, ys);
  const penalty = penaltyOf(Math.max(noiseVariance(ys), options.minVariance ?? 0), n, options.penaltyFactor);
  const minPoints = Math.max(2, options.minPoints);
  // best[t]: least cost of points [0, t) cut into segments; cut[t]: where the last of them starts.
  const best = new Float64Array(n + 1).fill(Number.POSITIVE_INFINITY);
  const cut = new Int32Array(n + 1);
  best[0] = -penalty;
  for (let t = minPoints; t <= n; t++) {
    for (let s = 0; s <= t - minPoints; s++) {
      if (s !== 0 && s < minPoints) continue;
      const cost = best[s]! + sums.fit(s, t).sse + penalty;
      if (cost < best[t]!) {
        best[t] = cost;
        cut[t] = s;
      }
    }
  }
  // The last segment must be long enough to judge: choose its start among those that leave it minLastPoints.
  const minLast = Math.min(n, Math.max(minPoints, options.minLastPoints));
  let lastStart = 0;
  let lastCost = Number.POSITIVE_INFINITY;
  for (let s = 0; s <= n - minLast; s++) {
    if (s !== 0 && (s < minPoints || !Number.isFinite(best[s]!))) continue;
    const cost = best[s]! + sums.fit(s, n).sse + penalty;
    if (cost < lastCost) {
      lastCost = cost;
      lastStart = s;
    }
  }
  const starts: number[] = [];
  for (let s = lastStart; s > 0; s = cut[s]!) starts.unshift(s);
  starts.unshift(0);
  return starts.map((from, i) => {
    const to = (starts[i + 1] ?? n) - 1;
    const line = sums.fit(from, to + 1);
    const x0 = xs[from]! - xs[0]!;
    return { from, to, start: ys[0]! + line.intercept + line.slope * x0, slope: line.slope };
  });
}
