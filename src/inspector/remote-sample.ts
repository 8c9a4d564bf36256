/**
 * Post-GC samples of a program over the DevTools protocol: handles, fds, event-loop delay and CPU are
 * read first (what reading them allocates is garbage by then), then a full GC, then memory.
 */
import { performance } from 'node:perf_hooks';
import { EVENT_LOOP_RESOLUTION_MS } from '../constants.js';
import type { Sample } from '../types.js';
import type { CdpClient } from './cdp-client.js';

/** Installs an event-loop delay histogram in the program (one global, under a registered symbol). */
const INSTALL = `(() => {
  const key = Symbol.for('memprobe.eventLoopDelay');
  globalThis[key] ??= require('node:perf_hooks').monitorEventLoopDelay({ resolution: ${EVENT_LOOP_RESOLUTION_MS} });
  globalThis[key].enable();
  return true;
})()`;

const BEFORE_GC = `(() => {
  const loop = globalThis[Symbol.for('memprobe.eventLoopDelay')];
  const p99 = loop && loop.count > 0 ? loop.percentile(99) / 1e6 : null;
  loop?.reset();
  let fds = null;
  try { fds = require('node:fs').readdirSync('/proc/self/fd').length; } catch {}
  const cpu = process.cpuUsage();
  return { handles: process.getActiveResourcesInfo(), fds, p99, heapUsed: process.memoryUsage().heapUsed, cpuMs: (cpu.user + cpu.system) / 1000 };
})()`;

const AFTER_GC = `(() => { const m = process.memoryUsage(); return { heapUsed: m.heapUsed, external: m.external, rss: m.rss }; })()`;

async function evaluate<T>(client: CdpClient, expression: string): Promise<T> {
  // includeCommandLineAPI gives `require` in ES-module programs too.
  const result = await client.send<{ result: { value?: unknown }; exceptionDetails?: { text: string } }>('Runtime.evaluate', {
    expression,
    returnByValue: true,
    includeCommandLineAPI: true,
  });
  if (result.exceptionDetails) throw new Error(`sampling the program failed: ${result.exceptionDetails.text}`);
  return result.result.value as T;
}

export function installRemoteSampling(client: CdpClient): Promise<unknown> {
  return evaluate(client, INSTALL);
}

/**
 * One post-GC sample. `gcTwice`: for a program without --no-concurrent-array-buffer-sweeping, whose dead array
 * buffers are freed by a background sweeper after the GC returns; a second GC finishes that sweep first.
 */
export async function sampleRemote(
  client: CdpClient,
  phase: Sample['phase'],
  timeMs: number,
  iterations: number,
  options: { gcTwice: boolean } = { gcTwice: false },
): Promise<Sample> {
  const before = await evaluate<{ handles: string[]; fds: number | null; p99: number | null; heapUsed: number; cpuMs: number }>(client, BEFORE_GC);
  const gcStart = performance.now();
  await client.send('HeapProfiler.collectGarbage');
  if (options.gcTwice) await client.send('HeapProfiler.collectGarbage');
  const gcMs = performance.now() - gcStart;
  const after = await evaluate<{ heapUsed: number; external: number; rss: number }>(client, AFTER_GC);
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
    items: null,
    gcMs,
    handles: before.handles.length,
    handlesByType,
    fds: before.fds,
    cpuMs: before.cpuMs,
    eventLoopP99Ms: before.p99,
  };
}
