/**
 * How a run's --duration is shared, decided here once: every probe and program of a run (of a whole check,
 * whichever shard runs it) gets an equal share, and each share starts with its warm-up (2 s by default, at
 * most a fifth of the share).
 */
import { DEFAULT_WARMUP_MS, MAX_WARMUP_SHARE } from '../constants.js';

export interface TimePlan {
  /** One probe's or program's share of the duration, warm-up included. */
  readonly perRunMs: number;
  readonly warmupMs: number;
  /** The soak window of each share: the share less its warm-up. */
  readonly windowMs: number;
}

export function planTime(durationMs: number, runs: number, warmupMs?: number): TimePlan {
  const perRunMs = durationMs / Math.max(1, runs);
  const warmup = warmupMs ?? Math.min(DEFAULT_WARMUP_MS, perRunMs * MAX_WARMUP_SHARE);
  return { perRunMs, warmupMs: warmup, windowMs: Math.max(1, perRunMs - warmup) };
}
