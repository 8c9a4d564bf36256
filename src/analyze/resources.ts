/**
 * Resources over the soak: growth of active handles (by type) and file descriptors, event-loop delay,
 * and CPU time per iteration. Pure, like the memory analysis.
 */
import { MIN_COUNT_RISE } from '../constants.js';
import type { CountGrowth, Resources, Sample } from '../types.js';
import { theilSen } from '../core/slope.js';
import { median } from '../core/stats.js';

/** Theil-Sen slope per minute, with the net change between the first and the last quarter. */
export function countGrowth(samples: readonly Sample[], pick: (s: Sample) => number | null): CountGrowth | null {
  const points = samples
    .map((s) => [s.timeMs / 60_000, pick(s)] as const)
    .filter((p): p is readonly [number, number] => p[1] !== null);
  if (points.length < 2) return null;
  const estimate = theilSen(
    Float64Array.from(points, (p) => p[0]),
    Float64Array.from(points, (p) => p[1]),
  );
  if (!estimate) return null;
  const quarter = Math.max(1, Math.floor(points.length / 4));
  return {
    perMinute: estimate.slope,
    ciLow: estimate.ciLow,
    ciHigh: estimate.ciHigh,
    first: median(points.slice(0, quarter).map((p) => p[1]))!,
    last: median(points.slice(-quarter).map((p) => p[1]))!,
  };
}

/** CPU time per iteration over the soak, and how fast it changes relative to its mean (per minute). */
function cpuPerIteration(soak: readonly Sample[]): { micros: number | null; changePerMinute: number | null } {
  const first = soak[0];
  const last = soak.at(-1);
  if (!first || !last || last.iterations <= first.iterations) return { micros: null, changePerMinute: null };
  const micros = ((last.cpuMs - first.cpuMs) * 1000) / (last.iterations - first.iterations);
  const times: number[] = [];
  const perIteration: number[] = [];
  for (let i = 1; i < soak.length; i++) {
    const done = soak[i]!.iterations - soak[i - 1]!.iterations;
    if (done <= 0) continue;
    times.push(soak[i]!.timeMs / 60_000);
    perIteration.push(((soak[i]!.cpuMs - soak[i - 1]!.cpuMs) * 1000) / done);
  }
  const trend = times.length >= 3 ? theilSen(Float64Array.from(times), Float64Array.from(perIteration)) : null;
  return { micros, changePerMinute: trend && micros > 0 ? trend.slope / micros : null };
}

export function resourcesOf(soak: readonly Sample[]): Resources {
  const types = new Set(soak.flatMap((s) => Object.keys(s.handlesByType)));
  const growingHandleTypes = [...types]
    .map((type) => ({ type, growth: countGrowth(soak, (s) => s.handlesByType[type] ?? 0) }))
    .filter(
      (t): t is { type: string; growth: CountGrowth } =>
        t.growth !== null && t.growth.perMinute > 0 && t.growth.last > t.growth.first,
    )
    .map(({ type, growth }) => ({ type, ...growth }))
    .sort((a, b) => b.perMinute - a.perMinute);
  const p99s = soak.map((s) => s.eventLoopP99Ms).filter((v): v is number => v !== null);
  const cpu = cpuPerIteration(soak);
  return {
    handles: countGrowth(soak, (s) => s.handles),
    growingHandleTypes,
    fds: countGrowth(soak, (s) => s.fds),
    eventLoopP99Ms: p99s.length > 0 ? median(p99s) : null,
    eventLoopP99MaxMs: p99s.length > 0 ? Math.max(...p99s) : null,
    cpuMicrosPerIteration: cpu.micros,
    cpuPerIterationChangePerMinute: cpu.changePerMinute,
  };
}
