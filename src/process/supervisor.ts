/**
 * The one place that starts child processes: every probe child, program, traffic driver and load generator
 * goes through `supervise`. Each child leads a process group of its own (so what it starts goes with it),
 * carries memprobe's ownership tokens (owned.ts: found again even after leaving the group), and is handed to
 * the keeper (so it ends even when memprobe is killed). Stopping is SIGTERM to the group, then SIGKILL after a
 * grace; `reap()` ends whatever is left and says what that was.
 */
import { fork, spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { KILL_GRACE_MS } from '../constants.js';
import { keepGroup } from './keeper.js';
import { killOwned, ownedEnv, type OwnedProcess } from './owned.js';

/** A forked module (with an IPC channel, structured-clone serialization) or a spawned command. */
export type Start =
  | { readonly kind: 'fork'; readonly module: string; readonly execArgv?: readonly string[] }
  | { readonly kind: 'spawn'; readonly file: string; readonly args: readonly string[] };

export interface SuperviseOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** The child's stdout: read and dropped (`ignore`), passed to ours (`inherit`), or piped to `onStdout`. */
  readonly stdout?: 'ignore' | 'inherit' | 'pipe';
  readonly onStdout?: (chunk: Buffer) => void;
  /** Every stderr chunk; the last `stderrTailBytes` are kept for fault messages either way. */
  readonly onStderr?: (chunk: Buffer) => void;
  readonly stderrTailBytes?: number;
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface Supervised {
  readonly child: ChildProcess;
  readonly pid: number | undefined;
  /** Resolves when the child has exited and its output ended (or shortly after exit, should a grandchild hold it). */
  readonly closed: Promise<Exit>;
  stderrTail(): string;
  /** Signals the whole process group. */
  signal(signal: NodeJS.Signals): void;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves when closed. */
  stop(graceMs?: number): Promise<Exit>;
  /** SIGKILLs the group and every process still carrying this child's token; returns those that escaped the group. */
  reap(): OwnedProcess[];
}

/** How long 'close' may trail 'exit' (a grandchild holding the stderr pipe) before the child counts as closed. */
const CLOSE_AFTER_EXIT_MS = 500;
const DEFAULT_TAIL_BYTES = 16 * 1024;

export function supervise(start: Start, options: SuperviseOptions = {}): Supervised {
  const { token, env } = ownedEnv(options.env ?? process.env);
  const stdout = options.stdout ?? 'ignore';
  const stdio: StdioOptions = ['ignore', stdout, 'pipe'];
  const child =
    start.kind === 'fork'
      ? fork(start.module, [], { execArgv: [...(start.execArgv ?? [])], env, cwd: options.cwd, serialization: 'advanced', stdio: [...stdio, 'ipc'], detached: true })
      : spawn(start.file, [...start.args], { env, cwd: options.cwd, stdio, detached: true });
  keepGroup(child.pid);
  child.on('error', () => undefined); // EPIPE, ERR_IPC_CHANNEL_CLOSED, ENOENT: 'close' tells the outcome
  let tail = '';
  const tailBytes = options.stderrTailBytes ?? DEFAULT_TAIL_BYTES;
  child.stderr?.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-tailBytes);
    options.onStderr?.(chunk);
  });
  if (options.onStdout) child.stdout?.on('data', options.onStdout);
  else child.stdout?.resume();

  let exit: Exit | null = null;
  const closed = new Promise<Exit>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const done = (code: number | null, signal: NodeJS.Signals | null): void => {
      clearTimeout(timer);
      exit ??= { code, signal };
      resolve(exit);
    };
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      timer = setTimeout(() => done(code, signal), CLOSE_AFTER_EXIT_MS);
    });
    child.once('close', done);
    // A command that cannot start (ENOENT) emits 'error' and 'close' but never 'exit'.
  });

  const signal = (sig: NodeJS.Signals): void => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, sig);
    } catch {
      try {
        child.kill(sig); // the group is gone, or this platform has no groups
      } catch {
        // already gone
      }
    }
  };

  return {
    child,
    pid: child.pid,
    closed,
    stderrTail: () => tail,
    signal,
    async stop(graceMs = KILL_GRACE_MS) {
      if (exit === null) {
        signal('SIGTERM');
        const timer = setTimeout(() => signal('SIGKILL'), graceMs);
        await closed;
        clearTimeout(timer);
      }
      return closed;
    },
    reap() {
      signal('SIGKILL');
      return killOwned(token).filter((p) => p.pgid !== child.pid);
    },
  };
}
