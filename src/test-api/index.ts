/**
 * `memprobe/test`: leak assertions for test suites (node:test, vitest, jest or any runner).
 *
 * @example
 * ```ts
 * import { test } from 'node:test';
 * import { assertNoLeak, assertReleased } from 'memprobe/test';
 *
 * test('handler does not leak', async () => {
 *   await assertNoLeak(() => handler(request()), { iterations: 5_000, budget: '64B/iteration' });
 * });
 * test('a closed session is collected', async () => {
 *   await assertReleased(() => { const s = openSession(); s.close(); return s; });
 * });
 * ```
 */
export { assertNoLeak, checkLeak, leakMessage } from './assert.js';
export { assertReleased } from './released.js';
export { parseBudget } from './options.js';
export type { LeakOptions } from './options.js';
export type { ReleaseOptions, Released } from './released.js';
export type { LeakCheck, MemoryFigure, HandleFigure } from './result.js';
export type { Census, GrowingConstructor } from './census.js';
export type { Workload } from './measure.js';
export type { IterationGrowth, IterationVerdict } from '../analyze/per-iteration.js';
