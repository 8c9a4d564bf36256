/**
 * A process memprobe did not start, reached over its inspector (`soak --pid`, `soak --attach`), and left as it was
 * found: memprobe's helpers in its heap (globals under `Symbol.for('memprobe.*')`) are removed at the end, and an
 * inspector memprobe opened with SIGUSR1 is closed. When memprobe is killed and cannot clean up, a watchdog it put
 * into the process does the same once memprobe has not been heard from for RUNNING_WATCHDOG_MS.
 */
import {
  DEFAULT_INSPECTOR_PORT,
  INSPECTOR_CLOSE_DELAY_MS,
  RUNNING_WATCHDOG_CHECK_MS,
  RUNNING_WATCHDOG_MS,
} from '../constants.js';
import { UsageError } from '../errors.js';
import { openInspectorOf } from './attach.js';
import { CdpClient, InspectorError } from './cdp-client.js';
import type { ObservedProgram } from './program.js';

/** Which running process: by pid (its inspector opened with SIGUSR1), or an inspector address (`--inspect`). */
export type RunningTarget =
  { readonly kind: 'pid'; readonly pid: number } | { readonly kind: 'attach'; readonly address: string };

/** Every global memprobe puts into a process, by its `Symbol.for` name. */
export const MEMPROBE_GLOBALS: readonly string[] = [
  'memprobe.eventLoopDelay',
  'memprobe.gc',
  'memprobe.gcProfiler',
  'memprobe.watchdog',
];

/**
 * Puts the watchdog into the process (once) and marks memprobe as heard from now. Its `cleanup` removes every
 * memprobe global and, when memprobe opened the inspector, closes it from a timer once the session has gone.
 */
const armWatchdog = (closeInspector: boolean): string => `(() => {
  const key = Symbol.for('memprobe.watchdog');
  let dog = globalThis[key];
  if (!dog) {
    const inspector = require('node:inspector');
    dog = { seen: Date.now(), closeInspector: ${closeInspector}, timer: null };
    dog.cleanup = (closeInspector) => {
      try {
        clearInterval(dog.timer);
        try { globalThis[Symbol.for('memprobe.eventLoopDelay')]?.disable(); } catch {}
        try { globalThis[Symbol.for('memprobe.gcProfiler')]?.stop(); } catch {}
        for (const name of ${JSON.stringify(MEMPROBE_GLOBALS)}) delete globalThis[Symbol.for(name)];
        if (closeInspector)
          setTimeout(() => { try { inspector.close(); } catch {} }, ${INSPECTOR_CLOSE_DELAY_MS}).unref();
      } catch {}
    };
    dog.timer = setInterval(() => {
      if (Date.now() - dog.seen >= ${RUNNING_WATCHDOG_MS}) dog.cleanup(dog.closeInspector);
    }, ${RUNNING_WATCHDOG_CHECK_MS});
    dog.timer.unref();
    globalThis[key] = dog;
  }
  dog.seen = Date.now();
  return true;
})()`;

/** memprobe is still there: the watchdog waits another RUNNING_WATCHDOG_MS. */
export const TOUCH_WATCHDOG = `(() => {
  const dog = globalThis[Symbol.for('memprobe.watchdog')];
  if (dog) dog.seen = Date.now();
})()`;

const CLEANUP = `(() => {
  const dog = globalThis[Symbol.for('memprobe.watchdog')];
  dog?.cleanup(dog.closeInspector);
})()`;

/** How many times within RUNNING_WATCHDOG_MS memprobe tells the process it is still there. */
const WATCHDOG_TOUCHES = 5;

const LOOPBACK_HOST = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

/** `--attach HOST:PORT | http://HOST:PORT | ws://HOST:PORT/ID`: the inspector's HTTP base or WebSocket URL. */
export function parseAttachAddress(text: string): { http: string } | { ws: string } {
  const withScheme = /^[a-z]+:\/\//.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UsageError(`--attach '${text}': expected HOST:PORT or ws://HOST:PORT/ID`);
  }
  if (!['http:', 'ws:'].includes(url.protocol) || url.port === '')
    throw new UsageError(`--attach '${text}': expected HOST:PORT or ws://HOST:PORT/ID`);
  if (!LOOPBACK_HOST.test(url.hostname))
    throw new UsageError(
      `--attach '${text}': only a loopback inspector (an inspector lets anyone run code in the process); ` +
        'forward the port to 127.0.0.1 (kubectl port-forward, ssh -L) and attach there',
    );
  return url.protocol === 'ws:' ? { ws: url.href } : { http: `http://${url.host}` };
}

