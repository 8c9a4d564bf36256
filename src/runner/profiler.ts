/**
 * Profilers in the controlled child through node's own inspector (no native addon):
 * V8's sampling heap profiler (what survives) and the CPU profiler, over the soak window.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { CPU_SAMPLING_INTERVAL_MICROS, HEAP_SAMPLING_INTERVAL_BYTES } from '../constants.js';

/** Where to write each profile; null = not wanted. */
export interface ProfileFiles {
  readonly heap: string | null;
  readonly cpu: string | null;
}

export interface RunningProfiles {
  /** Stops the profilers and writes their files (mode 0600). */
  stopAndWrite(): Promise<void>;
}

export async function startProfiles(files: ProfileFiles): Promise<RunningProfiles> {
  const session = new Session();
  session.connect();
  if (files.heap !== null) {
    await session.post('HeapProfiler.enable');
    // Objects collected by a GC are dropped from the profile: what remains is what survived.
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: HEAP_SAMPLING_INTERVAL_BYTES,
      includeObjectsCollectedByMajorGC: false,
      includeObjectsCollectedByMinorGC: false,
    });
  }
  if (files.cpu !== null) {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: CPU_SAMPLING_INTERVAL_MICROS });
    await session.post('Profiler.start');
  }
  return {
    async stopAndWrite() {
      if (files.heap !== null) {
        const { profile } = await session.post('HeapProfiler.stopSampling');
        writeFileSync(files.heap, JSON.stringify(profile), { mode: 0o600 });
      }
      if (files.cpu !== null) {
        const { profile } = await session.post('Profiler.stop');
        writeFileSync(files.cpu, JSON.stringify(profile), { mode: 0o600 });
      }
      session.disconnect();
    },
  };
}
