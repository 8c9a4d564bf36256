/**
 * The measuring loop of a leak assertion: warm-up, then batches of iterations, each followed by a forced full GC
 * and a sample of the JS heap, external memory and active handles by type. Samples go into arrays allocated
 * before the first batch: bookkeeping that grew with the batches would read as growth of the function.
 */
import { forcedGc } from './gc.js';
import type { Length, ResolvedOptions } from './options.js';

/** The function under test: called with what `setup` returned; may return a promise. */
export type Workload<S> = (state: S) => unknown;

/** Post-GC samples: index 0 is the baseline after the warm-up, then one per batch. */
export interface Series {
  readonly iterations: Float64Array;
  readonly heap: Float64Array;
  readonly external: Float64Array;
  /** Active handles and requests by type (`process.getActiveResourcesInfo()`), one count per sample. */
  readonly handles: ReadonlyMap<string, Float64Array>;
  readonly warmupIterations: number;
  /** Milliseconds spent in the function itself over the measured batches (forced GCs and sampling excluded). */
  readonly workMs: number;
  /** Milliseconds spent in forced GCs over the measured batches. */
  readonly gcMs: number;
}

/** Runs a workload `count` times or for `ms`, awaiting it only when it returns a promise. */
export class Runner<S> {
  constructor(
    private readonly fn: Workload<S>,
    private readonly state: S,
  ) {}

  /** Returns the iterations done. */
  async run(length: Length): Promise<number> {
    const { fn, state } = this;
    if (length.kind === 'iterations') {
      for (let i = 0; i < length.count; i++) {
        const result = fn(state);
        if (isThenable(result)) await result;
      }
      return length.count;
    }
    const end = performance.now() + length.ms;
    let done = 0;
    do {
      const result = fn(state);
      if (isThenable(result)) await result;
      done++;
    } while (performance.now() < end);
    return done;
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** The length of one batch: an equal share of the measured iterations or time (at least one iteration). */
function batchLength(length: Length, batches: number, index: number): Length {
  if (length.kind === 'duration') return { kind: 'duration', ms: length.ms / batches };
  const from = Math.floor((index * length.count) / batches);
  const to = Math.floor(((index + 1) * length.count) / batches);
  return { kind: 'iterations', count: Math.max(1, to - from) };
}

class HandleCounts {
  readonly byType = new Map<string, Float64Array>();
  constructor(private readonly size: number) {}

  record(index: number): void {
    // Types seen for the first time get a column (zeros before): rare, so the column allocation does not matter.
    const seen = new Map<string, number>();
    for (const type of process.getActiveResourcesInfo()) seen.set(type, (seen.get(type) ?? 0) + 1);
    for (const [type, count] of seen) {
      let column = this.byType.get(type);
      if (!column) this.byType.set(type, (column = new Float64Array(this.size)));
      column[index] = count;
    }
  }
}

/**
 * Warm-up, baseline, then `options.batches` batches with a forced GC and a sample after each.
 *
 * @example
 * ```ts
 * const series = await measure(new Runner(() => JSON.parse('{"a":1}'), undefined), resolveOptions({}), async () => {});
 * series.heap.length; // 17: the baseline and 16 batches
 * ```
 */
export async function measure<S>(
  runner: Runner<S>,
  options: ResolvedOptions,
  afterBatch: () => Promise<void>,
): Promise<Series> {
  const gc = forcedGc();
  const size = options.batches + 1;
  const iterations = new Float64Array(size);
  const heap = new Float64Array(size);
  const external = new Float64Array(size);
  const handles = new HandleCounts(size);
  const warmupIterations = await runner.run(options.warmup);
  await afterBatch();
  let done = 0;
  let workMs = 0;
  let gcMs = 0;
  for (let index = 0; index < size; index++) {
    if (index > 0) {
      const start = performance.now();
      done += await runner.run(batchLength(options.length, options.batches, index - 1));
      workMs += performance.now() - start;
      await afterBatch();
    }
    const gcStart = performance.now();
    gc();
    if (index > 0) gcMs += performance.now() - gcStart;
    const usage = process.memoryUsage();
    iterations[index] = done;
    heap[index] = usage.heapUsed;
    external[index] = usage.external;
    handles.record(index);
  }
  return { iterations, heap, external, handles: handles.byType, warmupIterations, workMs, gcMs };
}
