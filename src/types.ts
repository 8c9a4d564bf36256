/**
 * Shared data shapes: samples, budgets, verdicts, probe definitions and reports.
 * This module imports only types, so every layer can depend on it.
 */
import type { BUDGETS } from './budgets/registry.js';

/** The lifecycle a probe goes through inside the controlled child. */
export type Phase = 'setup' | 'warmup' | 'baseline' | 'soak' | 'teardown' | 'final';

/** Which memory series a growth figure describes. */
export type MemoryKind = 'heap' | 'external';

/**
 * One post-GC measurement taken by the controlled child between iterations.
 * Times are milliseconds since the baseline sample (monotonic clock).
 */
export interface Sample {
  readonly phase: 'baseline' | 'soak' | 'final';
  readonly timeMs: number;
  readonly iterations: number;
  /** `heapUsed` right before the forced GC. */
  readonly heapBeforeGc: number;
  /** `heapUsed` after the forced GC. */
  readonly heapUsed: number;
  /** `external` after the forced GC (already includes `arrayBuffers`). */
  readonly external: number;
  readonly rss: number;
  /** `items()` of the probe, or `null` when the probe does not count items. */
  readonly items: number | null;
  /** How long the forced GC took. */
  readonly gcMs: number;
  /** Active handles and requests (`process.getActiveResourcesInfo()`), before the GC. */
  readonly handles: number;
  /** The same by type, e.g. `{ Timeout: 3, TCPSocketWrap: 10 }`. */
  readonly handlesByType: Readonly<Record<string, number>>;
  /** Open file descriptors (`/proc/self/fd`), or null where the OS does not show them. */
  readonly fds: number | null;
  /** The child's CPU time (user + system) since it started. */
  readonly cpuMs: number;
  /** 99th percentile event-loop delay since the previous sample, or null when none was recorded. */
  readonly eventLoopP99Ms: number | null;
}

/** A robust slope with its confidence interval; `null` fields mean "could not be estimated". */
export interface SlopeEstimate {
  /** Theil-Sen slope (median of pairwise slopes). */
  readonly slope: number;
  /** Lower and upper bound of the ~95% interval (Sen's method). */
  readonly ciLow: number;
  readonly ciHigh: number;
  /** Lower bound of the interval at VERDICT_Z (99.9%): what a fail verdict needs to clear. */
  readonly strictLow: number;
  /** The smallest pairwise slope: above a limit, every pair of points grew faster than it. */
  readonly minSlope: number;
  /** Number of points the estimate used. */
  readonly points: number;
}

/** Growth of one memory series over the soak window. */
export interface Growth {
  readonly bytesPerSecond: number;
  readonly bytesPerIteration: number | null;
  readonly ciLow: number;
  readonly ciHigh: number;
  /** Slope over the last half of the window: catches leaks that start late. */
  readonly recentBytesPerSecond: number;
  readonly recentCiLow: number;
  readonly recentCiHigh: number;
  /**
   * Lower bounds at 99.9% (VERDICT_Z) of the whole window's and the last half's slope: a fail needs them to
   * clear the bar, so a series that swings widely (a batch filled and flushed) is not judged on noise.
   */
  readonly strictCiLow: number;
  readonly recentStrictCiLow: number;
  /** The smallest slope between any two samples (see SlopeEstimate.minSlope). */
  readonly minPairSlope: number;
  /**
   * Slope of the lower envelope (the lowest sample of each of ENVELOPE_BINS stretches of time): a leak lifts
   * the floor, a workload that fills and clears (a sawtooth) does not.
   */
  readonly floorBytesPerSecond: number;
  readonly samples: number;
}

/** GC recovery: how much of the run's growth came back after teardown and a forced GC. */
export interface GcRecovery {
  /** Share (0..1) of the soak's growth given back by teardown + GC; `null` when the run did not grow enough to tell. */
  readonly recovered: number | null;
  /** Bytes the run grew between the baseline and the last soak sample (heap + external). */
  readonly grewBytes: number;
  /** Bytes given back between the last soak sample and the final sample (heap + external). */
  readonly returnedBytes: number;
  /** Mean share of `heapUsed` that each forced GC freed during the soak. */
  readonly freedPerGc: number | null;
}

