/**
 * Data shapes of `memprobe load`'s report: what the CLI prints and --json writes (the JSON contract), and the
 * parts the pure analysis and the renderer share. What a load is asked to run is in plan-types.ts.
 * Times are milliseconds, rates are per second, shares are 0..1, memory is bytes.
 */
import type { LoadMode, ThresholdMetric } from './plan-types.js';

export type { LoadMode, ThresholdMetric, ThresholdSpec } from './plan-types.js';

/** How many latencies fell in (previous bucket's bound, upToMs] (milliseconds). */
export interface LatencyBucket {
  readonly upToMs: number;
  readonly count: number;
}

/** Latency percentiles in milliseconds; all 0 when count is 0. */
export interface LatencySummary {
  readonly count: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

export interface ErrorCounts {
  readonly total: number;
  /** e.g. `{ ECONNREFUSED: 12, timeout: 3, 'http 503': 40 }` */
  readonly byType: Readonly<Record<string, number>>;
}

export interface OperationResult {
  readonly name: string;
  readonly weight: number;
  readonly weightShare: number;
  /** Successful responses. */
  readonly completed: number;
  /** Share of all successful responses of the step; compared with weightShare by the starvation check. */
  readonly completedShare: number;
  readonly errors: ErrorCounts;
  readonly latency: LatencySummary;
}

/** Server memory (post-GC heap + external) while one step ran: embedded mode only. */
export interface StepMemory {
  readonly samples: number;
  readonly medianBytes: number;
  /** (median - idle baseline) / connections. */
  readonly perConnectionBytes: number | null;
}

export interface StepResult {
  readonly index: number;
  /** Closed model: concurrent users; otherwise null. */
  readonly users: number | null;
  /** Open model: intended requests per second; otherwise null. */
  readonly rate: number | null;
  /** Epoch ms when the step's measured window began (to line it up with server logs). */
  readonly startedAt: number;
  readonly durationMs: number;
  /** Requests scheduled (open) or started (closed) in the step. */
  readonly sent: number;
  readonly completed: number;
  /** Successful responses per second. */
  readonly throughput: number;
  readonly latency: LatencySummary;
  readonly errors: ErrorCounts;
  readonly operations: readonly OperationResult[];
  /** Most sockets open at once. */
  readonly connections: number;
  /** Open model: requests that waited for a free connection (all were busy), and the longest line. */
  readonly waited: number;
  readonly maxWaiting: number;
  readonly memory: StepMemory | null;
}

export type KneeResult =
  | { readonly status: 'none'; readonly fromUsers: number; readonly toUsers: number; readonly reason: string }
  | {
      readonly status: 'knee';
      /** The first step that degraded, and the one before it. */
      readonly users: number;
      readonly previousUsers: number;
      /** Throughput growth achieved / growth expected from the extra users (1 = linear, <= 0 = none). */
      readonly efficiency: number;
      /** p95 of the step / p95 of the previous step. */
      readonly latencyRise: number;
      readonly reason: string;
    }
  | { readonly status: 'inconclusive'; readonly reason: string };

export interface StarvationEntry {
  readonly name: string;
  readonly weightShare: number;
  readonly completedShare: number;
  /** completedShare / weightShare. */
  readonly ratio: number;
  readonly starved: boolean;
}

export interface StarvationResult {
  readonly status: 'pass' | 'fail' | 'inconclusive' | 'skipped';
  readonly operations: readonly StarvationEntry[];
  readonly reason: string;
}

/** The generator's own health: if it fell behind, the figures describe it as much as the server. */
export interface GeneratorStats {
  readonly pid: number;
  /** CPU time over wall time while measuring, in % of one core. */
  readonly cpuPercent: number;
  readonly eventLoopP99Ms: number;
  readonly eventLoopMaxMs: number;
  /** How late sends started after their intended time (generator lateness, not server queueing). */
  readonly sendLag: LatencySummary;
  readonly saturated: boolean;
  readonly reasons: readonly string[];
}

export interface WsResult {
  readonly connections: {
    readonly attempted: number;
    readonly ok: number;
    readonly failed: number;
    readonly successRate: number;
    /** Handshake time of each successful connection. */
    readonly connectMs: LatencySummary;
    /** Wall time to open all of them. */
    readonly wallMs: number;
    readonly errors: ErrorCounts;
  };
  readonly messages: {
    readonly received: number;
    readonly perSecond: number;
    /** Send timestamp carried in the message to each client's receipt. */
    readonly latency: LatencySummary;
    /** Per broadcast: send timestamp to the LAST open client's receipt. */
    readonly lastClient: LatencySummary;
    readonly broadcasts: number;
    readonly incompleteBroadcasts: number;
    /** Copies of complete broadcasts never received by some open client. */
    readonly lost: number;
    /** Sockets the server closed without being asked. */
    readonly unexpectedCloses: number;
  };
  /** The HTTP POSTs that triggered the broadcasts; null in passive mode. */
  readonly trigger: { readonly sent: number; readonly ok: number; readonly latency: LatencySummary } | null;
}

export interface MemorySample {
  /** Since the idle baseline (taken before any load). */
  readonly timeMs: number;
  /** Post-GC heapUsed + external. */
  readonly bytes: number;
}

/** The embedded server's post-GC memory from the controlled child. */
export interface ServerMemory {
  readonly pid: number | null;
  readonly baselineBytes: number;
  /** Median of the samples taken while the load ran. */
  readonly underLoadBytes: number | null;
  readonly connections: number;
  readonly perConnectionBytes: number | null;
  /** Theil-Sen slope over the load window, with its ~95% interval; null with fewer than 3 samples. */
  readonly growthBytesPerSecond: number | null;
  readonly growthCiLow: number | null;
  readonly growthCiHigh: number | null;
  /** Last load sample minus first load sample. */
  readonly netChangeBytes: number | null;
  /** Forced-GC pause total while loaded: these pauses also delay requests. */
  readonly gcPauseMs: number;
  readonly samples: readonly MemorySample[];
}

export interface ThresholdResult {
  readonly threshold: string;
  readonly metric: ThresholdMetric;
  readonly op: '<' | '>';
  readonly limit: number;
  /** The worst value over the steps; null when it could not be measured. */
  readonly actual: number | null;
  /** Where the worst value was, e.g. `step 4 (20 users)`. */
  readonly where: string | null;
  readonly status: 'pass' | 'fail' | 'skipped';
}

/**
 * The HDR histograms of an HTTP run (microseconds, 3 significant digits), each as hdr-histogram-js
 * `encodeIntoCompressedBase64` writes it (`decodeFromCompressedBase64` reads it back). Percentiles of several
 * generators cannot be averaged; their histograms add up exactly, which is what `memprobe merge` does.
 */
export interface LoadHistograms {
  /** The whole run's `latency` (from each request's intended send time). */
  readonly latency: string;
  /** The whole run's `responseTime` (from the write to the socket). */
  readonly responseTime: string;
  /** Per operation of the scenario, over every step, in scenario order. */
  readonly operations: readonly string[];
  /** Per step: its latency, and per operation. */
  readonly steps: readonly { readonly latency: string; readonly operations: readonly string[] }[];
}

export type LoadStatus = 'pass' | 'fail' | 'generator-saturated' | 'interrupted' | 'error';

/** The JSON contract of `memprobe load --json`. */
export interface LoadReport {
  readonly schemaVersion: 1;
  readonly tool: { readonly name: 'memprobe'; readonly version: string };
  readonly startedAt: string;
  readonly node: string;
  readonly platform: string;
  readonly mode: LoadMode;
  readonly target: { readonly url: string | null; readonly wsUrl: string | null; readonly embedded: boolean };
  readonly settings: {
    readonly rate: number | null;
    readonly users: readonly number[] | null;
    readonly thinkMs: number;
    readonly durationMs: number;
    readonly warmupMs: number;
    readonly connections: number;
    readonly timeoutMs: number;
    readonly scenario: string | null;
  };
  readonly status: LoadStatus;
  readonly interrupted: boolean;
  /** Whole run (every step), from each request's intended send time; ws mode: per-message broadcast latency. */
  readonly latency: LatencySummary;
  /**
   * From the moment each request was written to a socket: leaves out waiting for a free connection and the
   * generator's own lateness, i.e. what a closed-loop tool reports. Shown for comparison; null in ws mode.
   */
  readonly responseTime: LatencySummary | null;
  /** The distribution of `latency` in 1-2-5 buckets, fastest first (empty when nothing was measured). */
  readonly histogram: readonly LatencyBucket[];
  /** Successful responses per second (ws mode: messages received per second). */
  readonly throughput: number;
  readonly errors: ErrorCounts;
  readonly steps: readonly StepResult[];
  readonly knee: KneeResult | null;
  readonly operations: readonly OperationResult[];
  readonly starvation: StarvationResult | null;
  readonly ws: WsResult | null;
  readonly server: ServerMemory | null;
  readonly thresholds: readonly ThresholdResult[];
  readonly generator: GeneratorStats | null;
  readonly notes: readonly string[];
  /** Why the run ended in `error`. */
  readonly fault: string | null;
  /**
   * HTTP runs: the histograms behind every figure above, mergeable; null in ws mode (absent before 0.1.0's
   * sharding).
   */
  readonly hdr?: LoadHistograms | null;
  /** `memprobe load --shard i/n`: this generator ran share `index` of `count` of the rate or users. */
  readonly shard?: { readonly index: number; readonly count: number };
  /** A merged report (`memprobe merge`): how many generators' reports were added up. */
  readonly generators?: number;
}
