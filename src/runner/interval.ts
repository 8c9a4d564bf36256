/**
 * When to take the next forced-GC sample: the base interval, stretched so forced GCs stay under their
 * share of wall time, capped so the window still holds enough samples for a verdict, and jittered so
 * samples cannot lock onto the period of a workload (a 3 s sawtooth sampled every 255 ms reads as a leak).
 */
import { MIN_SAMPLES_FOR_VERDICT, SAMPLE_JITTER } from '../constants.js';

export interface IntervalInputs {
  readonly sampleIntervalMs: number;
  readonly gcShareTarget: number;
  /** Length of the soak window. */
  readonly durationMs: number;
  /** Mean time of the forced GCs so far (0 before the first). */
  readonly meanGcMs: number;
}

export function nextSampleInterval(inputs: IntervalInputs, random: () => number = Math.random): number {
  const { sampleIntervalMs, gcShareTarget, durationMs, meanGcMs } = inputs;
  const stretched = Math.max(sampleIntervalMs, meanGcMs / gcShareTarget);
  // Aim for twice the samples a verdict needs: each sample's own time (the GC, and a round trip to a
  // program over the inspector) comes on top of the interval, and on a busy machine it is not small.
  const planned = Math.min(stretched, Math.max(sampleIntervalMs, durationMs / (2 * MIN_SAMPLES_FOR_VERDICT)));
  return planned * (1 - SAMPLE_JITTER + 2 * SAMPLE_JITTER * random());
}

/** The most samples a window can hold (the shortest jittered interval), plus baseline and final. */
export function maxSamples(durationMs: number, sampleIntervalMs: number): number {
  return Math.ceil(durationMs / (sampleIntervalMs * (1 - SAMPLE_JITTER))) + 4;
}
