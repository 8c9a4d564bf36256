/**
 * The one contract between the parent (controller.ts) and the controlled child (child.ts).
 * Messages travel over the fork IPC channel with `serialization: 'advanced'`.
 */
import type { BudgetSpec, Phase, ProbeFault, ProbeOutput } from '../types.js';
import type { ProfileFiles } from './profiler.js';
import type { EncodedSamples } from './sample-store.js';

/** How the child runs one probe. */
export interface RunSettings {
  /** Absolute path of the probe module. */
  readonly probeFile: string;
  readonly warmupMs: number;
  /** Length of the soak window (after warm-up and baseline). */
  readonly durationMs: number;
  readonly sampleIntervalMs: number;
  /** The child stretches the interval so forced GCs stay under this share of wall time. */
  readonly gcShareTarget: number;
  /** `--target MODULE` as a file URL, handed to the probe's context. */
  readonly target: string | undefined;
  /** Probe-specific options from the command line (e.g. `connections`). */
  readonly options: Readonly<Record<string, string>>;
  /** Profiles to record over the soak window, and where to write them. */
  readonly profiles: ProfileFiles;
  /** Heap snapshots to write (after the baseline, mid-soak and final samples), or null. */
  readonly snapshots: SnapshotFiles | null;
}

/** The three snapshots of the leak method: BASE, TARGET (mid-soak) and FINAL. */
export interface SnapshotFiles {
  readonly baseline: string;
  readonly target: string;
  readonly final: string;
}

export type ParentMessage =
  | { readonly type: 'run'; readonly settings: RunSettings }
  /** End the soak now and send what was measured (Ctrl-C): no teardown, no final sample. */
  | { readonly type: 'stop' };

/** Sent every PROGRESS_EVERY_MS during the soak: live progress, and proof of life for the stall timeout. */
export interface Progress {
  readonly timeMs: number;
  readonly iterations: number;
  readonly heapUsed: number;
  readonly rss: number;
}



export type ChildMessage =
  | {
      readonly type: 'ready';
      readonly name: string;
      readonly hasTeardown: boolean;
      readonly hasItems: boolean;
      readonly budgets: BudgetSpec | undefined;
      /** V8's heap size limit in bytes (`--max-old-space-size` shows here). */
      readonly heapLimit: number;
    }
  | { readonly type: 'phase'; readonly phase: Phase }
  | { readonly type: 'progress'; readonly progress: Progress }
  /** A value the probe published with context.publish (e.g. the URL of the server it started). */
  | { readonly type: 'publish'; readonly name: string; readonly value: string }
  | { readonly type: 'done'; readonly samples: EncodedSamples; readonly output: ProbeOutput; readonly stopped: boolean }
  | {
      readonly type: 'fault';
      readonly fault: ProbeFault;
      readonly samples: EncodedSamples;
      readonly output: ProbeOutput;
    };

export function isChildMessage(value: unknown): value is ChildMessage {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

export function isParentMessage(value: unknown): value is ParentMessage {
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  return type === 'run' || type === 'stop';
}
