/**
 * memprobe's public API.
 *
 * @example
 * ```ts
 * import { defineProbe } from 'memprobe';
 * export default defineProbe({
 *   name: 'cache',
 *   setup: () => new Map<number, string>(),
 *   iteration: (cache) => { cache.set(cache.size, 'x'.repeat(100)); },
 *   teardown: (cache) => cache.clear(),
 *   items: (cache) => cache.size,
 *   budgets: { perItem: '1KB' },
 * });
 * ```
 */
import type { MemprobeConfig } from './settings/validate.js';
import type { ProbeDefinition } from './types.js';

/** Types a probe definition; returns it unchanged. A plain object default export works too. */
export function defineProbe<S>(probe: ProbeDefinition<S>): ProbeDefinition<S> {
  return probe;
}

/**
 * Types a config file (memprobe.config.mjs, read by `memprobe soak` and `memprobe check`); returns it unchanged.
 *
 * @example
 * ```js
 * import { defineConfig } from 'memprobe';
 * export default defineConfig({
 *   suites: { notification: ['notification-create', 'offline-queue'], websocket: ['ws-fanout'] },
 *   duration: '3m',
 *   budgets: { growthRate: '64KB/s' },
 *   history: '.memprobe/history.jsonl',
 * });
 * ```
 */
export function defineConfig(config: MemprobeConfig): MemprobeConfig {
  return config;
}

/*
 * The engine, loaded on first call: a probe file imports `memprobe` for defineProbe in every probe's child, and
 * the engine (runners, load generators, the heap reader) would otherwise be loaded there too: 155 ms and 11 MB
 * of heap instead of 50 ms and 6 MB.
 */
import type * as Engine from './engine/api.js';

type Call<F extends (...args: never[]) => unknown> = (...args: Parameters<F>) => Promise<Awaited<ReturnType<F>>>;
const engine = (): Promise<typeof Engine> => import('./engine/api.js');

/** `memprobe soak` as a call: resolves to the SoakReport. */
export const soak: Call<typeof Engine.soak> = async (...args) => (await engine()).soak(...args);
/** `memprobe check` as a call: resolves to the CheckReport and its out folder (the history is appended). */
export const check: Call<typeof Engine.check> = async (...args) => (await engine()).check(...args);
/** `memprobe load` as a call: resolves to the LoadReport. */
export const load: Call<typeof Engine.load> = async (...args) => (await engine()).load(...args);
/** `memprobe merge` as a call: the shards of one check, or the load reports of several generators, joined. */
export const merge: Call<typeof Engine.merge> = async (...args) => (await engine()).merge(...args);
/** `memprobe inspect` as a call: totals, classes and the largest objects of a heap snapshot. */
export const inspect: Call<typeof Engine.inspect> = async (...args) => (await engine()).inspect(...args);
/** `memprobe diff` as a call: two snapshots compared per class, or the leak method on three. */
export const diff: Call<typeof Engine.diff> = async (...args) => (await engine()).diff(...args);
/** `memprobe redact` as a call: a copy of a snapshot with its string values replaced. */
export const redact: Call<typeof Engine.redact> = async (...args) => (await engine()).redact(...args);
/** `memprobe snapshot` as a call: a heap snapshot of a running Node process. */
export const snapshot: Call<typeof Engine.snapshot> = async (...args) => (await engine()).snapshot(...args);
/** `memprobe profile` as a call: heap and CPU profiles of a program over a window. */
export const profile: Call<typeof Engine.profile> = async (...args) => (await engine()).profile(...args);

export type { SoakInput } from './engine/soak.js';
export type { CheckInput, CheckHooks, CheckRun } from './engine/check.js';
export type { MergeOptions, Merged } from './engine/merge.js';
export type { DiffReport, HeapOptions, SnapshotResult } from './engine/heap.js';
export type { ProfileInput, ProfileReport } from './engine/profile.js';
export type { SoakHooks, SoakProgress } from './engine/hooks.js';
export { CHECK_FORMATS, writeFormats, type ReportFormat } from './report/formats.js';
export { BUDGETS } from './budgets/registry.js';
export { analyze } from './analyze/analyze.js';
export { MemprobeError, UsageError, ConfigError, ProbeLoadError, EXIT } from './errors.js';
export type { LoadConfig, MemprobeConfig, ProfileKind, SnapshotMode } from './settings/validate.js';
export type { LoadReport } from './load/types.js';
export type { LoadInput, LoadOptions, LoadProgressSink, LoadRun } from './engine/load.js';
export type { CheckHistory, CheckReport } from './engine/check-report.js';
export type { SystemInfo } from './engine/system-info.js';
export type { HistoryMetric, HistoryProbe, HistoryRun, MetricComparison, Regression } from './history/types.js';
export type {
  Analysis,
  BudgetResult,
  BudgetSpec,
  Budgets,
  GcRecovery,
  Growth,
  ProbeContext,
  ProbeDefinition,
  ProbeFault,
  ProbeReport,
  Sample,
  SoakReport,
  Verdict,
} from './types.js';
