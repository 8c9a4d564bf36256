/**
 * The embedded target as a load run sees it: the reference notification service (or --target MODULE) in a
 * measured child whose post-GC memory is sampled as in a soak. The child is the soak runner's, which load does
 * not import: the engine starts it (engine/embedded-service.ts) and hands `runLoad` the starter.
 */
import { fileURLToPath } from 'node:url';
import type { ProbeFault, Sample } from '../types.js';
import { EMBEDDED_SAMPLE_MAX_MS, EMBEDDED_SAMPLE_MIN_MS, EMBEDDED_SAMPLES } from './defaults.js';

/** The probe the measured child runs: it starts the service and publishes its URLs (./server-probe.ts). */
export const SERVER_PROBE = fileURLToPath(new URL('./server-probe.js', import.meta.url));

/** What the embedded service is started for. */
export interface EmbeddedRequest {
  /** The longest the load can take (warm-up, steps, drain): the child must outlive it. */
  readonly loadMs: number;
  readonly durationMs: number;
  readonly steps: number;
  /** --target MODULE as a file URL, or the reference service. */
  readonly target: string | undefined;
  readonly verbose: boolean;
}

/** What the child measured, once stopped. */
export interface EmbeddedRun {
  readonly samples: readonly Sample[];
  readonly fault: ProbeFault | null;
}

export interface EmbeddedServer {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** ws://127.0.0.1:PORT/ws */
  readonly wsUrl: string;
  readonly pid: number | null;
  /** Epoch ms of the child's idle baseline sample (its samples' timeMs count from there). */
  readonly baselineAt: number;
  /** Ends the child and returns what it sampled. */
  stop(): Promise<EmbeddedRun>;
}

/** Starts the embedded service; rejects with a MemprobeError when it does not come up. */
export type StartEmbeddedServer = (request: EmbeddedRequest) => Promise<EmbeddedServer>;

/**
 * Milliseconds between the child's memory samples: about a dozen over the measured time and at least three
 * per step of a ramp, bounded (each sample's forced GC also pauses the server).
 */
export function sampleIntervalFor(durationMs: number, steps: number): number {
  const wanted = Math.min(durationMs / EMBEDDED_SAMPLES, durationMs / Math.max(1, steps) / 3);
  return Math.min(EMBEDDED_SAMPLE_MAX_MS, Math.max(EMBEDDED_SAMPLE_MIN_MS, Math.round(wanted)));
}
