/**
 * Ways to reach a program's inspector: start it with --inspect on 127.0.0.1 and a random port,
 * or open the inspector of a running process with SIGUSR1 (it listens on 127.0.0.1:9229).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { basename } from 'node:path';
import { InspectorError } from './cdp-client.js';

const LISTENING = /Debugger listening on (ws:\/\/\S+)/;
/** Where node opens the inspector after SIGUSR1. */
const DEFAULT_INSPECTOR = 'http://127.0.0.1:9229';

export interface LaunchedProgram {
  readonly child: ChildProcess;
  readonly inspectorUrl: string;
  /**
   * Resolves when the program has finished: it exited, or it reached its end and node keeps it alive
   * only because memprobe's inspector session is attached ("Waiting for the debugger to disconnect").
   */
  readonly finished: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The program's stderr so far (last 16 KB), without the inspector's own lines. */
  stderrTail(): string;
}

export function isNode(command: string): boolean {
  return command === 'node' || command === process.execPath || basename(command) === 'node';
}

/**
 * Starts `command args` with the inspector on 127.0.0.1 and a random port (never 0.0.0.0).
 * `node ...` gets --inspect as its first flag, then `nodeFlags`; anything else (npm start) gets --inspect through
 * NODE_OPTIONS (where V8 flags are refused: `nodeFlags` are not given), and the first inspector to listen is
 * the one memprobe attaches to.
 */
export async function launchInspected(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string; nodeFlags?: readonly string[] } = {},
): Promise<LaunchedProgram> {
  const inspect = '--inspect=127.0.0.1:0';
  const env = { ...process.env, ...options.env };
  const flags = options.nodeFlags ?? [];
  const [file, argv] = isNode(command) ? [process.execPath, [inspect, ...flags, ...args]] : [command, [...args]];
  if (!isNode(command)) env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} ${inspect}`.trim();
  const child = spawn(file, argv, { env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let tail = '';
  child.stdout?.resume();
  let markFinished: (outcome: { code: number | null; signal: NodeJS.Signals | null }) => void = () => undefined;
  const finished = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => (markFinished = resolve));
  child.once('exit', (code, signal) => markFinished({ code, signal }));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new InspectorError(`${command} did not open its inspector within ${options.timeoutMs ?? 10_000} ms`)), options.timeoutMs ?? 10_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new InspectorError(`cannot start ${command}: ${error.message}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new InspectorError(`${command} exited (${signal ?? `code ${code}`}) before its inspector opened${tail ? `: ${tail.trim().split('\n').at(-1)}` : ''}`));
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      if (text.includes('Waiting for the debugger to disconnect')) markFinished({ code: null, signal: null });
      const match = LISTENING.exec(text);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
      tail = (tail + text.replace(/^(Debugger listening on|For help, see|Debugger attached|Waiting for the debugger).*\n?/gm, '')).slice(-16 * 1024);
    });
  });
  return { child, inspectorUrl: url, finished, stderrTail: () => tail };
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
    throw new InspectorError(`cannot signal process ${pid}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
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
  throw new InspectorError(`process ${pid} did not open its inspector on ${DEFAULT_INSPECTOR} within ${timeoutMs} ms (is it a Node process? is port 9229 taken?)`);
}
