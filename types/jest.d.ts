/**
 * Types of `memprobe/jest`: adds `toLeak` to jest's `expect` (the global one and `@jest/globals`'). Hand-written:
 * tsc cannot emit an augmentation of a module memprobe does not depend on.
 */
import type { ToLeakOptions } from '../dist/src/test-api/matchers.js';

declare global {
  namespace jest {
    interface Matchers<R> {
      /** Runs the received function in batches with forced GCs; use as `await expect(fn).not.toLeak({ budget })`. */
      toLeak(options?: ToLeakOptions<unknown>): Promise<R>;
    }
  }
}

declare module 'expect' {
  interface Matchers<R extends void | Promise<void>, T = unknown> {
    toLeak(options?: ToLeakOptions<unknown>): Promise<void>;
  }
}

export type { ToLeakOptions };
