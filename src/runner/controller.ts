/**
 * Runs the controlled child for one probe through the process supervisor (which checks the signed channel and
 * enforces the stall timeout): collects its messages, and guarantees the child and everything it started are
 * gone before the run resolves.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { KILL_GRACE_MS, STDERR_TAIL_BYTES } from '../constants.js';
import { supervise, type Exit, type Supervised } from '../process/supervisor.js';
import type { BudgetSpec, Phase, ProbeFault, ProbeOutput, ProcessStats, Sample, SoakStop } from '../types.js';
import { monitorProcess } from './monitor.js';
import {
  signedGuard,
  type ChildMessage,
  type ParentMessage,
  type Progress,
  type RunSettings,
  type Signed,
} from './protocol.js';
import { decodeSamples } from './sample-store.js';
import { escapedNote } from '../process/owned.js';
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
  /** Problems with the probe's own budgets, checked as soon as it has loaded: any stops it before the soak. */
  readonly checkBudgets?: ((name: string, budgets: BudgetSpec | undefined) => readonly string[]) | undefined;
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
  /** What the report should say besides the analysis: processes killed at teardown, messages ignored. */
  readonly notes: readonly string[];
  /** Program mode: why and when the soak window ended, and the confirmation snapshots' span. */
  readonly windowEnd?: SoakStop;
}

function lastLine(text: string): string {
  const lines = text
    .trim()
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
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

/** What the run has collected so far; the child's messages fill it in. */
interface RunState {
  name: string | null;
  hasTeardown: boolean;
  budgets: BudgetSpec | undefined;
  heapLimit: number | null;
  samples: readonly Sample[];
  output: ProbeOutput;
  lastPhase: Phase | null;
  lastProgress: Progress | null;
  fault: ProbeFault | null;
  finished: boolean;
  windowEnd: SoakStop | null;
}

const newRun = (): RunState => ({
  name: null,
  hasTeardown: false,
  budgets: undefined,
  heapLimit: null,
  samples: [],
  output: { metrics: {}, checks: [] },
  lastPhase: null,
  lastProgress: null,
  fault: null,
  finished: false,
  windowEnd: null,
});

/** Takes one of memprobe's messages into the run; `stop` ends the child with a fault. */
function take(
  run: RunState,
  message: ChildMessage,
  options: ControllerOptions,
  stop: (fault: ProbeFault) => void,
): void {
  switch (message.type) {
    case 'ready': {
      run.name = message.name;
      run.hasTeardown = message.hasTeardown;
      run.budgets = message.budgets;
      run.heapLimit = message.heapLimit;
      const problems = options.checkBudgets?.(message.name, message.budgets) ?? [];
      if (problems.length > 0) stop({ kind: 'load', message: problems.join('; ') });
      break;
    }
    case 'phase':
      run.lastPhase = message.phase;
      break;
    case 'progress':
      run.lastProgress = message.progress;
      break;
    case 'publish':
      break;
    case 'done':
      run.samples = decodeSamples(message.samples);
      run.output = message.output;
      run.windowEnd = message.stop;
      run.finished = true;
      break;
    case 'fault':
      run.samples = decodeSamples(message.samples);
      run.output = message.output;
      run.fault ??= message.fault;
      break;
  }
}

/** The child's flags: exact `external` after each forced GC; no inlining while a heap profile charges functions. */
function childFlags(settings: RunSettings, options: ControllerOptions): string[] {
  const execArgv = ['--expose-gc', ...measuredProcessFlags({ heapProfile: settings.profiles.heap !== null })];
  if (options.maxOldSpaceSizeMb !== undefined) execArgv.push(`--max-old-space-size=${options.maxOldSpaceSizeMb}`);
  return execArgv;
}

/** Ctrl-C: ask the child for what it measured, and kill it if it does not answer within the grace time. */
function onInterrupt(
  run: RunState,
  child: Supervised<ParentMessage>,
  stop: (fault: ProbeFault) => void,
): () => () => void {
  return () => {
    run.fault ??= { kind: 'interrupted', message: 'interrupted before the probe finished' };
    child.send({ type: 'stop' });
    const timer = setTimeout(
      () => stop({ kind: 'interrupted', message: 'interrupted; the child did not stop in time' }),
      KILL_GRACE_MS,
    );
    return () => clearTimeout(timer);
  };
}

/** The run's result once the child has closed, with everything it started reaped. */
function finish(
  run: RunState,
  child: Supervised<ParentMessage>,
  exit: Exit,
  extra: {
    readonly started: number;
    readonly process: ProcessStats;
  },
): ChildRun {
  // Whatever the child started must not outlive it, in its group or out of it.
  const escaped = child.reap();
  if (!run.finished && !run.fault) run.fault = exitFault(exit.code, exit.signal, child.stderrTail(), run);
  const foreign = child.rejected();
  const notes = [
    ...escapedNote('the probe', escaped),
    ...(foreign > 0
      ? [`ignored ${foreign} message(s) the probe itself sent over memprobe's IPC channel (process.send)`]
      : []),
  ];
  const { name, hasTeardown, budgets, heapLimit, samples, output, lastPhase, fault, windowEnd } = run;
  const wallMs = performance.now() - extra.started;
  const { process: stats } = extra;
  const common = { name, hasTeardown, budgets, heapLimit, samples, output, lastPhase, fault, process: stats, wallMs };
  return { ...common, notes, ...(windowEnd ? { windowEnd } : {}) };
}

export function runInChild(settings: RunSettings, options: ControllerOptions): Promise<ChildRun> {
  const started = performance.now();
  const echo = options.verbose ? (chunk: Buffer): boolean => process.stderr.write(chunk) : undefined;
  const key = randomBytes(16).toString('hex');
  const run = newRun();
  const stop = (fault: ProbeFault): void => {
    run.fault ??= fault;
    supervised.terminate(KILL_GRACE_MS);
  };
  const onSigned = (received: Signed): void => {
    if (received.kind === 'invalid') {
      stop({ kind: 'crash', message: `the child sent an invalid message (${received.reason}); stopped` });
      return;
    }
    options.onMessage?.(received.message);
    take(run, received.message, options, stop);
  };
  const onStall = (ms: number): void => {
    const message = `the child sent nothing for ${ms} ms during ${run.lastPhase ?? 'start-up'}; killed`;
    run.fault ??= { kind: 'timeout', message };
  };
  const supervised: Supervised<ParentMessage> = supervise<Signed, ParentMessage>(
    { kind: 'fork', module: CHILD_ENTRY, execArgv: childFlags(settings, options) },
    {
      stdout: echo ? 'pipe' : 'ignore',
      onStdout: echo,
      onStderr: echo,
      stderrTailBytes: STDERR_TAIL_BYTES,
      channel: { guard: signedGuard(key), onMessage: onSigned },
      stall: { ms: options.stallTimeoutMs, onStall },
    },
  );
  const monitor = supervised.pid !== undefined ? monitorProcess(supervised.pid) : null;
  let cancelInterrupt = (): void => undefined;
  const interrupt = onInterrupt(run, supervised, stop);
  const onAbort = (): void => {
    cancelInterrupt = interrupt();
  };
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  supervised.send({ type: 'run', settings, key });

  return supervised.closed.then((exit) => {
    cancelInterrupt();
    options.signal?.removeEventListener('abort', onAbort);
    const stats = monitor?.stop() ?? { cpuPercentMean: null, peakRss: null, threads: null };
    return finish(run, supervised, exit, { started, process: stats });
  });
}
