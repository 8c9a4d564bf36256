/**
 * Latency statistics and reporting helpers for the built-in probes. Everything is preallocated: the probes run
 * inside the measured heap, and a growing array of samples would itself read as a leak.
 */

/** Smallest value told apart (1 µs); values are milliseconds. */
const FLOOR_MS = 0.001;
/** Relative width of a bucket: percentiles are within 1% of the true value. */
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
/** 1 µs .. ~1000 s in 1% steps. */
const BUCKETS = Math.ceil(Math.log(1e6 / FLOOR_MS) / LOG_GROWTH) + 2;

/** A log-bucketed histogram of milliseconds (1% resolution, fixed memory) with exact count, mean and max. */
export class LatencyHistogram {
  readonly #counts = new Uint32Array(BUCKETS);
  #count = 0;
  #sum = 0;
  #max = 0;

  get count(): number {
    return this.#count;
  }

  /** Mean in ms; 0 when empty. */
  get mean(): number {
    return this.#count === 0 ? 0 : this.#sum / this.#count;
  }

  get max(): number {
    return this.#max;
  }

  record(ms: number): void {
    const value = ms > 0 && Number.isFinite(ms) ? ms : 0;
    const index = value <= FLOOR_MS ? 0 : Math.min(BUCKETS - 1, Math.ceil(Math.log(value / FLOOR_MS) / LOG_GROWTH));
    this.#counts[index]!++;
    this.#count++;
    this.#sum += value;
    if (value > this.#max) this.#max = value;
  }

  /** The `p` quantile (0..1) in ms: the upper edge of its bucket, never above the maximum; 0 when empty. */
  percentile(p: number): number {
    if (this.#count === 0) return 0;
    const rank = Math.max(1, Math.ceil(p * this.#count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.#counts[i]!;
      if (seen >= rank) return Math.min(this.#max, FLOOR_MS * GROWTH ** i);
    }
    return this.#max;
  }

  reset(): void {
    this.#counts.fill(0);
    this.#count = 0;
    this.#sum = 0;
    this.#max = 0;
  }
}

/** Milliseconds to 4 significant digits, so reports do not carry float noise (sub-µs figures stay readable). */
export const roundMs = (ms: number): number => (ms === 0 ? 0 : Number(ms.toPrecision(4)));

/** A 0..1 share rounded to 4 decimals; 1 when nothing was attempted (nothing failed). */
export function shareOf(part: number, whole: number): number {
  return whole === 0 ? 1 : Math.round((part / whole) * 10_000) / 10_000;
}

/** Post-GC heap + external of this process (the child runs with --expose-gc; without it, a plain reading). */
export function settledMemory(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}