/** Budget names a user can set: those of the registry (src/budgets/registry.ts). */
export type BudgetName = (typeof BUDGETS)[number]['name'];

/**
 * Budgets as plain numbers in each budget's unit (bytes/s, bytes, a 0..1 share, counts per minute,
 * milliseconds). `null` means no such budget.
 */
export type Budgets = { readonly [name in BudgetName]: number | null };

/** Budgets as a user writes them: `'16KB/s'`, `'2KB'`, `'20%'`, `'10/min'`, `'50ms'`. */
export type BudgetSpec = { [name in BudgetName]?: string };

/** Growth of a count (handles, file descriptors) over the soak window. */
export interface CountGrowth {
  readonly perMinute: number;
  readonly ciLow: number;
  readonly ciHigh: number;
  /** Median of the first and of the last quarter of the samples: the net change. */
  readonly first: number;
  readonly last: number;
}

/** Handles, file descriptors, event-loop delay and CPU over the soak. */
export interface Resources {
  readonly handles: CountGrowth | null;
  /** Handle types whose count grew, largest growth first. */
  readonly growingHandleTypes: ReadonlyArray<{ readonly type: string } & CountGrowth>;
  readonly fds: CountGrowth | null;
  /** Median and worst of the per-interval p99 event-loop delays. */
  readonly eventLoopP99Ms: number | null;
  readonly eventLoopP99MaxMs: number | null;
  /** CPU time per iteration over the soak, and its relative change per minute (rising = slowing down). */
  readonly cpuMicrosPerIteration: number | null;
  readonly cpuPerIterationChangePerMinute: number | null;
}

export type BudgetDirection = 'below' | 'atMost' | 'above';
export type BudgetUnit = 'B/s' | 'B' | 'share' | '%' | '/min' | 'ms' | (string & {});

export type BudgetStatus = 'pass' | 'fail' | 'inconclusive' | 'skipped';

/** One budget checked against one measured figure. */
export interface BudgetResult {
  /** A memory budget, `heapLimit` (out of memory), or the name of a probe's own check. */
  readonly name: BudgetName | 'heapLimit' | (string & {});
  /** For growth budgets: which memory series was checked. */
  readonly memory?: MemoryKind;
  /** The limit in `unit` (bytes/s, bytes, a 0..1 share, ...); `null` when there is none. */
  readonly limit: number | null;
  /** Which way the limit points: the figure must stay below it, at most at it, or above it. */
  readonly direction: BudgetDirection;
  /** How `limit` and `actual` are counted: 'B/s', 'B', 'share', '%', '/min', 'ms', or a probe's own suffix. */
  readonly unit: BudgetUnit;
  /** The measured figure in the same unit; `null` when it could not be measured. */
  readonly actual: number | null;
  readonly status: BudgetStatus;
  /** Why the status is what it is, in one line. */
  readonly reason: string;
}

export type Verdict = 'pass' | 'fail' | 'inconclusive' | 'error';

/** Everything the analyzer concludes about one probe's samples. */
export interface Analysis {
  readonly verdict: Exclude<Verdict, 'error'>;
  readonly growth: Growth | null;
  readonly externalGrowth: Growth | null;
  readonly perItemBytes: number | null;
  readonly gcRecovery: GcRecovery | null;
  readonly resources: Resources;
  readonly budgets: readonly BudgetResult[];
  readonly notes: readonly string[];
}

/**
 * One group of leaked objects, usually one store (a Map, a Set, an object used as a dictionary, an array, a
 * listener list): the class of its entries, how many, what they retain and who holds them.
 */
