/**
 * `assertReleased`: the check people write by hand with a FinalizationRegistry: create an object, drop it, force
 * GCs until it is collected, and fail with a clear message when it is not.
 */
import { AssertionError } from 'node:assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_RELEASE_TIMEOUT_MS, RELEASE_POLL_MS } from './constants.js';
import { forcedGc, nextMacrotask } from './gc.js';

export interface ReleaseOptions {
  /** How long to keep forcing GCs before failing (default 2 s). */
  readonly timeoutMs?: number;
}

/** What `assertReleased` observed when the object was collected. */
export interface Released {
  readonly status: 'released';
  readonly gcs: number;
  readonly ms: number;
}

/**
 * Created in a function of its own so no frame of the caller holds the object: only the WeakRef sees it.
 * The factory may release the object itself (return it after closing it) or the caller releases what it holds.
 */
async function track(factory: () => unknown): Promise<{ ref: WeakRef<object>; name: string }> {
  const made = await factory();
  if (made === null || (typeof made !== 'object' && typeof made !== 'function')) {
    throw new TypeError(
      `memprobe/test: assertReleased needs a factory that returns an object, got ` +
        `${made === null ? 'null' : typeof made}`,
    );
  }
  const name = (made as { constructor?: { name?: string } }).constructor?.name || typeof made;
  return { ref: new WeakRef(made as object), name };
}

/**
 * Fails when the object the factory returns is still reachable after forced GCs for `timeoutMs`.
 *
 * @example
 * ```ts
 * await assertReleased(() => {
 *   const session = new Session(server);
 *   session.close(); // must drop every reference the server holds
 *   return session;
 * });
 * ```
 */
export async function assertReleased(factory: () => unknown, options: ReleaseOptions = {}): Promise<Released> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_RELEASE_TIMEOUT_MS;
  const gc = forcedGc();
  const { ref, name } = await track(factory);
  const start = performance.now();
  let gcs = 0;
  // deref() keeps its target alive until the current job ends, so every check happens after a macrotask and a GC.
  for (;;) {
    await nextMacrotask();
    gc();
    gcs++;
    if (ref.deref() === undefined) return { status: 'released', gcs, ms: performance.now() - start };
    if (performance.now() - start >= timeoutMs) break;
    await sleep(RELEASE_POLL_MS);
  }
  throw new AssertionError({
    message:
      `the ${name} returned by the factory was still reachable after ${gcs} forced GCs over ` +
      `${Math.round(performance.now() - start)} ms: ` +
      'something still holds it (a listener, a cache or map entry, a timer or closure). ' +
      "Find the holder with assertNoLeak(..., { snapshots: 'on-fail' }) or `memprobe diff`.",
    operator: 'assertReleased',
  });
}
