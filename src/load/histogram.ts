/**
 * Latency histograms: HDR (hdr-histogram-js) in microseconds with 3 significant digits, so a percentile is
 * within 0.1% of the true value whatever the range, memory is fixed (never an array of samples), and
 * histograms from another process merge exactly (they travel as compressed base64).
 */
import {
  build,
  decodeFromCompressedBase64,
  encodeIntoCompressedBase64,
  type Histogram,
  type JsHistogram,
} from 'hdr-histogram-js';
import { LATENCY_BUCKETS_MS } from './defaults.js';
import type { LatencyBucket, LatencySummary } from './types.js';

/** 60 s in µs: the initial range; autoResize extends it for longer values. */
const INITIAL_HIGHEST_MICROS = 60_000_000;

function create(): Histogram {
  return build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: INITIAL_HIGHEST_MICROS,
    numberOfSignificantValueDigits: 3,
    autoResize: true,
    useWebAssembly: false,
  });
}

/** Microseconds to milliseconds with µs precision (no float noise in reports). */
const toMs = (micros: number): number => Math.round(micros) / 1000;

export const EMPTY_SUMMARY: LatencySummary = { count: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 };

export class LatencyHistogram {
  readonly #histogram: Histogram;

  constructor(histogram: Histogram = create()) {
    this.#histogram = histogram;
  }

  /** Decodes what {@link encode} produced (in another process). */
  static decode(encoded: string): LatencyHistogram {
    return new LatencyHistogram(decodeFromCompressedBase64(encoded, 32, false));
  }

  /** Merges histograms; none gives an empty one. */
  static sum(parts: Iterable<LatencyHistogram>): LatencyHistogram {
    const total = new LatencyHistogram();
    for (const part of parts) total.add(part);
    return total;
  }

  get count(): number {
    return this.#histogram.totalCount;
  }

  /** Records a latency in milliseconds (below 1 µs counts as 1 µs; negative as 1 µs). */
  recordMs(ms: number): void {
    this.#histogram.recordValue(ms >= 0.001 ? Math.round(ms * 1000) : 1);
  }

  add(other: LatencyHistogram): void {
    if (other.count > 0) this.#histogram.add(other.#histogram);
  }

  /** The `percent` percentile (0..100) in ms. */
  percentileMs(percent: number): number {
    return this.count === 0 ? 0 : toMs(this.#histogram.getValueAtPercentile(percent));
  }

  summary(): LatencySummary {
    const h = this.#histogram;
    if (h.totalCount === 0) return EMPTY_SUMMARY;
    const at = (p: number): number => toMs(h.getValueAtPercentile(p));
    return {
      count: h.totalCount,
      mean: toMs(h.mean),
      p50: at(50),
      p90: at(90),
      p95: at(95),
      p99: at(99),
      p999: at(99.9),
      max: toMs(h.maxValue),
    };
  }

  encode(): string {
    return encodeIntoCompressedBase64(this.#histogram);
  }

  /**
   * Counts per latency bucket (1-2-5 steps in ms), from the fastest bucket recorded to the slowest: the shape
   * of the distribution for a chart: every recorded value is counted once, in its bucket.
   */
  buckets(): LatencyBucket[] {
    if (this.count === 0) return [];
    const counts = new Float64Array(LATENCY_BUCKETS_MS.length);
    // The histograms here are JS ones (built without WebAssembly), whose recorded values can be walked.
    const histogram = this.#histogram as unknown as JsHistogram;
    const values = histogram.recordedValuesIterator;
    values.reset();
    while (values.hasNext()) {
      const value = values.next();
      // The iterator gives the top of each value's 0.1% range: 5 ms would read as 5.004 ms, a bucket too high.
      const ms = histogram.lowestEquivalentValue(value.valueIteratedTo) / 1000;
      const bucket = LATENCY_BUCKETS_MS.findIndex((bound) => ms <= bound);
      // Past the last bound (500 s) only with a longer --timeout: counted in the last bucket.
      counts[bucket === -1 ? counts.length - 1 : bucket]! += value.countAtValueIteratedTo;
    }
    const first = counts.findIndex((c) => c > 0);
    const last = counts.findLastIndex((c) => c > 0);
    const bucket = (count: number, i: number): LatencyBucket => ({ upToMs: LATENCY_BUCKETS_MS[first + i]!, count });
    return Array.from(counts.subarray(first, last + 1), bucket);
  }

  reset(): void {
    this.#histogram.reset();
  }
}
