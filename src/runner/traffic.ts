/**
 * Traffic for a program under soak: a driver module in its own process (`--drive ./driver.mjs`).
 * Stopping resolves with how many requests completed, when the driver says.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { KILL_GRACE_MS } from '../constants.js';

export interface Traffic {
  /** Completed requests so far, when the driver counts them. */
  readonly completed: () => number | null;
  /** A driver that failed: its message. */
  readonly failure: () => string | null;
  stop(): Promise<void>;
}

const DRIVER_ENTRY = fileURLToPath(new URL('./driver-child.js', import.meta.url));

export function startDriverModule(file: string, port: number): Traffic {
  const child = fork(DRIVER_ENTRY, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced' });
  let requests: number | null = null;
  let failure: string | null = null;
  child.on('message', (message: { type?: string; requests?: number | null; message?: string }) => {
    if (message.type === 'done') requests = message.requests ?? null;
    if (message.type === 'error') failure = message.message ?? 'the driver failed';
  });
  child.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  child.send({ type: 'drive', file, port });
  return {
    completed: () => requests,
    failure: () => failure,
    async stop() {
      if (child.exitCode === null) child.send({ type: 'stop' }, () => undefined);
      const timer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
      await closed;
      clearTimeout(timer);
    },
  };
}
