/**
 * Seeded synthetic sample series for analyzer tests: the same seed always gives the same samples.
 */
import type { Sample } from '../../src/types.js';

/** mulberry32: a tiny seeded PRNG. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Normal noise via Box-Muller. */
export function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

export interface SeriesSpec {
  /** Soak samples (the baseline and final samples come in addition). */
  readonly count: number;
  readonly intervalMs?: number;
  /** Post-GC heap in bytes at time t (seconds since the baseline). */
  readonly heap: (seconds: number) => number;
  readonly external?: (seconds: number) => number;
  readonly items?: (seconds: number) => number;
  /** Standard deviation of the noise added to the heap, in bytes. */
  readonly noise?: number;
  readonly seed?: number;
  readonly iterationsPerSecond?: number;
  /** Active handles (one PipeWrap, the rest Timeouts) and open fds at time t. */
  readonly handles?: (seconds: number) => number;
  readonly fds?: (seconds: number) => number;
  /** Heap after teardown + GC; no final sample when undefined. */
  readonly finalHeap?: number;
}

export function series(spec: SeriesSpec): Sample[] {
  const interval = spec.intervalMs ?? 250;
  const noise = gaussian(seeded(spec.seed ?? 1));
  const rate = spec.iterationsPerSecond ?? 1000;
  const at = (phase: Sample['phase'], seconds: number, heap?: number): Sample => {
    const heapUsed = heap ?? Math.round(spec.heap(seconds) + (spec.noise ?? 0) * noise());
    return {
      phase,
      timeMs: seconds * 1000,
      iterations: Math.round(seconds * rate),
      heapBeforeGc: heapUsed * 1.5,
      heapUsed,
      external: spec.external?.(seconds) ?? 1_000_000,
      rss: 50_000_000,
      items: spec.items ? spec.items(seconds) : null,
      gcMs: 5,
      handles: spec.handles?.(seconds) ?? 3,
      handlesByType: { PipeWrap: 1, Timeout: (spec.handles?.(seconds) ?? 3) - 1 },
      fds: spec.fds?.(seconds) ?? 20,
      cpuMs: seconds * 900,
      eventLoopP99Ms: 11,
    };
  };
  const samples = [at('baseline', 0)];
  for (let i = 1; i <= spec.count; i++) samples.push(at('soak', (i * interval) / 1000));
  if (spec.finalHeap !== undefined) samples.push(at('final', ((spec.count + 1) * interval) / 1000, spec.finalHeap));
  return samples;
}
