/**
 * How a soaked program is sampled: after a forced GC (the default: one sample each time, exact and frequent), or
 * after the process's own major GCs (`--gentle`: no GC forced, as many samples as the process makes major GCs).
 * Either way, the cost on the process is kept and told in the report.
 */
import { formatDuration, formatMs } from '../core/format.js';
import { collectGentle, installGentleSampling } from '../inspector/gentle-sample.js';
import type { ObservedProgram } from '../inspector/program.js';
import { installRemoteSampling, sampleRemote } from '../inspector/remote-sample.js';
import { EXACT_EXTERNAL_FLAG } from '../constants.js';
import type { Sample } from '../types.js';

export interface ProgramSampler {
  readonly kind: 'forced-gc' | 'gentle';
  readonly heapLimit: number | null;
  /** Samples now: one after a forced GC, or one per major GC the process made since the last call (maybe none). */
  take(phase: Sample['phase'], timeMs: number, iterations: number): Promise<Sample[]>;
  /** What sampling cost the process over `wallMs`, in one line for the report. */
  costNote(wallMs: number): string;
}

const share = (ms: number, wallMs: number): string => `${((100 * ms) / Math.max(1, wallMs)).toFixed(2)}%`;

export async function forcedGcSampler(program: ObservedProgram): Promise<ProgramSampler> {
  // Where the flag could not be given, a second GC finishes the array-buffer sweep before `external` is read.
  const sampling = await installRemoteSampling(program.client, {
    gcTwice: !program.v8Flags.includes(EXACT_EXTERNAL_FLAG),
  });
  let gcMs = 0;
  let count = 0;
  return {
    kind: 'forced-gc',
    heapLimit: sampling.heapLimit,
    async take(phase, timeMs, iterations) {
      const sample = await sampleRemote(program.client, sampling, phase, timeMs, iterations);
      gcMs += sample.gcMs;
      count++;
      return [sample];
    },
    costNote: (wallMs) =>
      `cost on the process: ${count} forced full GCs, ${formatMs(gcMs)} of its main thread ` +
      `(${share(gcMs, wallMs)} of ${formatDuration(wallMs)})`,
  };
}

export async function gentleSampler(program: ObservedProgram): Promise<ProgramSampler> {
  const sampling = await installGentleSampling(program.client);
  let first = true;
  return {
    kind: 'gentle',
    heapLimit: sampling.heapLimit,
    async take(phase, timeMs, iterations) {
      const samples = await collectGentle(program.client, sampling, phase, timeMs, iterations);
      // The first reading after the warm-up is the baseline: no GC is forced to make one.
      if (first && samples[0]) {
        first = false;
        samples[0] = { ...samples[0], phase: 'baseline' };
      }
      return samples;
    },
    costNote: (wallMs) => {
      const { readMs, gcs, majorGcs, majorGcMs } = sampling.cost;
      return (
        `cost on the process (gentle: no GC forced): ${formatMs(readMs)} of its main thread reading ` +
        `(${share(readMs, wallMs)} of ${formatDuration(wallMs)}); heap read after ${majorGcs} of its own major GCs ` +
        `(${gcs} GCs in all, ${formatMs(majorGcMs)} in major GCs it made anyway)`
      );
    },
  };
}
