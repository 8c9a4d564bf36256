/**
 * The only code that forks: starts the controlled child for one probe, collects its
 * messages, enforces the stall timeout, and guarantees the child and everything it
 * started are gone before the run resolves.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { KILL_GRACE_MS, STDERR_TAIL_BYTES } from '../constants.js';
import type { BudgetSpec, Phase, ProbeFault, ProbeOutput, ProcessStats, Sample } from '../types.js';
import { monitorProcess } from './monitor.js';
import { isChildMessage, type ChildMessage, type ParentMessage, type Progress, type RunSettings } from './protocol.js';
import { decodeSamples } from './sample-store.js';
import { measuredProcessFlags } from '../v8-flags.js';

const CHILD_ENTRY = fileURLToPath(new URL('./child.js', import.meta.url));

export interface ControllerOptions {
  /** Passed to the child as --max-old-space-size. */
  readonly maxOldSpaceSizeMb: number | undefined;
  /** Kill the child when it sends nothing for this long. */
  readonly stallTimeoutMs: number;
  /** Forward the child's stdout and stderr. */
  readonly verbose: boolean;
  /** Aborting kills the child; the run resolves with an 'interrupted' fault and what was collected. */
  readonly signal?: AbortSignal | undefined;
  /** Called for every message, e.g. to draw progress. */
  readonly onMessage?: ((message: ChildMessage) => void) | undefined;
}

/** What one child run produced: always resolved, never rejected, with whatever was collected. */
export interface ChildRun {
  readonly name: string | null;
  readonly hasTeardown: boolean;
  readonly budgets: BudgetSpec | undefined;
  readonly heapLimit: number | null;
  readonly samples: readonly Sample[];
  readonly output: ProbeOutput;
  readonly lastPhase: Phase | null;
  readonly fault: ProbeFault | null;
  readonly process: ProcessStats;
  readonly wallMs: number;
}

/** Signals the whole process group: the child was started as its leader, so grandchildren go too. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal); // group already gone, or not a group leader on this platform
  }
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.at(-1) ?? '';
}

const mb = (bytes: number): string => `${Math.round(bytes / 1024 ** 2)} MB`;

function exitFault(
  code: number | null,
  signal: NodeJS.Signals | null,
  stderr: string,
  run: { lastProgress: Progress | null; heapLimit: number | null },
): ProbeFault {
  if (/heap out of memory|Reached heap limit|Allocation failed/i.test(stderr)) {
    const last = run.lastProgress;
    const limit = run.heapLimit !== null ? ` (heap limit ${mb(run.heapLimit)})` : '';
    const at = last ? `; last progress report: heap ${mb(last.heapUsed)}, rss ${mb(last.rss)}` : '';
    return { kind: 'out-of-memory', message: `the child ran out of memory${limit}${at}` };
  }
  const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  const detail = lastLine(stderr);
  return { kind: 'crash', message: `the child ${how} before finishing${detail ? `: ${detail}` : ''}` };
}

export function runInChild(settings: RunSettings, options: ControllerOptions): Promise<ChildRun> {
  const started = performance.now();
  // Exact `external` after each forced GC; no inlining while a heap profile charges allocations to functions.
  const execArgv = ['--expose-gc', ...measuredProcessFlags({ heapProfile: settings.profiles.heap !== null })];
  if (options.maxOldSpaceSizeMb !== undefined) execArgv.push(`--max-old-space-size=${options.maxOldSpaceSizeMb}`);
  const child = fork(CHILD_ENTRY, [], {
    execArgv,
    serialization: 'advanced',
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: true,
  });
  const run = {
    name: null as string | null,
    hasTeardown: false,
    budgets: undefined as BudgetSpec | undefined,
    heapLimit: null as number | null,
    samples: [] as Sample[],
    output: { metrics: {}, checks: [] } as ProbeOutput,
    lastPhase: null as Phase | null,
    lastProgress: null as Progress | null,
    fault: null as ProbeFault | null,
    finished: false,
  };
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
    if (options.verbose) process.stderr.write(chunk);
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    if (options.verbose) process.stderr.write(chunk);
  });
  const monitor = child.pid !== undefined ? monitorProcess(child.pid) : null;

  let killTimer: NodeJS.Timeout | undefined;
  const stop = (fault: ProbeFault): void => {
    run.fault ??= fault;
    if (killTimer) return;
    killGroup(child, 'SIGTERM');
    killTimer = setTimeout(() => killGroup(child, 'SIGKILL'), KILL_GRACE_MS);
  };

  let stallTimer: NodeJS.Timeout | undefined;
  const armStallTimer = (): void => {
    clearTimeout(stallTimer);
    stallTimer = setTimeout(() => {
      const phase = run.lastPhase ?? 'start-up';
      stop({ kind: 'timeout', message: `the child sent nothing for ${options.stallTimeoutMs} ms during ${phase}; killed` });
    }, options.stallTimeoutMs);
  };
  armStallTimer();

  let abortTimer: NodeJS.Timeout | undefined;
  // Ctrl-C: ask the child for what it measured, and kill it if it does not answer within the grace time.
  const onAbort = (): void => {
    run.fault ??= { kind: 'interrupted', message: 'interrupted before the probe finished' };
    const stopMessage: ParentMessage = { type: 'stop' };
    child.send(stopMessage, () => undefined);
    abortTimer = setTimeout(() => stop({ kind: 'interrupted', message: 'interrupted; the child did not stop in time' }), KILL_GRACE_MS);
  };
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  child.on('message', (raw: unknown) => {
    if (!isChildMessage(raw)) return;
    armStallTimer();
    options.onMessage?.(raw);
    switch (raw.type) {
      case 'ready':
        run.name = raw.name;
        run.hasTeardown = raw.hasTeardown;
        run.budgets = raw.budgets;
        run.heapLimit = raw.heapLimit;
        break;
      case 'phase':
        run.lastPhase = raw.phase;
        break;
      case 'progress':
        run.lastProgress = raw.progress;
        break;
      case 'done':
        run.samples = decodeSamples(raw.samples);
        run.output = raw.output;
        run.finished = true;
        break;
      case 'fault':
        run.samples = decodeSamples(raw.samples);
        run.output = raw.output;
        run.fault ??= raw.fault;
        break;
    }
  });
  // EPIPE / ERR_IPC_CHANNEL_CLOSED while the child dies are expected; 'close' tells the outcome.
  child.on('error', () => undefined);

  const message: ParentMessage = { type: 'run', settings };
  child.send(message, () => undefined);

  return new Promise((resolve) => {
    child.once('close', (code, signal) => {
      clearTimeout(stallTimer);
      clearTimeout(killTimer);
      clearTimeout(abortTimer);
      options.signal?.removeEventListener('abort', onAbort);
      // Whatever the child started must not outlive it.
      killGroup(child, 'SIGKILL');
      if (!run.finished && !run.fault) run.fault = exitFault(code, signal, stderr, run);
      resolve({
        name: run.name,
        hasTeardown: run.hasTeardown,
        budgets: run.budgets,
        heapLimit: run.heapLimit,
        samples: run.samples,
        output: run.output,
        lastPhase: run.lastPhase,
        fault: run.fault,
        process: monitor?.stop() ?? { cpuPercentMean: null, peakRss: null, threads: null },
        wallMs: performance.now() - started,
      });
    });
  });
}
