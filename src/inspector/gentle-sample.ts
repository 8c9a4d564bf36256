/**
 * Samples of a running process that force no GC (`soak --gentle`, for production): a V8 GCProfiler put into the
 * process records the heap right after each of the process's own GCs, inside V8's GC callback (exact, unlike a
 * PerformanceObserver on 'gc' entries, whose callback runs later, after more allocation). memprobe collects the
 * records of major GCs (mark-sweep-compact) since the last collection, one short evaluation each time.
 */
import { EVENT_LOOP_RESOLUTION_MS } from '../constants.js';
import type { Sample } from '../types.js';
import type { CdpClient } from './cdp-client.js';

/** What an exception in a reading evaluation is called. */
const READING = 'reading the process';

const INSTALL = `(() => {
  const v8 = require('node:v8');
  const loopKey = Symbol.for('memprobe.eventLoopDelay');
  globalThis[loopKey] ??= require('node:perf_hooks').monitorEventLoopDelay({ resolution: ${EVENT_LOOP_RESOLUTION_MS} });
  globalThis[loopKey].enable();
  const key = Symbol.for('memprobe.gcProfiler');
  if (!globalThis[key]) {
    const profiler = new v8.GCProfiler();
    profiler.start();
    globalThis[key] = profiler;
  }
  return { heapLimit: v8.getHeapStatistics().heap_size_limit };
})()`;

/** The major GCs since the last collection (a new profiler records from now), and what is read without a GC. */
const COLLECT = `(() => {
  const start = performance.now();
  const v8 = require('node:v8');
  const key = Symbol.for('memprobe.gcProfiler');
  const data = globalThis[key]?.stop();
  const next = new v8.GCProfiler();
  next.start();
  globalThis[key] = next;
  const stats = data?.statistics ?? [];
  const majors = stats.filter((s) => s.gcType === 'MarkSweepCompact').map((s) => ({
    heapUsed: s.afterGC.heapStatistics.usedHeapSize,
    external: s.afterGC.heapStatistics.externalMemory,
    costMs: s.cost / 1000,
  }));
  const loop = globalThis[Symbol.for('memprobe.eventLoopDelay')];
  const p99 = loop && loop.count > 0 ? loop.percentile(99) / 1e6 : null;
  loop?.reset();
  let fds = null;
  try { fds = require('node:fs').readdirSync('/proc/self/fd').length; } catch {}
  const cpu = process.cpuUsage();
  const code = v8.getHeapCodeStatistics();
  return {
    majors,
    gcs: stats.length,
    spanMs: data ? data.endTime - data.startTime : 0,
    handles: process.getActiveResourcesInfo(),
    fds,
    p99,
    cpuMs: (cpu.user + cpu.system) / 1000,
    rss: process.memoryUsage.rss(),
    codeBytes: code.code_and_metadata_size + code.bytecode_and_metadata_size,
    readMs: performance.now() - start,
  };
})()`;

interface Collected {
  majors: Array<{ heapUsed: number; external: number; costMs: number }>;
  gcs: number;
  spanMs: number;
  handles: string[];
  fds: number | null;
  p99: number | null;
  cpuMs: number;
  rss: number;
  codeBytes: number;
  readMs: number;
}

/** What gentle sampling cost the process so far. */
export interface GentleCost {
  /** Main-thread time of memprobe's collections in the process. */
  readMs: number;
  /** The process's own GCs seen, and its major ones (each one sample). */
  gcs: number;
  majorGcs: number;
  /** Time in the process's own major GCs (not memprobe's: listed to compare with forced-GC mode). */
  majorGcMs: number;
}

export interface GentleSampling {
  readonly heapLimit: number | null;
  readonly cost: GentleCost;
}

export async function installGentleSampling(client: CdpClient): Promise<GentleSampling> {
  const { heapLimit } = await client.evaluate<{ heapLimit: number }>(INSTALL, READING);
  return { heapLimit, cost: { readMs: 0, gcs: 0, majorGcs: 0, majorGcMs: 0 } };
}

/**
 * The process's major GCs since the last call, one sample each (none when it made none), at `timeMs` (the
 * collection's time) less how long before it they came, spread over the span the records cover.
 */
export async function collectGentle(
  client: CdpClient,
  sampling: GentleSampling,
  phase: Sample['phase'],
  timeMs: number,
  iterations: number,
): Promise<Sample[]> {
  const c = await client.evaluate<Collected>(COLLECT, READING);
  const { cost } = sampling;
  cost.readMs += c.readMs;
  cost.gcs += c.gcs;
  cost.majorGcs += c.majors.length;
  const handlesByType: Record<string, number> = {};
  for (const type of c.handles) handlesByType[type] = (handlesByType[type] ?? 0) + 1;
  const n = c.majors.length;
  return c.majors.map((m, i) => {
    cost.majorGcMs += m.costMs;
    return {
      phase,
      timeMs: Math.max(0, timeMs - (c.spanMs * (n - 1 - i)) / Math.max(1, n)),
      iterations,
      heapBeforeGc: m.heapUsed,
      heapUsed: m.heapUsed,
      external: m.external,
      rss: c.rss,
      codeBytes: c.codeBytes,
      items: null,
      gcMs: 0,
      handles: c.handles.length,
      handlesByType,
      fds: c.fds,
      cpuMs: c.cpuMs,
      eventLoopP99Ms: c.p99,
    };
  });
}
