/** Samples: what the controlled child measures between iterations. */

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
  /**
   * V8's compiled code and bytecode with their metadata (`v8.getHeapCodeStatistics()`): what the JIT adds while a
   * program warms up (for a minute or more in a big app), not the program's data. Its changes are taken out of the
   * heap's growth; the figure itself also counts builtins outside `heapUsed`. Absent in reports of older versions.
   */
  readonly codeBytes?: number;
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