export interface LeakClusterSummary {
  /** The class of the entries that retain the most (`(string)` for every string type). */
  readonly constructor: string;
  /** How many entries of that class the store gained (other kinds are in `members`). */
  readonly count: number;
  /**
   * Everything the cluster's new objects retain in the final snapshot, plus the store's re-allocated backing store
   * (dictionary, hash table, elements) and new key strings.
   */
  readonly retainedSize: number;
  /**
   * The path shape from a GC root to the store and its entries; `[*]` is any index, key or hash-table slot,
   * e.g. `["global", "sessionStore (MemoryStore)", "sessions (Object)", "[*] (string)"]`.
   */
  readonly path: readonly string[];
  /** Up to 3 of the largest entries: `"key": value` for a dictionary or a Map, else a string value or `Class @id`. */
  readonly samples?: readonly string[];
  /** When the store's new entries are of several kinds (a Map's new keys and values): each kind. */
  readonly members?: ReadonlyArray<{ readonly constructor: string; readonly count: number; readonly retainedSize: number }>;
}

/**
 * What the baseline and final heap snapshots show when the leak method finds no cluster: how much the heap grew
 * between them, how much of it is objects new mid-soak and still alive, and the classes that grew most.
 */
export interface SnapshotGrowth {
  /** Total self size of the final snapshot minus the baseline's (bytes; negative when it shrank). */
  readonly heapDelta: number;
  /** Self size of the objects new in the mid-soak snapshot and alive in the final one (what clusters are made of). */
  readonly newAndAliveSize: number;
  /** Classes whose objects grew most from the baseline to the final snapshot (strings are `(string)` etc.). */
  readonly grew: ReadonlyArray<{ readonly name: string; readonly countDelta: number; readonly sizeDelta: number }>;
}

/** A code location from a profile and what it cost (bytes alive, or ms of self time). */
export interface ProfileSiteSummary {
  readonly functionName: string;
  readonly location: string;
  readonly value: number;
  readonly share: number;
}

/**
 * A sampling heap profile's surviving bytes by allocation site. Site shares are of the sampled bytes that are not
 * memprobe's own; `programShare` says how much of all of them could be charged to program functions.
 */
export interface HeapProfileSummary {
  readonly file: string;
  readonly topSites: readonly ProfileSiteSummary[];
  /** Surviving bytes in the profile's samples. */
  readonly sampledBytes: number;
  /** memprobe's own (its child's frames and inspector session): not a site. */
  readonly toolBytes: number;
  /** Charged to a function of the program or probe. */
  readonly programBytes: number;
  /** programBytes / sampledBytes: how much of what survived memprobe could charge to program code. */
  readonly programShare: number;
}

export interface ProfileSummaries {
  /** `--profile heap`: the .heapprofile and the top allocation sites of memory that survived. */
  readonly heap: HeapProfileSummary | null;
  /** `--profile cpu`: the .cpuprofile and the top functions by self time (ms). */
  readonly cpu: { readonly file: string; readonly topFunctions: readonly ProfileSiteSummary[] } | null;
}

/** Resource use of the child as seen from the parent. */
export interface ProcessStats {
  readonly cpuPercentMean: number | null;
  readonly peakRss: number | null;
  readonly threads: number | null;
}

/** Why a probe ended in `error` (or `fail` for out-of-memory). */
export interface ProbeFault {
  readonly kind: 'setup' | 'iteration' | 'teardown' | 'load' | 'crash' | 'out-of-memory' | 'timeout' | 'interrupted';
  readonly message: string;
  readonly stack?: string;
}

