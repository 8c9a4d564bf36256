/**
 * Entry of the controlled child: forked with --expose-gc, runs one probe through
 * setup, warm-up, baseline, soak, teardown and final sample. Samples go into a preallocated
 * store sent once at the end, so the bookkeeping does not read as growth.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { getHeapCodeStatistics, getHeapStatistics, writeHeapSnapshot } from 'node:v8';
import { EVENT_LOOP_RESOLUTION_MS, EXACT_EXTERNAL_FLAG, PROGRESS_EVERY_MS } from '../constants.js';
import { writePrivateWith } from '../output-file.js';
import { maxSamples, nextSampleInterval } from './interval.js';
import type { Phase, ProbeCheck, ProbeContext, ProbeDefinition, ProbeFault, ProbeOutput, Sample } from '../types.js';
import type { SoakStop } from '../types.js';
import { prepareImport } from '../modules/import-module.js';
import { loadProbe } from './load-probe.js';
import { startProfiles } from './profiler.js';
import { isParentMessage, type ChildEnvelope, type ChildMessage, type RunSettings } from './protocol.js';
import { decodeSamples, SampleStore } from './sample-store.js';
import { soakWindow, type WindowSteps } from './soak-window.js';

// Saved before user code runs: a probe that replaces process.send cannot cut us off.
const send = process.send?.bind(process);
const forceGc = (globalThis as { gc?: () => void }).gc;
/**
 * Without the flag (a node that does not know it), dead array buffers are freed by a background sweeper after
 * the GC returns; a second GC first finishes that sweep, so `external` is exact at the cost of one more GC.
 */
const gcTwice = !process.execArgv.includes(EXACT_EXTERNAL_FLAG);

/** Iterations run back to back for this long before the event loop gets a turn (sockets, timers, IPC). */
const SLICE_MS = 10;

/** The run's key from the parent: signs every message, so the probe's own process.send calls are told apart. */
let key = '';
const envelope = (message: ChildMessage): ChildEnvelope => ({ key, message });

function post(message: ChildMessage): void {
  try {
    send?.(envelope(message));
  } catch {
    // The parent is gone; 'disconnect' ends us.
  }
}

class ProbeFailure extends Error {
  constructor(readonly fault: ProbeFault) {
    super(fault.message);
  }
}

function faultOf(kind: ProbeFault['kind'], error: unknown): ProbeFault {
  const message = error instanceof Error ? error.message : String(error);
  const stack = error instanceof Error ? error.stack : undefined;
  return stack === undefined ? { kind, message } : { kind, message, stack };
}

async function guarded<T>(kind: ProbeFault['kind'], work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new ProbeFailure(faultOf(kind, error));
  }
}

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Open file descriptors, where the OS lists them (the listing itself holds one more, every time alike). */
function openFds(): number | null {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return null;
  }
}

