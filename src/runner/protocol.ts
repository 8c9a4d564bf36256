/**
 * The one contract between the parent (controller.ts) and the controlled child (child.ts).
 * Messages travel over the fork IPC channel with `serialization: 'advanced'`.
 */
import type { BudgetSpec, Phase, ProbeFault, ProbeOutput, SoakStop } from '../types.js';
import type { Evidence } from './soak-window.js';
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
  /** The leak question during the window: looks until decided, and the snapshots that name a leak. */
  readonly evidence: Evidence | null;
}

/** The three snapshots of the leak method: BASE, TARGET (mid-soak) and FINAL. */
export interface SnapshotFiles {
  readonly baseline: string;
  readonly target: string;
  readonly final: string;
}

export type ParentMessage =
  /** `key` is private to this run: the child signs every message with it (see ChildEnvelope). */
  | { readonly type: 'run'; readonly settings: RunSettings; readonly key: string }
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
  | {
      readonly type: 'done';
      readonly samples: EncodedSamples;
      readonly output: ProbeOutput;
      readonly stopped: boolean;
      /** Why and when the soak window ended; null when it never ended (stopped before it). */
      readonly stop: SoakStop | null;
    }
  | {
      readonly type: 'fault';
      readonly fault: ProbeFault;
      readonly samples: EncodedSamples;
      readonly output: ProbeOutput;
    };

/**
 * What goes over the wire from the child: a message and the run's key. Probe code shares the process, and so
 * `process.send`: a message without the key is the probe's own and is ignored, never taken for memprobe's.
 */
export interface ChildEnvelope {
  readonly key: string;
  readonly message: ChildMessage;
}

/** A value received from the child: memprobe's message, something the probe sent itself, or a broken message. */
export type Received =
  | { readonly kind: 'message'; readonly message: ChildMessage }
  | { readonly kind: 'foreign' }
  | { readonly kind: 'invalid'; readonly reason: string };

type Fields = Record<string, unknown>;
const isRecord = (v: unknown): v is Fields => typeof v === 'object' && v !== null;
const numbers = (v: unknown, keys: readonly string[]): boolean =>
  isRecord(v) && keys.every((k) => typeof v[k] === 'number');
const isSamples = (v: unknown): boolean =>
  isRecord(v) && v.rows instanceof Float64Array && Array.isArray(v.handleTypes);
const isOutput = (v: unknown): boolean => isRecord(v) && isRecord(v.metrics) && Array.isArray(v.checks);
const isStop = (v: unknown): boolean =>
  v === null || (numbers(v, ['atMs', 'looks', 'of']) && typeof (v as Fields).reason === 'string');
const isFault = (v: unknown): boolean => isRecord(v) && typeof v.kind === 'string' && typeof v.message === 'string';

const VALID: Readonly<Record<ChildMessage['type'], (m: Fields) => boolean>> = {
  ready: (m) =>
    typeof m.name === 'string' &&
    typeof m.hasTeardown === 'boolean' &&
    typeof m.hasItems === 'boolean' &&
    typeof m.heapLimit === 'number' &&
    (m.budgets === undefined || isRecord(m.budgets)),
  phase: (m) => typeof m.phase === 'string',
  progress: (m) => numbers(m.progress, ['timeMs', 'iterations', 'heapUsed', 'rss']),
  publish: (m) => typeof m.name === 'string' && typeof m.value === 'string',
  done: (m) => isSamples(m.samples) && isOutput(m.output) && typeof m.stopped === 'boolean' && isStop(m.stop),
  fault: (m) => isFault(m.fault) && isSamples(m.samples) && isOutput(m.output),
};

/** Checks a value from the child's channel against the run's key and the message's shape. */
export function receive(value: unknown, key: string): Received {
  if (!isRecord(value) || value.key !== key) return { kind: 'foreign' };
  const message = value.message;
  const type = isRecord(message) ? message.type : undefined;
  if (typeof type !== 'string' || !Object.hasOwn(VALID, type)) {
    return { kind: 'invalid', reason: `unknown message type ${JSON.stringify(type)}` };
  }
  if (!VALID[type as ChildMessage['type']](message as Fields)) {
    return { kind: 'invalid', reason: `malformed '${type}' message` };
  }
  return { kind: 'message', message: message as ChildMessage };
}

/** What the signed channel lets through to the controller: memprobe's messages, well formed or not. */
export type Signed = Exclude<Received, { readonly kind: 'foreign' }>;

/** The supervisor's guard for the signed channel: what the probe sent itself (no key) is refused. */
export function signedGuard(key: string): (value: unknown) => Signed | null {
  return (value) => {
    const received = receive(value, key);
    return received.kind === 'foreign' ? null : received;
  };
}

export function isParentMessage(value: unknown): value is ParentMessage {
  const type = isRecord(value) ? value.type : undefined;
  return (type === 'run' && typeof (value as Fields).key === 'string') || type === 'stop';
}
