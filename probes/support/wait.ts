/**
 * Bounded waiting: every wait in the built-in probes ends, either with what it waited for or with an error
 * that says what was lost, so a dropped message can never hang a soak.
 */

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Thrown when a guarded wait runs out of time; the message says what was awaited. */
export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
}

/** Resolves with `work`, or rejects with `WaitTimeoutError(describe())` after `ms`. */
export function withTimeout<T>(work: Promise<T>, ms: number, describe: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new WaitTimeoutError(`${describe()} (timed out after ${ms} ms)`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Polls `condition` (every tick first, then every 2 ms) until it holds or `ms` passed; returns whether it held.
 * For state that has no event to wait on (e.g. the server dropping a closed socket from its stats).
 */
export async function pollUntil(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  for (let round = 0; !condition(); round++) {
    if (performance.now() >= deadline) return false;
    await (round < 20 ? new Promise<void>((resolve) => setImmediate(resolve)) : sleep(2));
  }
  return true;
}

/** Reads a positive integer option, or `fallback`; throws on nonsense so a typo is not silently ignored. */
export function intOption(
  options: Readonly<Record<string, string>>,
  name: string,
  fallback: number,
  max = 1_000_000,
): number {
  const raw = options[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new Error(`option ${name}=${raw}: expected a whole number 0-${max}`);
  }
  return value;
}