/** Writes a heap snapshot readable by its owner only: it holds every string of the process. */
function snapshotTo(file: string | undefined): void {
  if (file === undefined) return;
  mkdirSync(dirname(file), { recursive: true }); // the out folder of snapshots taken to name a leak
  writePrivateWith(file, (path) => writeHeapSnapshot(path));
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

class Soak {
  /** Set by the parent's 'stop' message (Ctrl-C): end the soak and report what was measured. */
  stopped = false;
  /** Why and when the soak window ended (null until it has). */
  stop: SoakStop | null = null;
  private iterations = 0;
  private startedAt = 0;
  private gcMsTotal = 0;
  private gcCount = 0;
  private nextProgressAt = 0;
  private readonly metrics: Record<string, number> = {};
  private readonly checks = new Map<string, ProbeCheck>();
  private readonly context: ProbeContext;
  /** Event-loop delay since the previous sample; native memory, reset at every sample. */
  private readonly loopDelay = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });
  readonly store: SampleStore;

  constructor(
    private readonly probe: ProbeDefinition,
    private readonly settings: RunSettings,
  ) {
    this.context = {
      target: settings.target,
      options: settings.options,
      metric: (name, value) => {
        this.metrics[name] = value;
      },
      check: (name, actual, limit) => {
        this.metrics[name] = actual;
        this.checks.set(name, { name, actual, limit });
      },
      publish: (name, value) => post({ type: 'publish', name, value }),
    };
    const confirmMs = settings.evidence?.confirm ? 2 * settings.evidence.confirm.windowMs : 0;
    this.store = new SampleStore(maxSamples(settings.durationMs + confirmMs, settings.sampleIntervalMs));
  }

  output(): ProbeOutput {
    return { metrics: { ...this.metrics }, checks: [...this.checks.values()] };
  }

  private phase(phase: Phase): void {
    post({ type: 'phase', phase });
  }

  private progress(now: number): void {
    this.nextProgressAt = now + PROGRESS_EVERY_MS;
    const { heapUsed, rss } = process.memoryUsage();
    post({ type: 'progress', progress: { timeMs: now - this.startedAt, iterations: this.iterations, heapUsed, rss } });
  }

  /** The soak window's steps in this process: iterations between forced-GC samples, snapshots written here. */
  private steps(state: unknown): WindowSteps {
    const { settings } = this;
    let target = settings.snapshots?.target;
    const elapsedMs = (): number => performance.now() - this.startedAt;
    return {
      sampleUntil: async (untilMs, stop) => {
        while (elapsedMs() < untilMs && !this.stopped) {
          await this.iterate(state, Math.min(this.startedAt + untilMs, performance.now() + this.nextInterval()));
          if (this.stopped) break;
          this.sample(state, 'soak');
          if (target !== undefined && elapsedMs() >= settings.durationMs / 2) {
            snapshotTo(target);
            target = undefined;
          }
          if (stop?.()) break;
        }
      },
      snapshot: snapshotTo,
      elapsedMs,
      over: () => this.stopped,
      samples: () => decodeSamples(this.store.encode()),
    };
  }

  /** Runs iterations back to back until `deadline`, giving the event loop a turn every slice. */
  private async iterate(state: unknown, deadline: number): Promise<void> {
    const { probe, context } = this;
    let now = performance.now();
    let sliceEnd = now + SLICE_MS;
    while (now < deadline && !this.stopped) {
      try {
        const pending = probe.iteration(state, context);
        if (pending !== undefined && typeof (pending as Promise<void>).then === 'function') await pending;
      } catch (error) {
        const fault = faultOf('iteration', error);
        throw new ProbeFailure({ ...fault, message: `iteration ${this.iterations + 1}: ${fault.message}` });
      }
      this.iterations++;
      now = performance.now();
      if (now >= sliceEnd) {
        if (now >= this.nextProgressAt) this.progress(now);
        await yieldToLoop();
        now = performance.now();
        sliceEnd = now + SLICE_MS;
      }
    }
  }

  private sample(state: unknown, phase: Sample['phase']): void {
    const items = this.probe.items ? this.probe.items(state) : null;
    if (items !== null && (typeof items !== 'number' || !Number.isFinite(items))) {
      const shown = typeof items === 'string' ? JSON.stringify(items) : String(items);
      throw new ProbeFailure({ kind: 'iteration', message: `items() returned ${shown}, not a finite number` });
    }
    // Read before the GC, so what these calls allocate is garbage by the time the heap is measured.
    const handleTypes = process.getActiveResourcesInfo();
    const fds = openFds();
    const loop = this.loopDelay;
    const eventLoopP99Ms = loop.count > 0 ? loop.percentile(99) / 1e6 : null;
    loop.reset();
    const heapBeforeGc = process.memoryUsage().heapUsed;
    const gcStart = performance.now();
    forceGc?.();
    if (gcTwice) forceGc?.();
    const gcMs = performance.now() - gcStart;
    if (phase === 'soak') {
      this.gcMsTotal += gcMs;
      this.gcCount++;
    }
    const memory = process.memoryUsage();
    // Read after the memory figures: the object it returns is garbage by the next sample's GC.
    const code = getHeapCodeStatistics();
    const codeBytes = code.code_and_metadata_size + code.bytecode_and_metadata_size;
    this.store.push(
      {
        phase,
        timeMs: phase === 'baseline' ? 0 : performance.now() - this.startedAt,
        iterations: this.iterations,
        heapBeforeGc,
        heapUsed: memory.heapUsed,
        external: memory.external,
        rss: memory.rss,
        items,
        gcMs,
        handles: handleTypes.length,
        fds,
        cpuMs: cpuMs(),
        eventLoopP99Ms,
        codeBytes,
      },
      handleTypes,
    );
  }

  private nextInterval(): number {
    return nextSampleInterval({ ...this.settings, meanGcMs: this.gcCount > 0 ? this.gcMsTotal / this.gcCount : 0 });
  }

  async run(): Promise<void> {
    const { probe, context, settings } = this;
    this.phase('setup');
    const state = await guarded('setup', () => probe.setup?.(context));
    // Held from the global object too: snapshots are written from this process's own stack, and a store reached
    // only from there (the stack roots) would be left out of the leak clusters as transient.
    (globalThis as Record<symbol, unknown>)[Symbol.for('memprobe.probeState')] = state;
    this.phase('warmup');
    await this.iterate(state, performance.now() + settings.warmupMs);
    const { heap, cpu } = settings.profiles;
    // Started before the baseline GC, so what starting them allocates is not counted as growth.
    const stopProfiles = heap !== null || cpu !== null ? await startProfiles(settings.profiles) : null;
    this.phase('baseline');
    this.loopDelay.enable();
    this.startedAt = performance.now();
    this.sample(state, 'baseline');
    snapshotTo(settings.snapshots?.baseline);
    this.phase('soak');
    this.stop = await soakWindow(this.steps(state), settings.durationMs, settings.evidence);
    this.loopDelay.disable();
    await stopProfiles?.();
    if (this.stopped) return;
    this.phase('teardown');
    await guarded('teardown', () => probe.teardown?.(state, context));
    this.phase('final');
    this.sample(state, 'final');
    snapshotTo(settings.snapshots?.final);
  }
}

