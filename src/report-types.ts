/** The soak report (`--json`): one ProbeReport per probe, leak clusters, profiles, process figures. */
import type { Sample } from './sample-types.js';
import type { BudgetResult, GcRecovery, Growth, LeakEvidence, Resources, Verdict } from './analysis-types.js';

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
  readonly members?: ReadonlyArray<{
    readonly constructor: string;
    readonly count: number;
    readonly retainedSize: number;
  }>;
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

/** A code location from a profile and what it cost: bytes alive (heap) or milliseconds of self time (cpu). */
export interface ProfileSite {
  readonly functionName: string;
  /**
   * `file:line:column` (1-based) of the function's first line: V8 samples by function, not by line.
   * Empty for V8 pseudo-frames such as `(garbage collector)`.
   */
  readonly location: string;
  /** Bytes still alive (heap) or milliseconds of self time (cpu). */
  readonly value: number;
  /** Share of the profile's total. */
  readonly share: number;
}

/**
 * A sampling heap profile's surviving bytes by allocation site. Site shares are of the sampled bytes that are not
 * memprobe's own; `programShare` says how much of all of them could be charged to program functions.
 */
export interface HeapProfileSummary {
  readonly file: string;
  readonly topSites: readonly ProfileSite[];
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
  readonly cpu: { readonly file: string; readonly topFunctions: readonly ProfileSite[] } | null;
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
/** Program mode: why and when the soak window ended (ms since the baseline sample), after how many looks. */
export interface SoakStop {
  /** `decided`: a look settled the leak question; `max-duration`: none did in time; `duration`: a fixed length. */
  readonly reason: 'decided' | 'max-duration' | 'duration' | 'stopped';
  readonly atMs: number;
  readonly looks: number;
  readonly of: number;
  /** The span of the snapshots taken to name a leak, or null when none were taken. */
  readonly confirmed: { readonly fromMs: number; readonly toMs: number } | null;
  /** Set when they were due but not taken: the heap they would have seen (over CONFIRM_HEAP_MAX_BYTES). */
  readonly heapTooBig?: number;
}

export interface ProbeReport {
  readonly name: string;
  readonly file: string;
  readonly verdict: Verdict;
  /** The leak question answered from the samples (and, where snapshots were taken, the objects that stayed). */
  readonly leak?: LeakEvidence;
  /** Program mode: why the soak window ended. */
  readonly stop?: SoakStop;
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
    /** The fixed soak time, or with `untilDecided` the longest (--max-duration). */
    readonly durationMs: number;
    readonly warmupMs: number;
    readonly sampleIntervalMs: number;
    /** No --duration: the run stopped when its evidence decided. */
    readonly untilDecided?: boolean;
  };
  readonly verdict: Verdict;
  readonly probes: readonly ProbeReport[];
  /** Probe files (or program commands) that an interrupt stopped before they started. */
  readonly notRun: readonly string[];
}
