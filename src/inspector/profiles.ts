/**
 * Records profiles over the DevTools protocol: V8's sampling heap profile of memory that survives
 * (a GC runs before it is read, and collected objects are dropped from it) and a CPU profile.
 * The same commands serve an in-process inspector Session (the soak child) and a remote program.
 */
import { CPU_SAMPLING_INTERVAL_MICROS, HEAP_SAMPLING_INTERVAL_BYTES } from '../constants.js';
import { writeOutputFile } from '../output-file.js';

/** Where to write each profile; null = not wanted. */
export interface ProfileFiles {
  readonly heap: string | null;
  readonly cpu: string | null;
}

/** Sends one DevTools protocol command (inspector Session.post, or CdpClient.send). */
export type SendCommand = (method: string, params?: object) => Promise<unknown>;

/** Starts the wanted profilers; the returned function stops them and writes their files (mode 0600). */
export async function startProfiling(send: SendCommand, files: ProfileFiles): Promise<() => Promise<void>> {
  if (files.heap !== null) {
    await send('HeapProfiler.enable');
    await send('HeapProfiler.startSampling', {
      samplingInterval: HEAP_SAMPLING_INTERVAL_BYTES,
      includeObjectsCollectedByMajorGC: false,
      includeObjectsCollectedByMinorGC: false,
    });
  }
  if (files.cpu !== null) {
    await send('Profiler.enable');
    await send('Profiler.setSamplingInterval', { interval: CPU_SAMPLING_INTERVAL_MICROS });
    await send('Profiler.start');
  }
  return async () => {
    if (files.heap !== null) {
      await send('HeapProfiler.collectGarbage');
      const { profile } = (await send('HeapProfiler.stopSampling')) as { profile: unknown };
      writeOutputFile(files.heap, JSON.stringify(profile), { private: true });
    }
    if (files.cpu !== null) {
      const { profile } = (await send('Profiler.stop')) as { profile: unknown };
      writeOutputFile(files.cpu, JSON.stringify(profile), { private: true });
    }
  };
}
