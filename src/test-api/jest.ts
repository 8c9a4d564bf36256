/**
 * `memprobe/jest`: registers `toLeak` on jest's `expect`. Add it to `setupFilesAfterEnv` in the jest config.
 * memprobe is an ES module package: run jest with `node --experimental-vm-modules`
 * (see docs/guides/leak-assertions.md).
 *
 * @example
 * ```js
 * // jest.config.mjs: export default { setupFilesAfterEnv: ['memprobe/jest'] };
 * test('handler does not leak', async () => {
 *   await expect(() => handler(request())).not.toLeak({ budget: '64B/iteration' });
 * });
 * ```
 */
import { makeToLeak, type ClearMocks } from './matchers.js';

interface JestExpect {
  extend(matchers: Record<string, unknown>): void;
}
interface JestObject {
  clearAllMocks(): unknown;
}

const expect = (globalThis as { expect?: JestExpect }).expect;
if (!expect)
  throw new Error('memprobe/jest: no global `expect`; load it from setupFilesAfterEnv (injectGlobals must be on)');
// In ES modules jest is not a global: its runtime puts it on import.meta.
const jest = (import.meta as { jest?: JestObject }).jest ?? (globalThis as { jest?: JestObject }).jest;
const clearMocks = (): ClearMocks => (jest ? () => void jest.clearAllMocks() : null);
expect.extend({ toLeak: makeToLeak(clearMocks) });

export type { ToLeakOptions } from './matchers.js';
