/**
 * Runs a user's traffic driver module (`--drive ./driver.mjs`) in its own process, so the traffic
 * never shares a heap or an event loop with the measured program or with memprobe.
 *
 * The module's default export is `async ({ port, baseUrl, signal }) => void`: it sends traffic until
 * `signal` aborts, and may return `{ requests }` (how many operations it completed).
 */
import { isToDriver, type FromDriver } from './driver-protocol.js';
import { importModule } from '../modules/import-module.js';

type Driver = (context: { port: number; baseUrl: string; signal: AbortSignal }) => unknown;

const abort = new AbortController();
/** Sends the outcome and leaves once it is flushed (or at once, with no channel left). */
const reply = (message: FromDriver, exit: number): void => {
  if (process.send && process.connected) process.send(message, () => process.exit(exit));
  else process.exit(exit);
};
process.on('disconnect', () => process.exit(0));
process.on('message', (message: unknown) => {
  if (!isToDriver(message)) return;
  if (message.type === 'stop') abort.abort();
  else void drive(message.file, message.port);
});

async function drive(file: string, port: number): Promise<void> {
  try {
    const module = await importModule(file);
    if (typeof module.default !== 'function') {
      throw new Error(`${file}: the default export must be a function ({ port, baseUrl, signal }) => ...`);
    }
    const context = { port, baseUrl: `http://127.0.0.1:${port}`, signal: abort.signal };
    const result = (await (module.default as Driver)(context)) as { requests?: unknown } | undefined;
    const requests = typeof result?.requests === 'number' ? result.requests : null;
    reply({ type: 'done', requests }, 0);
  } catch (error) {
    reply({ type: 'error', message: error instanceof Error ? error.message : String(error) }, 1);
  }
}