/** Sends the last message, then leaves once it is flushed: probes may leave sockets or timers behind. */
function finish(message: ChildMessage, code: number): void {
  const exit = (): never => process.exit(code);
  setTimeout(exit, 1000).unref();
  try {
    if (!send?.(envelope(message), exit)) exit();
  } catch {
    exit();
  }
}

async function main(settings: RunSettings): Promise<void> {
  let soak: Soak | undefined;
  const fail = (error: unknown): void => {
    const fault = error instanceof ProbeFailure ? error.fault : faultOf('crash', error);
    const samples = soak?.store.encode() ?? { rows: new Float64Array(0), handleTypes: [] };
    finish({ type: 'fault', fault, samples, output: soak?.output() ?? { metrics: {}, checks: [] } }, 1);
  };
  // An error thrown from a probe's timer or socket callback ends the run with its message, not a bare crash.
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  process.on('message', (message: unknown) => {
    if (isParentMessage(message) && message.type === 'stop' && soak) soak.stopped = true;
  });
  try {
    if (settings.target !== undefined) prepareImport(settings.target);
    const probe = await guarded('load', () => loadProbe(settings.probeFile));
    post({
      type: 'ready',
      name: probe.name,
      hasTeardown: typeof probe.teardown === 'function',
      hasItems: typeof probe.items === 'function',
      budgets: probe.budgets,
      heapLimit: getHeapStatistics().heap_size_limit,
    });
    soak = new Soak(probe, settings);
    await soak.run();
    const { store, stopped, stop } = soak;
    finish({ type: 'done', samples: store.encode(), output: soak.output(), stopped, stop }, 0);
  } catch (error) {
    fail(error);
  }
}

if (!send || !forceGc) {
  console.error('memprobe child: must be forked by memprobe with --expose-gc and an IPC channel');
  process.exit(2);
}
// The parent going away must never leave us, or anything the probe started in our process group, running.
process.on('disconnect', () => {
  try {
    process.kill(-process.pid, 'SIGKILL');
  } catch {
    process.exit(0);
  }
});
process.once('message', (message: unknown) => {
  if (!isParentMessage(message) || message.type !== 'run') return;
  key = message.key;
  void main(message.settings);
});
