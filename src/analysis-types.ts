/** What the analyzer concludes: growth, GC recovery, resources, budgets and their results, verdicts. */
import type { BUDGETS } from './budgets/registry.js';
import type { MemoryKind } from './sample-types.js';

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
 * milliseconds). `null` or absent: not checked.
 */
export type Budgets = { readonly [name in BudgetName]?: number | null };

/** Budgets as a user writes them: `'16KB/s'`, `'2KB'`, `'20%'`, `'10/min'`, `'50ms'`. */
export type BudgetSpec = { [name in BudgetName]?: string };

/** What a growth rate means: bytes a day, and days until the heap's limit (when known and memory grows). */
export interface RateMeaning {
  readonly bytesPerSecond: number;
  readonly bytesPerDay: number;
  readonly daysToHeapLimit: number | null;
}

/**
 * The leak question answered from the samples (analyze/leak-evidence.ts): `leak` when the memory the program holds
 * still grows after its warm-up, proven at `confidence`; `no-leak` when that growth is ruled out; `undecided`
 * when neither (more time would tell; a run that ends undecided is not called a leak).
 */
export interface LeakEvidence {
  readonly status: 'leak' | 'no-leak' | 'undecided';
  readonly reason: string;
  /** Confidence of each bound at this look: 1 - LEAK_ALPHA / looks. */
  readonly confidence: number;
  /** This look's number, of the looks the run could take (1 of 1 for a fixed-length run). */
  readonly look: number;
  readonly looks: number;
  /** The steady state: from where the warm-up ended (ms since the baseline sample) to the last sample. */
  readonly steady:
    | ({
        readonly fromMs: number;
        readonly durationMs: number;
        /** Growth of held memory (heap less code, plus external) in the steady state, with its one-sided bounds. */
        readonly bytesPerSecond: number;
        readonly low: number;
        readonly high: number;
      } & RateMeaning)
    | null;
  /**
   * Where snapshots named the leak: the store that holds it, the entries it gained in the snapshots' first window,
   * and its own growth from the first snapshot to the last, per second and what that means.
   */
  readonly store?: {
    readonly path: readonly string[];
    readonly entries: number;
    readonly grewBytes: number;
    readonly overMs: number;
  } & RateMeaning;
  /** Growth before the steady state that stopped: a store filling to its bound, a one-off table. */
  readonly levelled: { readonly bytes: number; readonly untilMs: number } | null;
  /** What code and bytecode grew over the soak (the JIT, not the program's data); null when not read. */
  readonly codeGrowthBytes: number | null;
}

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
  /** The leak question over the whole window, as one look (program mode weighs it at its own looks). */
  readonly leak: LeakEvidence;
  readonly budgets: readonly BudgetResult[];
  readonly notes: readonly string[];
}
