/**
 * Post-GC samples of a program over the DevTools protocol: handles, fds, event-loop delay and CPU are
 * read first (what reading them allocates is garbage by then), then a full GC, then memory.
 *
 * The GC and the memory reading run in one evaluation inside the program, through a `gc` function memprobe
 * gets there: HeapProfiler.collectGarbage runs the GC as a task of its own, so the program's timers could
 * allocate between it and the reading (a clean program churning Buffers read +-1.5 MB/s of external growth,
 * and flat to the byte with the GC and the reading in one evaluation).
 */
import { performance } from 'node:perf_hooks';
import { EVENT_LOOP_RESOLUTION_MS } from '../constants.js';
import type { Sample } from '../types.js';
import type { CdpClient } from './cdp-client.js';

/**
 * Installs an event-loop delay histogram and a `gc` function in the program (globals under registered symbols).
 * `gc` comes from a new context made while --expose-gc is set for a moment: the program's own globals do not
 * change. Returns whether the program has the function.
 */
const INSTALL = `(() => {
  const key = Symbol.for('memprobe.eventLoopDelay');
  globalThis[key] ??= require('node:perf_hooks').monitorEventLoopDelay({ resolution: ${EVENT_LOOP_RESOLUTION_MS} });
  globalThis[key].enable();
  const gcKey = Symbol.for('memprobe.gc');
  if (typeof globalThis[gcKey] !== 'function') {
    try {
      const v8 = require('node:v8');
      v8.setFlagsFromString('--expose-gc');
      globalThis[gcKey] = require('node:vm').runInNewContext('gc');
      v8.setFlagsFromString('--no-expose-gc');
    } catch {}
  }
  const heapLimit = require('node:v8').getHeapStatistics().heap_size_limit;
  return { gc: typeof globalThis[gcKey] === 'function', heapLimit };
})()`;

/** Compiled code and bytecode (Sample.codeBytes), read after the memory figures. */
const CODE_BYTES =
  "((c) => c.code_and_metadata_size + c.bytecode_and_metadata_size)(require('node:v8').getHeapCodeStatistics())";

/** The GC (twice: see RemoteSampling) and the memory reading, with no program code in between. */
const gcAndRead = (twice: boolean): string => `(() => {
  const gc = globalThis[Symbol.for('memprobe.gc')];
  const start = performance.now();
  gc();
  ${twice ? 'gc();' : ''}
  const gcMs = performance.now() - start;
  const m = process.memoryUsage();
  return { gcMs, heapUsed: m.heapUsed, external: m.external, rss: m.rss, codeBytes: ${CODE_BYTES} };
})()`;

const BEFORE_GC = `(() => {
  const loop = globalThis[Symbol.for('memprobe.eventLoopDelay')];
  const p99 = loop && loop.count > 0 ? loop.percentile(99) / 1e6 : null;
  loop?.reset();
  let fds = null;
  try { fds = require('node:fs').readdirSync('/proc/self/fd').length; } catch {}
  const cpu = process.cpuUsage();
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return { handles: process.getActiveResourcesInfo(), fds, p99, heapUsed: process.memoryUsage().heapUsed, cpuMs };
})()`;

const AFTER_GC = `(() => {
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, external: m.external, rss: m.rss, codeBytes: ${CODE_BYTES} };
})()`;

/** How samples of one program are taken. */
export interface RemoteSampling {
  /** The GC runs inside the program's evaluation (see INSTALL); false: HeapProfiler.collectGarbage. */
  readonly inProgramGc: boolean;
  /**
   * For a program without --no-concurrent-array-buffer-sweeping, whose dead array buffers are freed by a
   * background sweeper after the GC returns: a second GC finishes that sweep first.
   */
  readonly gcTwice: boolean;
  /** The program's heap limit (V8's heap_size_limit). */
  readonly heapLimit: number | null;
}

/** How long the program may take, after its inspector opened, to finish starting (`require` is there from then). */
/** What an exception in a sampling evaluation is called. */
const SAMPLING = 'sampling the program';
const INSTALL_RETRY_MS = 5_000;
const INSTALL_RETRY_EVERY_MS = 50;

export async function installRemoteSampling(client: CdpClient, options: { gcTwice: boolean }): Promise<RemoteSampling> {
  // The inspector opens while node is still starting: an evaluation that early can throw (seen once in CI on
  // Node 26, a bare "Uncaught"), so it is tried again for a moment before it counts.
  const deadline = performance.now() + INSTALL_RETRY_MS;
  for (;;) {
    try {
      const installed = await client.evaluate<{ gc: boolean; heapLimit: number }>(INSTALL, SAMPLING);
      return { inProgramGc: installed.gc, gcTwice: options.gcTwice, heapLimit: installed.heapLimit };
    } catch (error) {
      if (performance.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, INSTALL_RETRY_EVERY_MS));
    }
  }
}

type Memory = { gcMs: number; heapUsed: number; external: number; rss: number; codeBytes: number };

async function collectAndRead(client: CdpClient, sampling: RemoteSampling): Promise<Memory> {
  if (sampling.inProgramGc) return client.evaluate<Memory>(gcAndRead(sampling.gcTwice), SAMPLING);
  const gcStart = performance.now();
  await client.send('HeapProfiler.collectGarbage');
  if (sampling.gcTwice) await client.send('HeapProfiler.collectGarbage');
  const gcMs = performance.now() - gcStart;
  return { gcMs, ...(await client.evaluate<Omit<Memory, 'gcMs'>>(AFTER_GC, SAMPLING)) };
}

export async function sampleRemote(
  client: CdpClient,
  sampling: RemoteSampling,
  phase: Sample['phase'],
  timeMs: number,
  iterations: number,
): Promise<Sample> {
  const before = await client.evaluate<{
    handles: string[];
    fds: number | null;
    p99: number | null;
    heapUsed: number;
    cpuMs: number;
  }>(BEFORE_GC, SAMPLING);
  const after = await collectAndRead(client, sampling);
  const { gcMs } = after;
  const handlesByType: Record<string, number> = {};
  for (const type of before.handles) handlesByType[type] = (handlesByType[type] ?? 0) + 1;
  return {
    phase,
    timeMs,
    iterations,
    heapBeforeGc: before.heapUsed,
    heapUsed: after.heapUsed,
    external: after.external,
    rss: after.rss,
    codeBytes: after.codeBytes,
    items: null,
    gcMs,
    handles: before.handles.length,
    handlesByType,
    fds: before.fds,
    cpuMs: before.cpuMs,
    eventLoopP99Ms: before.p99,
  };
}
