/**
 * Growth against the iteration count instead of time, for leak assertions inside test suites: post-GC memory
 * (or a handle count) after each batch of iterations, fitted with the same Theil-Sen estimator and rules as
 * `soak` (whole window, last half, lower envelope). Pure: arrays in, a tagged result out.
 */
import { ENVELOPE_BINS, MIN_COUNT_RISE, MIN_SAMPLES_FOR_VERDICT } from '../constants.js';
import { formatBytes } from '../core/format.js';
import { lowerEnvelope, theilSen } from '../core/slope.js';

/** Bytes (or a count) per iteration, with Sen's ~95% interval, over the window and over its last half. */
export interface IterationGrowth {
  readonly perIteration: number;
  readonly ciLow: number;
  readonly ciHigh: number;
  readonly recentPerIteration: number;
  readonly recentCiLow: number;
  readonly recentCiHigh: number;
  /** Slope of the lower envelope: a leak lifts the floor, a fill-and-clear workload does not. */
  readonly floorPerIteration: number;
  /** Value at the end minus value at the start, by the medians of the first and last quarter of the batches. */
  readonly rise: number;
  /** Batches (post-GC samples) the fit used. */
  readonly samples: number;
  /** Iterations between the first and the last sample. */
  readonly iterations: number;
}

export interface IterationVerdict {
  readonly status: 'pass' | 'fail' | 'inconclusive';
  /** One line: the figure, its interval and the budget. */
  readonly reason: string;
}

function quarterMedian(values: Float64Array, last: boolean): number {
  const quarter = Math.max(1, Math.floor(values.length / 4));
  const part = Float64Array.from(last ? values.subarray(values.length - quarter) : values.subarray(0, quarter)).sort();
  const mid = part.length >> 1;
  return part.length % 2 === 1 ? part[mid]! : (part[mid - 1]! + part[mid]!) / 2;
}

/**
 * The slope of `values` against `iterations` (cumulative counts, one per post-GC sample); null with fewer than two
 * distinct counts.
 *
 * @example
 * ```ts
 * const growth = iterationGrowth(Float64Array.of(0, 100, 200, 300), Float64Array.of(1e6, 1.1e6, 1.2e6, 1.3e6));
 * growth?.perIteration; // 1000
 * ```
 */
export function iterationGrowth(iterations: Float64Array, values: Float64Array): IterationGrowth | null {
  const overall = theilSen(iterations, values);
  if (!overall || values.length < 2) return null;
  const half = values.length >> 1;
  const recent = theilSen(iterations.subarray(half), values.subarray(half)) ?? overall;
  const envelope = lowerEnvelope(iterations, values, Math.min(ENVELOPE_BINS, Math.max(2, values.length >> 1)));
  const floor = theilSen(envelope.xs, envelope.ys) ?? overall;
  return {
    perIteration: overall.slope,
    ciLow: overall.ciLow,
    ciHigh: overall.ciHigh,
    recentPerIteration: recent.slope,
    recentCiLow: recent.ciLow,
    recentCiHigh: recent.ciHigh,
    floorPerIteration: floor.slope,
    rise: quarterMedian(values, true) - quarterMedian(values, false),
    samples: values.length,
    iterations: iterations[iterations.length - 1]! - iterations[0]!,
  };
}

/**
 * A bytes-per-iteration budget. Broken only when every sign agrees, so runner noise cannot break it:
 * the slope's 95% lower bound is above the limit (significant, not just above), the last half of the batches does
 * not contradict it (its upper bound is above the limit: a cache that filled early and then churned passes),
 * the floor rises faster than the limit, and the memory rose by at least `minRiseBytes` in all (a test
 * runner's own allocations are a few KB that no slope over a few thousand iterations should turn into a verdict).
 * A slope above the limit with less than `minRiseBytes` of rise is `inconclusive` (too few iterations to tell a
 * leak from the runner's noise), and so is a pass of a run too short for a leak the size of the budget to add up
 * to `minRiseBytes`: a check that could not have failed proves nothing.
 */
export function checkIterationGrowth(
  growth: IterationGrowth | null,
  limit: number,
  minRiseBytes: number,
  memory: string,
): IterationVerdict {
  if (!growth || growth.samples < MIN_SAMPLES_FOR_VERDICT) {
    return {
      status: 'inconclusive',
      reason: `${memory}: only ${growth?.samples ?? 0} batches (need ${MIN_SAMPLES_FOR_VERDICT}): run more iterations`,
    };
  }
  const figure =
    `${memory} grows ${perIteration(growth.perIteration)} [${perIteration(growth.ciLow)}, ` +
    `${perIteration(growth.ciHigh)}]`;
  const above = growth.ciLow > limit && growth.recentCiHigh > limit && growth.floorPerIteration > limit;
  const budget = `budget <= ${perIteration(limit)}`;
  if (above && growth.rise >= minRiseBytes) return { status: 'fail', reason: `${figure}, ${budget}` };
  // Too few iterations to tell a leak from the runner's own few KB: neither a pass nor a fail.
  if (growth.rise < minRiseBytes && (above || growth.perIteration > limit)) {
    const rose = `only ${formatBytes(growth.rise)} over the run (a leak must add ${formatBytes(minRiseBytes)})`;
    return { status: 'inconclusive', reason: `${figure}, ${budget}, but ${rose}: run more iterations` };
  }
  // A run that could not have shown a leak the size of the budget proves nothing by passing.
  if (growth.iterations * limit < minRiseBytes) {
    const needed = Math.ceil(minRiseBytes / Math.max(limit, 1e-9));
    const reason =
      `${figure}, ${budget}, but ${growth.iterations} iterations at the budget add up to less than the ` +
      `${formatBytes(minRiseBytes)} a leak must add: run at least ${needed} iterations`;
    return { status: 'inconclusive', reason };
  }
  return { status: 'pass', reason: `${figure}, ${budget}` };
}

/**
 * A count (active handles of one type) that must not grow with the iterations: broken when the slope's lower bound
 * is above zero and the count rose by MIN_COUNT_RISE or more (a pool that opens one more socket is not a leak).
 */
export function checkCountPerIteration(growth: IterationGrowth | null, what: string): IterationVerdict {
  if (!growth || growth.samples < MIN_SAMPLES_FOR_VERDICT)
    return { status: 'inconclusive', reason: `${what}: too few batches` };
  const broken = growth.ciLow > 0 && growth.rise >= MIN_COUNT_RISE;
  const sign = growth.perIteration >= 0 ? '+' : '';
  return {
    status: broken ? 'fail' : 'pass',
    reason:
      `${what} ${sign}${Number(growth.perIteration.toPrecision(3))}/iteration ` +
      `(${sign}${growth.rise} over the run)`,
  };
}

function perIteration(bytes: number): string {
  return `${formatBytes(bytes)}/iteration`;
}
