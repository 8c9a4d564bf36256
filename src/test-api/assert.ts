/**
 * `assertNoLeak` and `checkLeak`: run a function in batches with forced GCs between them, fit bytes per
 * iteration with Theil-Sen (src/analyze, the same estimator as `soak`), and name what grew when it fails.
 */
import { AssertionError } from 'node:assert';
import { resolve } from 'node:path';
import { CENSUS_BATCHES, CENSUS_MIN_ITERATIONS } from './constants.js';
import { census } from './census.js';
import { measure, Runner, type Workload } from './measure.js';
import { resolveOptions, type LeakOptions, type ResolvedOptions } from './options.js';
import { failureMessage, judge, type LeakCheck } from './result.js';

/** How many iterations the census runs: a few batches' worth, so one object per iteration stands out. */
function censusIterations(options: ResolvedOptions, check: LeakCheck): number {
  const perBatch = Math.ceil(check.iterations / Math.max(1, options.batches));
  return Math.max(CENSUS_MIN_ITERATIONS, perBatch * CENSUS_BATCHES);
}

/**
 * Measures without throwing: the figures, the verdict and, after a fail, the constructors that grew.
 *
 * @example
 * ```ts
 * const check = await checkLeak(() => parse(input), { iterations: 5_000 });
 * if (check.status !== 'pass') console.log(leakMessage(check));
 * ```
 */
export async function checkLeak<S = undefined>(fn: Workload<S>, options: LeakOptions<S> = {}): Promise<LeakCheck> {
  if (typeof fn !== 'function') throw new TypeError('memprobe/test: the first argument must be the function to check');
  const resolved = resolveOptions(options as LeakOptions<unknown>);
  const state = (options.setup ? await options.setup() : undefined) as S;
  try {
    const runner = new Runner(fn, state);
    const afterBatch = async (): Promise<void> => {
      await options.afterBatch?.();
    };
    const check = judge(await measure(runner, resolved, afterBatch), resolved);
    if (check.status !== 'fail' || !resolved.census) return check;
    const keepIn = resolved.snapshots ? resolve(resolved.snapshotDir) : null;
    const found = await census(
      censusIterations(resolved, check),
      async (count) => {
        await runner.run({ kind: 'iterations', count });
        await afterBatch();
      },
      keepIn,
    );
    return { ...check, census: found };
  } finally {
    await options.teardown?.(state);
  }
}

/** The message `assertNoLeak` throws with, for a check that did not pass. */
export function leakMessage(check: LeakCheck): string {
  return failureMessage(check);
}

/**
 * Fails (node:assert's `AssertionError`) when the function's memory or handles grow with the iterations faster than
 * the budget; returns the figures when it passes. Works in node:test, vitest, jest or any runner; no `--expose-gc`.
 *
 * @example
 * ```ts
 * import { test } from 'node:test';
 * import { assertNoLeak } from 'memprobe/test';
 * test('handler does not leak', async () => {
 *   await assertNoLeak(() => handler(request()), { iterations: 5_000, budget: '64B/iteration' });
 * });
 * ```
 */
export async function assertNoLeak<S = undefined>(fn: Workload<S>, options: LeakOptions<S> = {}): Promise<LeakCheck> {
  const check = await checkLeak(fn, options);
  if (check.status === 'pass') return check;
  throw new AssertionError({
    message: failureMessage(check),
    actual: check.heap.growth?.perIteration,
    expected: check.limitBytesPerIteration,
    operator: 'assertNoLeak',
  });
}
