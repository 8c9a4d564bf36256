/**
 * The `toLeak` matcher, shared by the vitest and jest entries: a thin wrapper over `checkLeak`. Written for
 * `.not.toLeak()`: the matcher "passes" when the function leaks, so `.not` fails with the leak's message.
 */
import { checkLeak, leakMessage } from './assert.js';
import type { Workload } from './measure.js';
import type { LeakOptions } from './options.js';

/** The part of jest's and vitest's matcher context used here. */
export interface MatcherContext {
  readonly isNot?: boolean;
}

export interface MatcherResult {
  readonly pass: boolean;
  readonly message: () => string;
}

/** What clears the runner's mocks between batches (`vi.clearAllMocks`, `jest.clearAllMocks`), when known. */
export type ClearMocks = (() => void) | null;

/** Options of `toLeak`: those of `assertNoLeak`, plus whether to clear the runner's mocks between batches. */
export interface ToLeakOptions<S = undefined> extends LeakOptions<S> {
  /**
   * Clear every mock's recorded calls after each batch (default true): a mock keeps every call's arguments and
   * results, which grows with the iterations like a leak (measured: a `vi.fn()` called once per iteration read
   * as ~100-200 B/iteration). Calls recorded before the check are cleared too; pass `false` to keep them.
   */
  readonly clearMocks?: boolean;
}

/** Builds the `toLeak` matcher for a runner. */
export function makeToLeak(clearMocks: () => ClearMocks) {
  return async function toLeak(
    this: MatcherContext,
    received: unknown,
    options: ToLeakOptions<unknown> = {},
  ): Promise<MatcherResult> {
    if (typeof received !== 'function') {
      return { pass: this.isNot === true, message: () => `toLeak: expected a function to run, got ${typeof received}` };
    }
    const clear = options.clearMocks === false ? null : clearMocks();
    const afterBatch = options.afterBatch ?? (clear ? async () => clear() : undefined);
    const check = await checkLeak(received as Workload<unknown>, { ...options, afterBatch });
    // An inconclusive check must not let `.not.toLeak()` pass silently.
    const pass = check.status === 'fail' || (this.isNot === true && check.status === 'inconclusive');
    const message = pass
      ? () => leakMessage(check)
      : () => `expected the function to leak, but ${check.heap.verdict.reason}; ${check.external.verdict.reason}`;
    return { pass, message };
  };
}
