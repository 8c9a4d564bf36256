/**
 * Runs a user's traffic driver module (`--drive ./driver.mjs`) in its own process, so the traffic
 * never shares a heap or an event loop with the measured program or with memprobe.
 *
 * The module's default export is `async ({ port, baseUrl, signal }) => void`: it sends traffic until
 * `signal` aborts, and may return `{ requests }` (how many operations it completed).
 */
import { importModule } from './import-module.js';

type DriverMessage = { readonly type: 'drive'; readonly file: string; readonly port: number } | { readonly type: 'stop' };

type Driver = (context: { port: number; baseUrl: string; signal: AbortSignal }) => unknown;

const abort = new AbortController();
process.on('disconnect', () => process.exit(0));
process.on('message', (message: unknown) => {
  const m = message as DriverMessage;
  if (m.type === 'stop') abort.abort();
  else if (m.type === 'drive') void drive(m.file, m.port);
});

async function drive(file: string, port: number): Promise<void> {
  try {
    const module = await importModule(file);
    if (typeof module.default !== 'function') throw new Error(`${file}: the default export must be a function ({ port, baseUrl, signal }) => ...`);
    const result = (await (module.default as Driver)({ port, baseUrl: `http://127.0.0.1:${port}`, signal: abort.signal })) as { requests?: unknown } | undefined;
    const requests = typeof result?.requests === 'number' ? result.requests : null;
    process.send?.({ type: 'done', requests }, () => process.exit(0));
  } catch (error) {
    process.send?.({ type: 'error', message: error instanceof Error ? error.message : String(error) }, () => process.exit(1));
  }
}
