/**
 * Scheduling math, pure: intended send times of the open model, weighted operation choice, and the
 * seeded random numbers behind it (two runs with one seed send the same mix).
 */

/**
 * Intended send time of request `k` (0-based) of an open-model schedule starting at `startMs`:
 * evenly spaced, so a stall cannot shift later requests' intended times.
 */
export function intendedTime(startMs: number, k: number, rate: number): number {
  return startMs + (k * 1000) / rate;
}

/** How many requests of the schedule are due at `nowMs` (intended time <= now), capped at `total`. */
export function dueCount(startMs: number, nowMs: number, rate: number, total: number): number {
  if (nowMs < startMs) return 0;
  // The epsilon (a millionth of an interval) keeps send k due at its own intended time despite float rounding.
  return Math.min(total, Math.floor(((nowMs - startMs) * rate) / 1000 + 1e-6) + 1);
}

/** Requests an open-model schedule of `rate`/s sends in `durationMs`. */
export function scheduledCount(rate: number, durationMs: number): number {
  return Math.max(0, Math.round((rate * durationMs) / 1000));
}

/** mulberry32: a small, fast, seeded generator of uniform numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks an index with probability proportional to its weight (weights > 0). */
export class WeightedPicker {
  readonly #cumulative: Float64Array;
  readonly #total: number;

  constructor(weights: readonly number[]) {
    if (weights.length === 0) throw new Error('WeightedPicker needs at least one weight');
    this.#cumulative = new Float64Array(weights.length);
    let sum = 0;
    weights.forEach((w, i) => {
      if (!(w > 0) || !Number.isFinite(w)) throw new Error(`weight ${i} must be a positive number, got ${w}`);
      sum += w;
      this.#cumulative[i] = sum;
    });
    this.#total = sum;
  }

  /** `u` is uniform in [0, 1). */
  pick(u: number): number {
    const target = u * this.#total;
    const c = this.#cumulative;
    let lo = 0;
    let hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (target < c[mid]!) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** Splits a total time equally between steps. */
export function stepDuration(totalMs: number, steps: number): number {
  return totalMs / Math.max(1, steps);
}
