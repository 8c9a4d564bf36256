/**
 * Records profiles of a program over the DevTools protocol: the sampling heap profile of memory that
 * survives (a GC runs before it is read) and a CPU profile. Same formats as the soak's --profile.
 */
import { writeFileSync } from 'node:fs';
import { CPU_SAMPLING_INTERVAL_MICROS, HEAP_SAMPLING_INTERVAL_BYTES } from '../constants.js';
import type { ProfileFiles } from '../runner/profiler.js';
import type { CdpClient } from './cdp-client.js';

export async function startRemoteProfiles(client: CdpClient, files: ProfileFiles): Promise<() => Promise<void>> {
  if (files.heap !== null) {
    await client.send('HeapProfiler.enable');
    await client.send('HeapProfiler.startSampling', {
      samplingInterval: HEAP_SAMPLING_INTERVAL_BYTES,
      includeObjectsCollectedByMajorGC: false,
      includeObjectsCollectedByMinorGC: false,
    });
  }
  if (files.cpu !== null) {
    await client.send('Profiler.enable');
    await client.send('Profiler.setSamplingInterval', { interval: CPU_SAMPLING_INTERVAL_MICROS });
    await client.send('Profiler.start');
  }
  return async () => {
    if (files.heap !== null) {
      await client.send('HeapProfiler.collectGarbage');
      const { profile } = await client.send<{ profile: unknown }>('HeapProfiler.stopSampling');
      writeFileSync(files.heap, JSON.stringify(profile), { mode: 0o600 });
    }
    if (files.cpu !== null) {
      const { profile } = await client.send<{ profile: unknown }>('Profiler.stop');
      writeFileSync(files.cpu, JSON.stringify(profile), { mode: 0o600 });
    }
  };
}
