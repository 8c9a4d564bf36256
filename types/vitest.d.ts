/**
 * Types of `memprobe/vitest`: importing it (or listing it in `test.setupFiles` and referencing these types)
 * adds `toLeak` to vitest's `expect`. Hand-written: tsc cannot emit an augmentation of a module memprobe does not
 * depend on.
 */
import type { ToLeakOptions } from '../dist/src/test-api/matchers.js';

declare module 'vitest' {
  interface Matchers<R extends void | Promise<void> = void | Promise<void>, T = unknown> {
    /** Runs the received function in batches with forced GCs; use as `await expect(fn).not.toLeak({ budget })`. */
    toLeak(options?: ToLeakOptions<unknown>): Promise<void>;
  }
}

export type { ToLeakOptions };
