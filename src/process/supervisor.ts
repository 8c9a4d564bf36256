/**
 * The one place that starts child processes: every probe child, program, traffic driver and load generator
 * goes through `supervise`. Each child leads a process group of its own (so what it starts goes with it),
 * carries memprobe's ownership tokens (owned.ts: found again even after leaving the group), and is handed to
 * the keeper (so it ends even when memprobe is killed). Stopping is SIGTERM to the group, then SIGKILL after a
 * grace; `reap()` ends whatever is left and says what that was.
 *
 * A forked child's IPC channel is typed both ways: what it sends passes a guard of its protocol before the
 * caller sees it (anything else is dropped and counted), and `send` takes only the protocol's messages. A stall
 * timer stops a child that has sent nothing for too long, after telling the caller.
 */
import { fork, spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { KILL_GRACE_MS } from '../constants.js';
import { keepGroup } from './keeper.js';
import { killOwned, ownedEnv, type OwnedProcess } from './owned.js';

/** A forked module (with an IPC channel, structured-clone serialization) or a spawned command. */
export type Start =
  | { readonly kind: 'fork'; readonly module: string; readonly execArgv?: readonly string[] }
  | { readonly kind: 'spawn'; readonly file: string; readonly args: readonly string[] };

/** The messages a forked child may send: `guard` lets a value through as one of them, or refuses it (null). */
export interface Channel<In> {
  readonly guard: (value: unknown) => In | null;
  /** Every message that passed the guard, in order. */
  readonly onMessage: (message: In) => void;
}

/** Stop a child that sends nothing (nothing that passes the guard) for `ms`. */
export interface Stall {
  readonly ms: number;
  /** Called once, right before the child is stopped (SIGTERM, then SIGKILL after the grace). */
  readonly onStall: (ms: number) => void;
}

export interface SuperviseOptions<In = never> {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** The child's stdout: read and dropped (`ignore`), passed to ours (`inherit`), or piped to `onStdout`. */
  readonly stdout?: 'ignore' | 'inherit' | 'pipe';
  readonly onStdout?: (chunk: Buffer) => void;
  /** Every stderr chunk; the last `stderrTailBytes` are kept for fault messages either way. */
  readonly onStderr?: (chunk: Buffer) => void;
  readonly stderrTailBytes?: number;
  /** A forked child's messages; without it they are dropped. */
  readonly channel?: Channel<In>;
  readonly stall?: Stall;
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface Supervised<Out = never> {
  readonly child: ChildProcess;
  readonly pid: number | undefined;
  /** Resolves when the child has exited and its output ended (or shortly after exit, should a grandchild hold it). */
  readonly closed: Promise<Exit>;
  stderrTail(): string;
  /** Sends a message of the child's protocol; dropped when the channel is gone (the child is ending). */
  send(message: Out): void;
  /** How many values the child sent that the channel's guard refused. */
  rejected(): number;
  /** Signals the whole process group. */
  signal(signal: NodeJS.Signals): void;
  /** SIGTERM to the group now, SIGKILL after `graceMs`; once (later calls do nothing). */
  terminate(graceMs?: number): void;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves when closed. */
  stop(graceMs?: number): Promise<Exit>;
  /** SIGKILLs the group and every process still carrying this child's token; returns those that escaped the group. */
  reap(): OwnedProcess[];
}

/** How long 'close' may trail 'exit' (a grandchild holding the stderr pipe) before the child counts as closed. */
const CLOSE_AFTER_EXIT_MS = 500;
const DEFAULT_TAIL_BYTES = 16 * 1024;

function start(what: Start, options: SuperviseOptions<unknown>, env: NodeJS.ProcessEnv): ChildProcess {
  const stdio: StdioOptions = ['ignore', options.stdout ?? 'ignore', 'pipe'];
  const common = { env, cwd: options.cwd, detached: true };
  if (what.kind === 'spawn') return spawn(what.file, [...what.args], { ...common, stdio });
  const execArgv = [...(what.execArgv ?? [])];
  return fork(what.module, [], { ...common, execArgv, serialization: 'advanced', stdio: [...stdio, 'ipc'] });
}

/** Resolves once the child has closed, or CLOSE_AFTER_EXIT_MS after its exit; `onExit` hears of the exit first. */
function closedOf(child: ChildProcess, onExit: (exit: Exit) => void): Promise<Exit> {
  return new Promise<Exit>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    let exit: Exit | null = null;
    const done = (code: number | null, signal: NodeJS.Signals | null): void => {
      clearTimeout(timer);
      exit ??= { code, signal };
      onExit(exit);
      resolve(exit);
    };
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      onExit(exit);
      timer = setTimeout(() => done(code, signal), CLOSE_AFTER_EXIT_MS);
    });
    child.once('close', done);
    // A command that cannot start (ENOENT) emits 'error' and 'close' but never 'exit'.
  });
}

/** Signals the child's process group (or the child alone, where there is none). */
function groupSignal(child: ChildProcess): (sig: NodeJS.Signals) => void {
  return (sig) => {
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
}

/** Delivers the messages that pass the guard, counts the others, and keeps the stall timer armed. */
function listen<In>(
  child: ChildProcess,
  options: SuperviseOptions<In>,
  stalled: () => void,
): {
  rejected: () => number;
  stop: () => void;
} {
  let rejected = 0;
  let timer: NodeJS.Timeout | undefined;
  const stall = options.stall;
  const arm = (): void => {
    if (stall === undefined) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      stall.onStall(stall.ms);
      stalled();
    }, stall.ms);
  };
  arm();
  child.on('message', (value: unknown) => {
    const message = options.channel?.guard(value) ?? null;
    if (message === null) {
      rejected++;
      return;
    }
    arm();
    options.channel?.onMessage(message);
  });
  return { rejected: () => rejected, stop: () => clearTimeout(timer) };
}

export function supervise<In = never, Out = never>(what: Start, options: SuperviseOptions<In> = {}): Supervised<Out> {
  const { token, env } = ownedEnv(options.env ?? process.env);
  const child = start(what, options as SuperviseOptions<unknown>, env);
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

  const signal = groupSignal(child);
  let killTimer: NodeJS.Timeout | undefined;
  const terminate = (graceMs = KILL_GRACE_MS): void => {
    if (killTimer !== undefined) return;
    signal('SIGTERM');
    killTimer = setTimeout(() => signal('SIGKILL'), graceMs);
  };
  const channel = listen(child, options, () => terminate());
  let exit: Exit | null = null;
  const closed = closedOf(child, (e) => {
    exit = e;
    channel.stop();
  });
  void closed.then(() => clearTimeout(killTimer));

  return {
    child,
    pid: child.pid,
    closed,
    stderrTail: () => tail,
    send(message) {
      if (child.connected) child.send(message as object, () => undefined);
    },
    rejected: channel.rejected,
    signal,
    terminate,
    async stop(graceMs = KILL_GRACE_MS) {
      if (exit === null) terminate(graceMs);
      return closed;
    },
    reap() {
      signal('SIGKILL');
      return killOwned(token).filter((p) => p.pgid !== child.pid);
    },
  };
}