/** The WebSocket URL of the inspector listening at `base` (http://HOST:PORT), or null when none answers. */
async function inspectorAt(base: string): Promise<string | null> {
  try {
    const response = await fetch(`${base}/json/list`, { signal: AbortSignal.timeout(2_000) });
    const targets = (await response.json()) as Array<{ webSocketDebuggerUrl?: string }>;
    const found = targets.find((t) => t.webSocketDebuggerUrl)?.webSocketDebuggerUrl;
    // Through a port-forward the process may name its own address: the one memprobe reached it at is kept.
    return found ? `ws://${new URL(base).host}${new URL(found).pathname}` : null;
  } catch {
    return null;
  }
}

/** Connects to the process's inspector; whether memprobe opened it (only then is it closed afterwards). */
async function connect(target: RunningTarget): Promise<{ client: CdpClient; opened: boolean; address: string }> {
  if (target.kind === 'attach') {
    const parsed = parseAttachAddress(target.address);
    const url = 'ws' in parsed ? parsed.ws : await inspectorAt(parsed.http);
    if (url === null) throw new InspectorError(`no inspector answers at ${target.address}`);
    return { client: await CdpClient.connect(url), opened: false, address: url };
  }
  try {
    process.kill(target.pid, 0);
  } catch (error) {
    // EPERM: it exists but is not ours; SIGUSR1 will say so.
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') throw new InspectorError(`no process ${target.pid}`);
  }
  const base = `http://127.0.0.1:${DEFAULT_INSPECTOR_PORT}`;
  const open = await inspectorAt(base);
  if (open !== null) {
    // Already open before memprobe came: used, and left open.
    const client = await CdpClient.connect(open);
    const pid = await client.evaluate<number>('process.pid');
    if (pid === target.pid) return { client, opened: false, address: open };
    client.close();
    throw new InspectorError(
      `127.0.0.1:${DEFAULT_INSPECTOR_PORT} is the inspector of process ${pid}, not ${target.pid}: ` +
        'SIGUSR1 could not open its own there (attach to an inspector it already has with --attach)',
    );
  }
  const url = await openInspectorOf(target.pid);
  return { client: await CdpClient.connect(url), opened: true, address: url };
}

export interface RunningProcess extends ObservedProgram {
  /** Whether memprobe opened the inspector (SIGUSR1): it is closed at the end. */
  readonly openedInspector: boolean;
  /** The inspector's WebSocket address. */
  readonly address: string;
  /** The command line of the process (its `process.argv`), for the report. */
  readonly commandLine: string;
}

export async function attachRunning(target: RunningTarget): Promise<RunningProcess> {
  const { client, opened, address } = await connect(target);
  let pid: number;
  let commandLine: string;
  try {
    pid = await client.evaluate<number>('process.pid');
    if (target.kind === 'pid' && pid !== target.pid)
      throw new InspectorError(`the inspector opened belongs to process ${pid}, not ${target.pid}`);
    commandLine = await client.evaluate<string>("process.argv.join(' ')");
    await evaluateOrFail(client, armWatchdog(opened));
  } catch (error) {
    client.close();
    throw error;
  }
  const exited = client.closed.then(() => ({ code: null, signal: null }));
  let released = false;
  // memprobe is alive: the watchdog hears from it through warm-ups, pauses and snapshots, however long.
  const keepAlive = setInterval(() => {
    client.send('Runtime.evaluate', { expression: TOUCH_WATCHDOG }).catch(() => undefined);
  }, RUNNING_WATCHDOG_MS / WATCHDOG_TOUCHES);
  keepAlive.unref();
  return {
    client,
    pid,
    openedInspector: opened,
    address,
    commandLine,
    exited: new Promise((resolve) => void exited.then((outcome) => !released && resolve(outcome))),
    stderrTail: () => '',
    lastException: () => null,
    v8Flags: [],
    async release() {
      released = true;
      clearInterval(keepAlive);
      await client.send('Runtime.evaluate', { expression: CLEANUP }, 5_000).catch(() => undefined);
      client.close();
      return [];
    },
  };
}

async function evaluateOrFail(client: CdpClient, expression: string): Promise<void> {
  const result = await client.send<{ exceptionDetails?: { text: string; exception?: { description?: string } } }>(
    'Runtime.evaluate',
    { expression, includeCommandLineAPI: true },
  );
  const details = result.exceptionDetails;
  if (details)
    throw new InspectorError(`preparing the process failed: ${details.exception?.description ?? details.text}`);
}
