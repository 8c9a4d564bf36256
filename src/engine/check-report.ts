/**
 * The report of `memprobe check` (report.json): the soak report plus the machine, the suites that ran and
 * the comparison with the history. Versioned on its own: `schemaVersion` changes when a field changes
 * meaning; new optional fields do not change it.
 */
import { loadVerdict, overallVerdict } from '../core/verdict.js';
import type { MetricComparison, Regression } from '../history/types.js';
import type { LoadReport } from '../load/types.js';
import type { SoakReport, Verdict } from '../types.js';
import type { SystemInfo } from './system-info.js';

export const CHECK_SCHEMA_VERSION = 1;

export interface CheckHistory {
  /** The history file (absolute path). */
  readonly file: string;
  /** Earlier runs compared with (at most). */
  readonly window: number;
  /** Runs the file held before this one. */
  readonly earlierRuns: number;
  /** Whether a regression fails the check. */
  readonly failOnRegression: boolean;
  /** Every metric of every probe compared, with the earlier values (trend charts). */
  readonly comparisons: readonly MetricComparison[];
  /** Whether this run was appended (interrupted runs are not). */
  readonly appended: boolean;
}

/** One run of a sharded check: its kind, its position in the whole check, its stable key. */
export interface ShardRunRef {
  readonly kind: 'probe' | 'program' | 'load';
  readonly index: number;
  readonly key: string;
}

/** Present on the report of one shard (`memprobe check --shard i/n`); `memprobe merge` joins the shards. */
export interface CheckShard {
  readonly index: number;
  readonly count: number;
  /** Fingerprint of the resolved config and selection: shards of one check share it. */
  readonly configHash: string;
  /** What this shard ran, in check order: its probe reports (probes, then programs), then its load runs. */
  readonly runs: readonly ShardRunRef[];
  /**
   * The history settings of the shard's config and flags, for `memprobe merge`, which reads no config file:
   * its own --history-window and --fail-on-regression beat them.
   */
  readonly historyWindow: number;
  readonly failOnRegression: boolean;
}

export interface CheckReport extends Omit<SoakReport, 'schemaVersion' | 'verdict'> {
  readonly schemaVersion: typeof CHECK_SCHEMA_VERSION;
  readonly kind: 'check';
  /** The soak verdict, or `fail` when a regression fails the check (`failOnRegression`). */
  readonly verdict: Verdict;
  readonly system: SystemInfo;
  /** `git rev-parse HEAD` where memprobe ran, or null. */
  readonly commit: string | null;
  /** The config file, and the suites that ran (name -> probe files). */
  readonly config: { readonly file: string | null; readonly suites: Readonly<Record<string, readonly string[]>> };
  /** Present with `--history`. */
  readonly history?: CheckHistory;
  /** Metrics beyond the noise of the history (present with `--history`). */
  readonly regressions?: readonly Regression[];
  /** The config's load runs, in order (present when it has any). */
  readonly load?: readonly LoadReport[];
  /** Present when this report is one shard of a check; absent on a whole or merged check. */
  readonly shard?: CheckShard;
  /** Present on a merged check: how many shard reports it was made of. */
  readonly merged?: { readonly shards: number; readonly configHash: string | null };
}

export interface CheckContext {
  readonly system: SystemInfo;
  readonly commit: string | null;
  readonly configFile: string | null;
  readonly suites: Readonly<Record<string, readonly string[]>>;
  readonly history?: CheckHistory | undefined;
  readonly loads?: readonly LoadReport[] | undefined;
  readonly shard?: CheckShard | undefined;
  readonly merged?: CheckReport['merged'] | undefined;
}

/** Wraps a soak report; a regression turns `pass`/`inconclusive` into `fail` only with failOnRegression. */
export function buildCheckReport(report: SoakReport, context: CheckContext): CheckReport {
  const { schemaVersion: _soakSchema, ...soak } = report;
  const regressions = context.history?.comparisons.filter((c): c is Regression => c.status === 'regression');
  const failsOnRegression = context.history?.failOnRegression === true && (regressions?.length ?? 0) > 0;
  const soakVerdict: Verdict = failsOnRegression && report.verdict !== 'error' ? 'fail' : report.verdict;
  const loads = context.loads ?? [];
  const verdict = overallVerdict([soakVerdict, ...loads.map((l) => loadVerdict(l.status))]);
  return {
    schemaVersion: CHECK_SCHEMA_VERSION,
    kind: 'check',
    ...soak,
    verdict,
    system: context.system,
    commit: context.commit,
    config: { file: context.configFile, suites: context.suites },
    ...(context.history ? { history: context.history, regressions: regressions ?? [] } : {}),
    ...(loads.length > 0 ? { load: loads } : {}),
    ...(context.shard ? { shard: context.shard } : {}),
    ...(context.merged ? { merged: context.merged } : {}),
  };
}

/** A soak's report in the shape every report format renders (`memprobe soak --report html=FILE`). */
export function soakAsCheckReport(report: SoakReport, system: SystemInfo, commit: string | null): CheckReport {
  return buildCheckReport(report, { system, commit, configFile: null, suites: {} });
}
