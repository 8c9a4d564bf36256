/**
 * Runs the controlled child for one probe (through the process supervisor): collects its messages,
 * enforces the stall timeout, and guarantees the child and everything it started are gone before the run
 * resolves.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { KILL_GRACE_MS, STDERR_TAIL_BYTES } from '../constants.js';
import { supervise } from '../process/supervisor.js';
import type { BudgetSpec, Phase, ProbeFault, ProbeOutput, ProcessStats, Sample } from '../types.js';
import { monitorProcess } from './monitor.js';
import { receive, type ChildMessage, type ParentMessage, type Progress, type RunSettings } from './protocol.js';
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
  const echo = options.verbose ? (chunk: Buffer): boolean => process.stderr.write(chunk) : undefined;
  const supervised = supervise(
    { kind: 'fork', module: CHILD_ENTRY, execArgv },
    { stdout: echo ? 'pipe' : 'ignore', onStdout: echo, onStderr: echo, stderrTailBytes: STDERR_TAIL_BYTES },
  );
  const { child } = supervised;
  const key = randomBytes(16).toString('hex');
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
    foreign: 0,
  };
  const monitor = child.pid !== undefined ? monitorProcess(child.pid) : null;

  let killTimer: NodeJS.Timeout | undefined;
  const stop = (fault: ProbeFault): void => {
    run.fault ??= fault;
    if (killTimer) return;
    supervised.signal('SIGTERM');
    killTimer = setTimeout(() => supervised.signal('SIGKILL'), KILL_GRACE_MS);
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

  child.on('message', (value: unknown) => {
    const received = receive(value, key);
    if (received.kind === 'foreign') {
      run.foreign++;
      return;
    }
    if (received.kind === 'invalid') {
      stop({ kind: 'crash', message: `the child sent an invalid message (${received.reason}); stopped` });
      return;
    }
    const raw = received.message;
    armStallTimer();
    options.onMessage?.(raw);
    switch (raw.type) {
      case 'ready': {
        run.name = raw.name;
        run.hasTeardown = raw.hasTeardown;
        run.budgets = raw.budgets;
        run.heapLimit = raw.heapLimit;
        const problems = options.checkBudgets?.(raw.name, raw.budgets) ?? [];
        if (problems.length > 0) stop({ kind: 'load', message: problems.join('; ') });
        break;
      }
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
  const message: ParentMessage = { type: 'run', settings, key };
  child.send(message, () => undefined);

  return supervised.closed.then(({ code, signal }) => {
    clearTimeout(stallTimer);
    clearTimeout(killTimer);
    clearTimeout(abortTimer);
    options.signal?.removeEventListener('abort', onAbort);
    // Whatever the child started must not outlive it, in its group or out of it.
    const escaped = supervised.reap();
    if (!run.finished && !run.fault) run.fault = exitFault(code, signal, supervised.stderrTail(), run);
    const notes = [
      ...escapedNote('the probe', escaped),
      ...(run.foreign > 0 ? [`ignored ${run.foreign} message(s) the probe itself sent over memprobe's IPC channel (process.send)`] : []),
    ];
    return {
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
      notes,
    };
  });
}
