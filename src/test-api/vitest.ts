/**
 * `memprobe/vitest`: registers `toLeak` on vitest's `expect`. Add it to `test.setupFiles` in vitest.config.
 *
 * @example
 * ```ts
 * // vitest.config.mjs: export default { test: { setupFiles: ['memprobe/vitest'] } };
 * test('handler does not leak', async () => {
 *   await expect(() => handler(request())).not.toLeak({ budget: '64B/iteration' });
 * });
 * ```
 */
import { makeToLeak, type ClearMocks } from './matchers.js';

interface VitestModule {
  readonly expect: { extend(matchers: Record<string, unknown>): void };
  readonly vi?: { clearAllMocks(): unknown };
}

/**
 * vitest keeps its own module on `globalThis.__vitest_index__` in its workers; importing 'vitest' by name instead
 * resolves from memprobe's own folder, which fails when memprobe is linked rather than installed next to vitest.
 */
async function vitest(): Promise<VitestModule> {
  const index = (globalThis as { __vitest_index__?: VitestModule }).__vitest_index__;
  if (index?.expect) return index;
  const name = 'vitest';
  return (await import(name)) as VitestModule;
}

const module = await vitest();
const clearMocks = (): ClearMocks => (module.vi ? () => void module.vi!.clearAllMocks() : null);
module.expect.extend({ toLeak: makeToLeak(clearMocks) });

export type { ToLeakOptions } from './matchers.js';
