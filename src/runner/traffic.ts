/**
 * Traffic for a program under soak, always from a process of its own: a driver module
 * (`--drive ./driver.mjs`), or open-model GET requests at a rate (`--drive URL --rate 200/s`) sent by the
 * `memprobe load` generator. Stopping resolves once the traffic has ended.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { DRIVE_MIN_CONNECTIONS, KILL_GRACE_MS } from '../constants.js';
import { supervise } from '../process/supervisor.js';
import { fromDriver, type FromDriver, type ToDriver } from './driver-protocol.js';
import { LOAD_SEED, OPEN_CONNECTIONS, REQUEST_TIMEOUT_MS } from '../load/defaults.js';
import { runGenerator, type GeneratorOutcome } from '../load/generator.js';

export interface Traffic {
  /** Completed requests so far, when the driver counts them. */
  readonly completed: () => number | null;
  /** A driver that failed: its message. */
  readonly failure: () => string | null;
  stop(): Promise<void>;
}

const DRIVER_ENTRY = fileURLToPath(new URL('./driver-child.js', import.meta.url));

export function startDriverModule(file: string, port: number): Traffic {
  let requests: number | null = null;
  let failure: string | null = null;
  const onMessage = (message: FromDriver): void => {
    if (message.type === 'done') requests = message.requests;
    else failure = message.message;
  };
  const driver = supervise<FromDriver, ToDriver>(
    { kind: 'fork', module: DRIVER_ENTRY },
    { channel: { guard: fromDriver, onMessage } },
  );
  driver.send({ type: 'drive', file, port });
  return {
    completed: () => requests,
    failure: () => failure,
    async stop() {
      // The driver ends on 'stop' and reports what it counted; a driver that does not is killed after the grace.
      driver.send({ type: 'stop' });
      const timer = setTimeout(() => driver.signal('SIGKILL'), KILL_GRACE_MS);
      await driver.closed;
      clearTimeout(timer);
      driver.reap();
    },
  };
}

/** `--drive URL`: `{port}` in the URL is the port the program was given. */
export function driveUrl(template: string, port: number): URL {
  return new URL(template.replaceAll('{port}', String(port)));
}

/**
 * Sends GET requests to `url` at `rate` per second (open model, from the load generator's own process)
 * until stopped. How many completed is known once it has stopped.
 */
export function startRequestRate(url: URL, rate: number, longestMs: number): Traffic {
  const abort = new AbortController();
  const path = `${url.pathname}${url.search}`;
  let outcome: GeneratorOutcome | null = null;
  const done = runGenerator(
    {
      mode: 'open',
      origin: url.origin,
      scenario: {
        name: `GET ${path}`,
        users: 1,
        setup: [],
        operations: [{ name: `GET ${path}`, method: 'GET', path, headers: {}, body: null, weight: 1, capture: {} }],
      },
      rate,
      users: [1],
      thinkMs: 0,
      warmupMs: 0,
      stepMs: longestMs,
      connections: Math.min(OPEN_CONNECTIONS, Math.max(DRIVE_MIN_CONNECTIONS, Math.floor(rate))),
      fixedConnections: true,
      timeoutMs: REQUEST_TIMEOUT_MS,
      wsUrl: null,
      broadcastPath: null,
      seed: LOAD_SEED,
      runId: `mp${randomBytes(3).toString('hex')}`,
    },
    { signal: abort.signal },
  ).then((result) => (outcome = result));
  return {
    completed: () => {
      const steps = outcome?.result?.steps;
      return steps?.reduce((sum, step) => sum + step.operations.reduce((n, op) => n + op.completed, 0), 0) ?? null;
    },
    failure: () => outcome?.fault ?? null,
    async stop() {
      abort.abort();
      await done;
    },
  };
}
