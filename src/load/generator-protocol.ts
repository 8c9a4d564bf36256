/**
 * The one contract between `memprobe load` (generator.ts, parent) and its generator process
 * (generator-process.ts). Histograms travel as compressed base64 HDR, so they merge exactly.
 */
import type { GeneratorPlan } from './plan-types.js';

export interface WireOperation {
  readonly name: string;
  readonly weight: number;
  /** Latency from the intended send time (µs HDR). */
  readonly histogram: string;
  /** Response time from the write to the socket: what a closed-loop tool would report. */
  readonly responseHistogram: string;
  readonly completed: number;
  readonly errors: Readonly<Record<string, number>>;
}

export interface WireStep {
  readonly index: number;
  readonly users: number | null;
  readonly rate: number | null;
  /** Epoch ms (performance.timeOrigin based) when the measured window began. */
  readonly startedAt: number;
  readonly durationMs: number;
  /** Epoch ms of the step's last successful response (0: none); it can fall after the window, in the drain. */
  readonly lastCompletedAt: number;
  readonly sent: number;
  readonly connections: number;
  readonly waited: number;
  readonly maxWaiting: number;
  readonly operations: readonly WireOperation[];
}

/** The broadcast triggers (POSTs) of a ws run. */
export interface WireTrigger {
  readonly sent: number;
  readonly ok: number;
  readonly histogram: string;
  readonly errors: Readonly<Record<string, number>>;
}

export interface WireWs {
  readonly attempted: number;
  readonly ok: number;
  readonly connectHistogram: string;
  readonly connectWallMs: number;
  readonly connectErrors: Readonly<Record<string, number>>;
  readonly received: number;
  readonly measuredMs: number;
  readonly messageHistogram: string;
  readonly lastClientHistogram: string;
  readonly broadcasts: number;
  readonly incomplete: number;
  readonly lost: number;
  readonly unexpectedCloses: number;
  readonly trigger: WireTrigger | null;
}

export interface WireGenerator {
  readonly pid: number;
  readonly cpuPercent: number;
  readonly eventLoopP99Ms: number;
  readonly eventLoopMaxMs: number;
  /** Generator lateness of scheduled sends (µs HDR); empty when nothing was scheduled. */
  readonly lagHistogram: string;
}

export type GeneratorPhase = 'setup' | 'connect' | 'warmup' | 'step' | 'drain';

export type ToGenerator = { readonly type: 'run'; readonly plan: GeneratorPlan } | { readonly type: 'stop' };

export type FromGenerator =
  | { readonly type: 'ready'; readonly pid: number }
  /** `at` is epoch ms; steps are 0-based. Lets the parent line up the server's memory samples. */
  | {
      readonly type: 'phase';
      readonly phase: GeneratorPhase;
      readonly step: number;
      readonly at: number;
      readonly label: string;
    }
  /** About once a second: requests (ws: messages) answered and failed so far, for the progress line. */
  | { readonly type: 'tick'; readonly done: number; readonly errors: number }
  | {
      readonly type: 'result';
      readonly steps: readonly WireStep[];
      readonly ws: WireWs | null;
      readonly generator: WireGenerator;
      readonly notes: readonly string[];
    }
  | { readonly type: 'fatal'; readonly message: string };

type Fields = Record<string, unknown>;
const isRecord = (v: unknown): v is Fields => typeof v === 'object' && v !== null;

const VALID: Readonly<Record<FromGenerator['type'], (m: Fields) => boolean>> = {
  ready: (m) => typeof m.pid === 'number',
  phase: (m) =>
    typeof m.phase === 'string' &&
    typeof m.step === 'number' &&
    typeof m.at === 'number' &&
    typeof m.label === 'string',
  tick: (m) => typeof m.done === 'number' && typeof m.errors === 'number',
  result: (m) =>
    Array.isArray(m.steps) && (m.ws === null || isRecord(m.ws)) && isRecord(m.generator) && Array.isArray(m.notes),
  fatal: (m) => typeof m.message === 'string',
};

/** The supervisor's guard for the generator's channel: a FromGenerator message of the right shape, or null. */
export function fromGenerator(value: unknown): FromGenerator | null {
  if (!isRecord(value) || typeof value.type !== 'string' || !Object.hasOwn(VALID, value.type)) return null;
  return VALID[value.type as FromGenerator['type']](value) ? (value as FromGenerator) : null;
}

/** High-resolution epoch ms, comparable between processes of one machine. */
export const epochNow = (): number => performance.timeOrigin + performance.now();
