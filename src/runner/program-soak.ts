/**
 * Soaks any Node program (`memprobe soak -- node server.js`): starts it with the inspector on 127.0.0.1,
 * gives it a free port as PORT, waits until it listens, drives traffic, and takes post-GC samples over
 * the DevTools protocol. The result has the shape of a probe's child run, so the same analyzer,
 * budgets and reports apply. "Teardown" here is stopping the traffic: GC recovery is what comes back then.
 */
import { createServer, connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { EXACT_EXTERNAL_FLAG, GENTLE_COLLECT_EVERY_MS, NO_INLINING_FLAGS, PROGRESS_EVERY_MS } from '../constants.js';
import { InspectorError } from '../inspector/cdp-client.js';
import { observe, type ObservedProgram } from '../inspector/program.js';
import { attachRunning, type RunningProcess, type RunningTarget } from '../inspector/running-process.js';
import { forcedGcSampler, gentleSampler, type ProgramSampler } from './program-sampler.js';
import type { Phase, ProbeFault, Sample, SoakStop } from '../types.js';
import { soakWindow, type Evidence } from './soak-window.js';
import type { ChildRun } from './controller.js';
import { nextSampleInterval } from './interval.js';
import { monitorProcess } from './monitor.js';
import { writeSnapshot } from '../inspector/heap-snapshot.js';
import type { Progress, SnapshotFiles } from './protocol.js';
import type { Traffic } from './traffic.js';
import { escapedNote } from '../process/owned.js';
import { startProfiling } from '../inspector/profiles.js';
import type { ProfileFiles } from './profiler.js';

export interface ProgramSoakOptions {
  readonly command: readonly string[];
  /** A process memprobe did not start (`--pid`, `--attach`): soaked under its own traffic and left as found. */
  readonly running?: RunningTarget | undefined;
  /** `--gentle`: no forced GC; the heap is read after the process's own major GCs. */
  readonly gentle?: boolean | undefined;
  readonly warmupMs: number;
  readonly durationMs: number;
  readonly sampleIntervalMs: number;
  readonly gcShareTarget: number;
  /** Starts traffic against the port the program listens on; none = soak the program as it runs. */
  readonly drive?: ((port: number) => Traffic) | undefined;
  /** How long the program may take to accept connections on PORT. */
  readonly listenTimeoutMs: number;
  readonly signal?: AbortSignal | undefined;
  readonly onPhase?: ((phase: Phase) => void) | undefined;
  readonly onProgress?: ((progress: Progress) => void) | undefined;
  /** Heap snapshots after the baseline, mid-soak and final samples, streamed to these files. */
  readonly snapshots?: SnapshotFiles | undefined;
  /** Profiles over the soak window, recorded over the program's inspector session. */
  readonly profiles?: ProfileFiles | undefined;
  /** The leak question: weighed at each look of a schedule, or once at the end of a fixed-length run. */
  readonly evidence?: Evidence | undefined;
}

/** How long to wait for the protocol's last events after the program exits. */
const EXIT_SETTLE_MS = 200;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForListening(port: number, timeoutMs: number, gone: () => boolean): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline && !gone()) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (gone()) throw new InspectorError('the program exited before it listened on its PORT');
  throw new InspectorError(
    `the program did not listen on 127.0.0.1:${port} (its PORT environment variable) within ${timeoutMs} ms`,
  );
}

