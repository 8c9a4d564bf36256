/**
 * The leak question, answered from the samples alone, whatever the budgets say: does the memory the program holds
 * (post-GC heap less V8's code and bytecode, plus external memory) still grow once it has warmed up?
 *
 * 1. The series is binned by time and cut into straight segments (segments.ts); the last is the steady state,
 *    and where it starts is where the warm-up ended. Growth before it that stopped (a cache filling to its bound,
 *    a one-off table) is reported as levelled off, not as a leak.
 * 2. The steady state's Theil-Sen slope gets Sen's interval at the level of this look. A run may look at its
 *    evidence many times and stop at the first look that decides (soak without --duration): each look spends
 *    LEAK_ALPHA / looks (Bonferroni over the schedule fixed before the run), so the chance of any false call over
 *    the whole run stays at most LEAK_ALPHA whenever it stops, with no assumption on how looks depend on each other.
 * 3. A leak: the lower bound clears LEAK_FLOOR_BYTES_PER_SECOND, over the steady state and over its last half
 *    (growth that slows down, like a JIT's, levels off; a leak does not). No leak: the upper bound is under
 *    NO_LEAK_CEILING_BYTES_PER_SECOND. Otherwise undecided (a run that ends undecided is not called a leak).
 * Pure: samples in, evidence out.
 */
import {
  LEAK_ALPHA,
  LEAK_FLOOR_BYTES_PER_SECOND,
  LEVELLED_MIN_BYTES,
  MIN_NOISE_BYTES,
  MIN_STEADY_MS,
  NO_LEAK_CEILING_BYTES_PER_SECOND,
  SEGMENT_BIN_MS,
  SEGMENT_MAX_BINS,
  SEGMENT_MIN_MS,
  SEGMENT_PENALTY,
} from '../constants.js';
import { binByTime, theilSenAt } from '../core/slope.js';
import { normalQuantile } from '../core/stats.js';
import type { LeakEvidence, RateMeaning, Sample } from '../types.js';
import { segmentSeries } from './segments.js';

/** Which look at the evidence this is, of how many the run may take (1 of 1 for a fixed-length run). */
export interface Look {
  readonly index: number;
  readonly of: number;
}

/** What the program holds: the post-GC heap less code and bytecode, plus memory outside the heap. */
export const heldBytes = (s: Sample): number => s.heapUsed - (s.codeBytes ?? 0) + s.external;

const DAY_SECONDS = 86_400;

/** Weighs the soak samples at one look. `heapLimit`: the heap's limit in bytes, when known (for days to it). */
export function weighEvidence(samples: readonly Sample[], look: Look, heapLimit: number | null): LeakEvidence {
  const soak = samples.filter((s) => s.phase === 'soak');
  const alpha = LEAK_ALPHA / Math.max(1, look.of);
  const base = { confidence: 1 - alpha, look: look.index, looks: look.of, codeGrowthBytes: codeGrowth(soak) };
  const seconds = Float64Array.from(soak, (s) => s.timeMs / 1000);
  const held = Float64Array.from(soak, heldBytes);
  const span = soak.length > 1 ? seconds[seconds.length - 1]! - seconds[0]! : 0;
  const bins = Math.min(SEGMENT_MAX_BINS, Math.max(1, Math.round((span * 1000) / SEGMENT_BIN_MS)));
  const binned = binByTime(seconds, held, bins);
  const perBin = bins > 0 ? span / bins : 0;
  const pointsFor = (ms: number): number => (perBin > 0 ? Math.ceil(ms / 1000 / perBin) : 1);
  const segments = segmentSeries(binned.xs, binned.ys, {
    minPoints: pointsFor(SEGMENT_MIN_MS),
    minLastPoints: Math.min(pointsFor(MIN_STEADY_MS), Math.ceil(binned.xs.length / 2)),
    penaltyFactor: SEGMENT_PENALTY,
    minVariance: MIN_NOISE_BYTES ** 2,
  });
  const steady = segments.at(-1);
  if (!steady || steady.to - steady.from < 3) {
    const reason = `only ${soak.length} soak samples: too few to tell`;
    return { ...base, status: 'undecided', steady: null, levelled: null, reason };
  }
  // No changepoint: the steady state is the whole window, from its first sample.
  const from = steady.from === 0 ? seconds[0]! : binned.xs[steady.from]!;
  const steadyMs = (binned.xs[steady.to]! - from) * 1000;
  // One-sided bounds at alpha each: z of a two-sided interval at 2 * alpha.
  const z = normalQuantile(1 - alpha);
  const slopeSince = (t: number): ReturnType<typeof theilSenAt> => {
    const at = soak.map((_, i) => i).filter((i) => seconds[i]! >= t);
    return theilSenAt(
      Float64Array.from(at, (i) => seconds[i]!),
      Float64Array.from(at, (i) => held[i]!),
      z,
    );
  };
  const slope = slopeSince(from);
  // Growth that levels off is no leak: the steady state's last half must show the growth on its own too (both
  // must hold, so the two tests together still err at most alpha).
  const recent = slopeSince(from + (binned.xs[steady.to]! - from) / 2);
  const rise = binned.ys[steady.from]! - binned.ys[0]!;
  const levelled =
    steady.from > 0 && rise >= LEVELLED_MIN_BYTES ? { bytes: rise, untilMs: from * 1000 - soak[0]!.timeMs } : null;
  if (!slope) {
    const reason = 'the steady state has one sample time: too few to tell';
    return { ...base, status: 'undecided', steady: null, levelled, reason };
  }
  const steadyFigures = {
    fromMs: from * 1000,
    durationMs: steadyMs,
    ...rateMeaning(slope.slope, soak.at(-1)?.heapUsed ?? 0, heapLimit),
    low: slope.low,
    high: slope.high,
  };
  const result = { ...base, steady: steadyFigures, levelled };
  if (slope.low > LEAK_FLOOR_BYTES_PER_SECOND && (recent?.low ?? 0) > LEAK_FLOOR_BYTES_PER_SECOND)
    return { ...result, status: 'leak', reason: 'memory still grows after the warm-up' };
  if (slope.high < NO_LEAK_CEILING_BYTES_PER_SECOND)
    return { ...result, status: 'no-leak', reason: 'the steady state does not grow' };
  return { ...result, status: 'undecided', reason: 'growth neither proven nor ruled out' };
}

/** A rate per day, and the days until the heap's limit from `heapNow` (when known and memory grows). */
export function rateMeaning(bytesPerSecond: number, heapNow: number, heapLimit: number | null): RateMeaning {
  const daysToHeapLimit =
    heapLimit !== null && bytesPerSecond > 0 ? Math.max(0, heapLimit - heapNow) / bytesPerSecond / DAY_SECONDS : null;
  return { bytesPerSecond, bytesPerDay: bytesPerSecond * DAY_SECONDS, daysToHeapLimit };
}

/** Growth of code and bytecode over the soak (reported apart from the program's data), when it was read. */
function codeGrowth(soak: readonly Sample[]): number | null {
  const first = soak[0]?.codeBytes;
  const end = soak.at(-1)?.codeBytes;
  return first === undefined || end === undefined ? null : end - first;
}