/** The report entry of one probe (the JSON contract of `memprobe soak --json`). */
export interface ProbeReport {
  readonly name: string;
  readonly file: string;
  readonly verdict: Verdict;
  readonly growth: Growth | null;
  readonly externalGrowth: Growth | null;
  readonly perItemBytes: number | null;
  readonly gcRecovery: GcRecovery | null;
  readonly resources: Resources | null;
  /** Profiles recorded with `--profile`, with their files. */
  readonly profiles: ProfileSummaries;
  /** Heap snapshots written with `--snapshots` (mode 0600), or null. */
  readonly snapshots: { readonly baseline: string; readonly target: string; readonly final: string } | null;
  /**
   * When the probe failed and snapshots were taken: objects new in the mid-soak snapshot and still alive at the
   * end, grouped by the shape of their retainer path (one store, one cluster), largest retained size first.
   */
  readonly leakClusters?: readonly LeakClusterSummary[];
  /** With `leakClusters` empty: what the snapshots do show (heap growth between them, the classes that grew). */
  readonly snapshotGrowth?: SnapshotGrowth;
  readonly iterations: number;
  readonly iterationsPerSecond: number | null;
  readonly durationMs: number;
  /** Share (0..1) of the soak window's wall time spent in forced GCs. */
  readonly gcShare: number | null;
  readonly gcPauseMsMax: number | null;
  readonly process: ProcessStats;
  readonly budgets: readonly BudgetResult[];
  readonly notes: readonly string[];
  readonly fault: ProbeFault | null;
  /** Metrics the probe reported itself (throughput, latency...), by name. */
  readonly metrics: Readonly<Record<string, number>>;
  readonly samples: readonly Sample[];
}

export interface SoakReport {
  readonly schemaVersion: 1;
  readonly tool: { readonly name: 'memprobe'; readonly version: string };
  readonly startedAt: string;
  readonly node: string;
  readonly platform: string;
  readonly interrupted: boolean;
  readonly settings: {
    readonly durationMs: number;
    readonly warmupMs: number;
    readonly sampleIntervalMs: number;
  };
  readonly verdict: Verdict;
  readonly probes: readonly ProbeReport[];
  /** Probe files (or program commands) that an interrupt stopped before they started. */
  readonly notRun: readonly string[];
}

/** The limit of a probe's own check: `below` (actual must be less) or `above` (actual must be more). */
export type CheckLimit =
  | { readonly below: number; readonly above?: undefined; readonly unit?: string }
  | { readonly above: number; readonly below?: undefined; readonly unit?: string };

/** A figure a probe checked itself (see ProbeContext.check). */
export interface ProbeCheck {
  readonly name: string;
  readonly actual: number;
  readonly limit: CheckLimit;
}

/** What a probe reports besides memory: its own figures and checks. */
export interface ProbeOutput {
  readonly metrics: Readonly<Record<string, number>>;
  readonly checks: readonly ProbeCheck[];
}

/** What a probe's hooks receive besides their state. */
export interface ProbeContext {
  /** `--target MODULE` resolved to a file URL, when one was given. */
  readonly target: string | undefined;
  /** Probe options from the command line (`--connections 1000` gives `{ connections: '1000' }`). */
  readonly options: Readonly<Record<string, string>>;
  /** Record a probe-specific figure for the report (last value wins). */
  metric(name: string, value: number): void;
  /**
   * Record a figure (as `metric` does) and check it against a limit: it becomes a budget in the report and
   * can fail the probe (last value wins). Example: `context.check('p95Ms', p95, { below: 500, unit: ' ms' })`;
   * a unit of `'B'` is shown as KB/MB, and `'%'` shows a 0..1 share as a percentage.
   */
  check(name: string, actual: number, limit: CheckLimit): void;
  /**
   * Tell memprobe something at once, while the probe runs (e.g. `publish('url', 'http://127.0.0.1:4100')`
   * so a load generator can find the server the probe started). Costs one IPC message: not per iteration.
   */
  publish(name: string, value: string): void;
}

/**
 * A probe: one workload soaked in a controlled child.
 * `setup` builds the system under test, `iteration` does one unit of work and is run back to back,
 * `teardown` releases the work (GC recovery is measured after it), `items` says how many items the
 * probe holds now (per-item memory).
 */
export interface ProbeDefinition<S = unknown> {
  name: string;
  setup?(context: ProbeContext): S | Promise<S>;
  iteration(state: S, context: ProbeContext): void | Promise<void>;
  teardown?(state: S, context: ProbeContext): void | Promise<void>;
  items?(state: S): number;
  budgets?: BudgetSpec;
}
