/**
 * Ways to reach a program's inspector: start it with --inspect on 127.0.0.1 and a random port,
 * or open the inspector of a running process with SIGUSR1 (it listens on 127.0.0.1:9229).
 */
import { readlinkSync } from 'node:fs';
import { basename } from 'node:path';
import { supervise, type Supervised } from '../process/supervisor.js';
import { InspectorError } from './cdp-client.js';

const LISTENING = /Debugger listening on (ws:\/\/\S+)/;
/** Where node opens the inspector after SIGUSR1. */
const DEFAULT_INSPECTOR = 'http://127.0.0.1:9229';

export interface LaunchedProgram {
  readonly program: Supervised;
  readonly inspectorUrl: string;
  /**
   * Resolves when the program has finished: it exited, or it reached its end and node keeps it alive
   * only because memprobe's inspector session is attached ("Waiting for the debugger to disconnect").
   */
  readonly finished: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The program's stderr so far (last 16 KB), without the inspector's own lines. */
  stderrTail(): string;
}

export interface LaunchOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** How long the program may take to open its inspector; it is then stopped with its whole process group. */
  readonly timeoutMs?: number;
  /** Ctrl-C while waiting: the program is stopped and the launch rejects. */
  readonly signal?: AbortSignal;
  /** V8 flags for a `node` program, after --inspect (other commands get none: NODE_OPTIONS refuses them). */
  readonly nodeFlags?: readonly string[];
}

export function isNode(command: string): boolean {
  return command === 'node' || command === process.execPath || basename(command) === 'node';
}

const INSPECTOR_LINES = /^(Debugger listening on|For help, see|Debugger attached|Waiting for the debugger).*\n?/gm;

/**
 * Starts `command args` with the inspector on 127.0.0.1 and a random port (never 0.0.0.0).
 * `node ...` gets --inspect as its first flag, then `nodeFlags`; anything else (npm start) gets --inspect through
 * NODE_OPTIONS (where V8 flags are refused: `nodeFlags` are not given), and the first inspector to listen is
 * the one memprobe attaches to. A program that never opens one (not node, or a node that ignores NODE_OPTIONS)
 * is stopped with its group when the time is up.
 */
export async function launchInspected(
  command: string,
  args: readonly string[],
  options: LaunchOptions = {},
): Promise<LaunchedProgram> {
  const inspect = '--inspect=127.0.0.1:0';
  const env = { ...process.env, ...options.env };
  const flags = options.nodeFlags ?? [];
  const [file, argv] = isNode(command) ? [process.execPath, [inspect, ...flags, ...args]] : [command, [...args]];
  if (!isNode(command)) env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} ${inspect}`.trim();
  let tail = '';
  let finish: (outcome: { code: number | null; signal: NodeJS.Signals | null }) => void = () => undefined;
  const finished = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => (finish = resolve));
  let listening: (url: string) => void = () => undefined;
  const opened = new Promise<string>((resolve) => (listening = resolve));
  const program = supervise(
    { kind: 'spawn', file, args: argv },
    {
      env,
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
      onStderr: (chunk) => {
        const text = chunk.toString('utf8');
        if (text.includes('Waiting for the debugger to disconnect')) finish({ code: null, signal: null });
        const match = LISTENING.exec(text);
        if (match?.[1]) listening(match[1]);
        tail = (tail + text.replace(INSPECTOR_LINES, '')).slice(-16 * 1024);
      },
    },
  );
  void program.closed.then(finish);
  const timeoutMs = options.timeoutMs ?? 10_000;
  let timer: NodeJS.Timeout | undefined;
  let onAbort = (): void => undefined;
  const failed = new Promise<never>((_, reject) => {
    const late = `${command} did not open its inspector within ${timeoutMs} ms (is it a Node program?); stopped`;
    timer = setTimeout(() => reject(new InspectorError(late)), timeoutMs);
    onAbort = () => reject(new InspectorError(`interrupted before ${command} opened its inspector`));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    program.child.once('error', (error) => reject(new InspectorError(`cannot start ${command}: ${error.message}`)));
    void program.closed.then((exit) => {
      const last = tail.trim().split('\n').at(-1);
      const how = exit.signal ?? `code ${exit.code}`;
      reject(new InspectorError(`${command} exited (${how}) before its inspector opened${last ? `: ${last}` : ''}`));
    });
  });
  failed.catch(() => undefined); // it may reject after the race is won (the program exits later)
  try {
    const url = await Promise.race([opened, failed]);
    return { program, inspectorUrl: url, finished, stderrTail: () => tail };
  } catch (error) {
    await program.stop();
    program.reap();
    throw error;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * SIGUSR1 ends a program that does not handle it (the signal's default action), so a mistyped pid must not
 * get it: where /proc shows the executable, it must be a node binary.
 */
function refuseNonNode(pid: number): void {
  let exe: string;
  try {
    exe = readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return; // no /proc, no such process, or not ours to read: the signal itself reports those
  }
  if (exe === process.execPath || /node/i.test(basename(exe))) return;
  throw new InspectorError(`process ${pid} runs ${exe}, not node: not sending it SIGUSR1 (it would end the process)`);
}

/** Opens the inspector of a running Node process (SIGUSR1) and returns its WebSocket URL. */
export async function openInspectorOf(pid: number, timeoutMs = 5000): Promise<string> {
  refuseNonNode(pid);
  try {
    process.kill(pid, 'SIGUSR1');
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new InspectorError(`cannot signal process ${pid}: ${why}`);
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${DEFAULT_INSPECTOR}/json/list`);
      const targets = (await response.json()) as Array<{ webSocketDebuggerUrl?: string }>;
      const url = targets.find((t) => t.webSocketDebuggerUrl)?.webSocketDebuggerUrl;
      if (url) return url;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new InspectorError(
    `process ${pid} did not open its inspector on ${DEFAULT_INSPECTOR} within ${timeoutMs} ms ` +
      '(is it a Node process? is port 9229 taken?)',
  );
}