function exitFault(
  program: ObservedProgram,
  outcome: { code: number | null; signal: NodeJS.Signals | null },
  samples: readonly Sample[],
  peakRss: number | null,
): ProbeFault {
  const stderr = program.stderrTail();
  const last = samples.at(-1);
  const mb = (bytes: number): string => `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  const rss = peakRss !== null ? `, peak rss ${mb(peakRss)}` : '';
  const memory = last ? `; last post-GC heap ${mb(last.heapUsed)}${rss}` : rss ? `;${rss.slice(1)}` : '';
  if (/heap out of memory|Reached heap limit/i.test(stderr))
    return { kind: 'out-of-memory', message: `the program ran out of memory${memory}` };
  const how = outcome.signal
    ? `was killed by ${outcome.signal}`
    : outcome.code === null
      ? 'exited'
      : `exited with code ${outcome.code}`;
  const line = program.lastException() ?? stderr.trim().split('\n').at(-1) ?? '';
  return { kind: 'crash', message: `the program ${how} before the soak ended${line ? `: ${line}` : ''}${memory}` };
}

/** A program run before anything was measured. */
function notRunYet(options: ProgramSoakOptions): Omit<ChildRun, 'fault' | 'wallMs'> {
  return {
    name: options.command.join(' '),
    hasTeardown: options.drive !== undefined,
    budgets: undefined,
    heapLimit: null,
    samples: [],
    output: { metrics: {}, checks: [] },
    lastPhase: null,
    process: { cpuPercentMean: null, peakRss: null, threads: null },
    notes: [],
  };
}

/** One program under soak: what the steps below share. */
interface Session {
  readonly options: ProgramSoakOptions;
  readonly program: ObservedProgram;
  readonly port: number;
  readonly samples: Sample[];
  /** Whether the program is a process memprobe did not start. */
  readonly running: boolean;
  /** The mid-soak snapshot still to take (with --snapshots), forced-GC time so far, the next progress time. */
  target: string | undefined;
  gcMs: number;
  nextProgress: number;
  windowEnd: SoakStop | null;
  heapLimit: number | null;
  sampler: ProgramSampler | null;
  traffic: Traffic | null;
  exited: { code: number | null; signal: NodeJS.Signals | null } | null;
  lastPhase: Phase | null;
}

function phase(session: Session, next: Phase): void {
  session.lastPhase = next;
  session.options.onPhase?.(next);
}

/** Waits, but wakes up early when the program exits or the user interrupts. */
function pause(session: Session, ms: number): Promise<void> {
  const { signal } = session.options;
  return new Promise((resolve) => {
    const wake = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', wake);
      resolve();
    };
    const timer = setTimeout(wake, ms);
    void session.program.exited.then(wake);
    signal?.addEventListener('abort', wake, { once: true });
  });
}

const over = (session: Session): boolean => session.exited !== null || (session.options.signal?.aborted ?? false);

/** Starts the program with its inspector on 127.0.0.1 and PORT set; a fault when it never starts. */
async function start(options: ProgramSoakOptions, port: number): Promise<ObservedProgram | ProbeFault> {
  try {
    if (options.running) return await attachRunning(options.running);
    return await observe(
      { command: options.command },
      {
        env: { PORT: String(port) },
        timeoutMs: options.listenTimeoutMs,
        ...(options.signal ? { signal: options.signal } : {}),
      },
      // Exact `external` after each forced GC; no inlining while a heap profile charges allocations to functions.
      { v8Flags: [EXACT_EXTERNAL_FLAG, ...(options.profiles?.heap ? NO_INLINING_FLAGS : [])] },
    );
  } catch (error) {
    // Never started, or stopped while starting: an entry like a probe that cannot load, not a lost report.
    const message = error instanceof Error ? error.message : String(error);
    return options.signal?.aborted ? { kind: 'interrupted', message } : { kind: 'setup', message };
  }
}

/** Forced-GC samples until `untilMs` (since t0) or until `stop` says so after a sample; the mid-soak snapshot. */
async function sampleUntil(
  session: Session,
  sampler: ProgramSampler,
  t0: number,
  untilMs: number,
  stop: () => boolean = () => false,
): Promise<void> {
  const { options, samples, program } = session;
  while (!over(session) && performance.now() - t0 < untilMs) {
    const interval =
      sampler.kind === 'gentle'
        ? GENTLE_COLLECT_EVERY_MS
        : nextSampleInterval({ ...options, meanGcMs: session.gcMs / Math.max(1, samples.length - 1) });
    await pause(session, Math.min(interval, untilMs - (performance.now() - t0)));
    if (over(session)) break;
    const taken = await sampler.take('soak', performance.now() - t0, completed(session));
    for (const one of taken) session.gcMs += one.gcMs;
    samples.push(...taken);
    const sample = samples.at(-1);
    if (!sample) continue;
    if (session.target !== undefined && sample.timeMs >= options.durationMs / 2) {
      await writeSnapshot(program.client, session.target);
      session.target = undefined;
    }
    if (sample.timeMs >= session.nextProgress) {
      options.onProgress?.({
        timeMs: sample.timeMs,
        iterations: sample.iterations,
        heapUsed: sample.heapUsed,
        rss: sample.rss,
      });
      session.nextProgress = sample.timeMs + PROGRESS_EVERY_MS;
    }
    if (stop()) break;
  }
}

const completed = (session: Session): number => session.traffic?.completed() ?? 0;

/** Setup, warm-up, baseline, the soak window, teardown (traffic stopped) and the final sample. */
async function measure(session: Session): Promise<void> {
  const { options, program, samples } = session;
  phase(session, 'setup');
  const sampling = options.gentle ? await gentleSampler(program) : await forcedGcSampler(program);
  session.sampler = sampling;
  session.heapLimit = sampling.heapLimit;
  if (options.drive) {
    if (!session.running) await waitForListening(session.port, options.listenTimeoutMs, () => session.exited !== null);
    session.traffic = options.drive(session.port);
  }
  phase(session, 'warmup');
  await pause(session, options.warmupMs);
  if (over(session)) return;
  const send = (method: string, params?: object): Promise<unknown> => program.client.send(method, params);
  const profiles = options.profiles;
  const profiling = profiles !== undefined && (profiles.heap !== null || profiles.cpu !== null);
  // Started before the baseline sample, as in probe mode: what starting them allocates is not growth.
  const stopProfiles = profiling ? await startProfiling(send, profiles) : null;
  phase(session, 'baseline');
  const t0 = performance.now();
  // Gentle: the first of the process's own major GCs is the baseline (the sampler labels it).
  if (sampling.kind === 'forced-gc') samples.push(...(await sampling.take('baseline', 0, completed(session))));
  if (options.snapshots) await writeSnapshot(program.client, options.snapshots.baseline);
  phase(session, 'soak');
  session.windowEnd = await soakWindow(
    {
      sampleUntil: (untilMs, stop) => sampleUntil(session, sampling, t0, untilMs, stop),
      snapshot: (file) => writeSnapshot(program.client, file),
      elapsedMs: () => performance.now() - t0,
      over: () => over(session),
      samples: () => samples,
    },
    options.durationMs,
    options.evidence ?? null,
  );
  await stopProfiles?.();
  phase(session, 'teardown');
  await session.traffic?.stop();
  // Gentle: no final sample (it would need a forced GC); a running process's own traffic goes on anyway.
  if (over(session) || sampling.kind === 'gentle') return;
  phase(session, 'final');
  samples.push(...(await sampling.take('final', performance.now() - t0, completed(session))));
  if (options.snapshots) await writeSnapshot(program.client, options.snapshots.final);
}

export async function soakProgram(options: ProgramSoakOptions): Promise<ChildRun> {
  const started = performance.now();
  const port = await freePort();
  const program = await start(options, port);
  if (!('client' in program)) return { ...notRunYet(options), fault: program, wallMs: performance.now() - started };
  const monitor = monitorProcess(program.pid);
  const session: Session = {
    options,
    program,
    port,
    samples: [],
    running: options.running !== undefined,
    sampler: null,
    target: options.snapshots?.target,
    gcMs: 0,
    nextProgress: 0,
    windowEnd: null,
    heapLimit: null,
    traffic: null,
    exited: null,
    lastPhase: null,
  };
  void program.exited.then((outcome) => (session.exited = outcome));
  let fault: ProbeFault | null = null;
  try {
    await measure(session);
    const driverFailure = session.traffic?.failure();
    if (driverFailure) fault = { kind: 'setup', message: `the traffic driver failed: ${driverFailure}` };
  } catch (error) {
    if (session.exited === null && !(options.signal?.aborted ?? false)) {
      const message = error instanceof Error ? error.message : String(error);
      fault = { kind: session.lastPhase === 'setup' ? 'setup' : 'crash', message };
    }
  } finally {
    await session.traffic?.stop();
  }
  const stats = monitor.stop();
  if (session.exited !== null) {
    // The exception that ended the program comes over the protocol and may trail its exit by a moment.
    await new Promise((resolve) => setTimeout(resolve, EXIT_SETTLE_MS));
    fault ??= exitFault(program, session.exited, session.samples, stats.peakRss);
  }
  if (options.signal?.aborted) fault ??= { kind: 'interrupted', message: 'interrupted before the soak ended' };
  const escaped = await program.release();
  const cost = session.sampler?.costNote(performance.now() - started);
  const running = 'openedInspector' in program ? runningNote(program as RunningProcess) : null;
  const requests = session.traffic?.completed();
  return {
    name: options.command.join(' '),
    hasTeardown: options.drive !== undefined,
    budgets: undefined,
    heapLimit: session.heapLimit,
    samples: session.samples,
    output: { metrics: requests != null ? { requests } : {}, checks: [] },
    lastPhase: session.lastPhase,
    fault,
    process: stats,
    wallMs: performance.now() - started,
    notes: [...escapedNote('the program', escaped), ...(cost ? [cost] : []), ...(running ? [running] : [])],
    ...(session.windowEnd ? { windowEnd: session.windowEnd } : {}),
  };
}

/** What memprobe left behind in a process it did not start: nothing, or the inspector that was open before. */
function runningNote(program: RunningProcess): string {
  const what = `process ${program.pid} (${program.commandLine})`;
  return program.openedInspector
    ? `${what}: left as found: memprobe's globals removed, and the inspector memprobe opened (SIGUSR1) closed`
    : `${what}: memprobe's globals removed; its inspector was open before memprobe came and stays open`;
}
