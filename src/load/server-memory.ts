/**
 * The embedded server's memory under load, pure: from the controlled child's post-GC samples (heap +
 * external), the idle baseline, the median while loaded, memory per connection, and growth over the run
 * (Theil-Sen, robust to a one-time step such as pools filling up).
 */
import { theilSen } from '../core/slope.js';
import { median } from '../core/stats.js';
import type { Sample } from '../types.js';
import type { MemorySample, ServerMemory, StepMemory } from './types.js';

export interface MemoryWindow {
  /** Epoch ms. */
  readonly from: number;
  readonly to: number;
  readonly connections: number;
}

const bytesOf = (s: Sample): number => s.heapUsed + s.external;

/**
 * `baselineAt`: epoch ms of the child's idle baseline sample (its samples' timeMs count from there).
 * `load`: the whole loaded window; `steps`: one window per step (memory per step's connections).
 */
export function analyzeServerMemory(input: {
  readonly samples: readonly Sample[];
  readonly baselineAt: number;
  readonly load: MemoryWindow;
  readonly steps: readonly MemoryWindow[];
  readonly pid: number | null;
}): { server: ServerMemory | null; steps: Array<StepMemory | null> } {
  const baseline = input.samples.find((s) => s.phase === 'baseline');
  if (baseline === undefined) return { server: null, steps: input.steps.map(() => null) };
  const baselineBytes = bytesOf(baseline);
  const soak = input.samples.filter((s) => s.phase === 'soak');
  const within = (w: MemoryWindow): Sample[] =>
    soak.filter((s) => input.baselineAt + s.timeMs >= w.from && input.baselineAt + s.timeMs <= w.to);
  const perConnection = (bytes: number, connections: number): number | null =>
    connections > 0 ? Math.round((bytes - baselineBytes) / connections) : null;

  const loaded = within(input.load);
  const underLoadBytes = loaded.length > 0 ? median(loaded.map(bytesOf)) : null;
  const seconds = Float64Array.from(loaded, (s) => s.timeMs / 1000);
  const slope = loaded.length >= 3 ? theilSen(seconds, Float64Array.from(loaded, bytesOf)) : null;
  const samples: MemorySample[] = soak.map((s) => ({ timeMs: Math.round(s.timeMs), bytes: bytesOf(s) }));
  const server: ServerMemory = {
    pid: input.pid,
    baselineBytes,
    underLoadBytes,
    connections: input.load.connections,
    perConnectionBytes: underLoadBytes === null ? null : perConnection(underLoadBytes, input.load.connections),
    growthBytesPerSecond: slope === null ? null : Math.round(slope.slope),
    growthCiLow: slope === null ? null : Math.round(slope.ciLow),
    growthCiHigh: slope === null ? null : Math.round(slope.ciHigh),
    netChangeBytes: loaded.length >= 2 ? bytesOf(loaded[loaded.length - 1]!) - bytesOf(loaded[0]!) : null,
    gcPauseMs: Math.round(loaded.reduce((sum, s) => sum + s.gcMs, 0) * 10) / 10,
    samples,
  };
  const steps = input.steps.map((w): StepMemory | null => {
    const inStep = within(w);
    if (inStep.length === 0) return null;
    const medianBytes = median(inStep.map(bytesOf));
    return { samples: inStep.length, medianBytes, perConnectionBytes: perConnection(medianBytes, w.connections) };
  });
  return { server, steps };
}
