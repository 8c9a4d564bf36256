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

export { soak, type SoakInput } from './engine/soak.js';
export { check, type CheckInput, type CheckHooks, type CheckRun } from './engine/check.js';
export { merge, type MergeOptions, type Merged } from './engine/merge.js';
export {
  diff,
  inspect,
  redact,
  snapshot,
  type DiffReport,
  type HeapOptions,
  type SnapshotResult,
} from './engine/heap.js';
export { profile, type ProfileInput, type ProfileReport } from './engine/profile.js';
export type { SoakHooks, SoakProgress } from './engine/hooks.js';
export { CHECK_FORMATS, writeFormats, type ReportFormat } from './report/formats.js';
export { BUDGETS } from './budgets/registry.js';
export { analyze } from './analyze/analyze.js';
export { load } from './engine/load.js';
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
