/**
 * Every default memprobe uses, in one place. Units are in the names (Ms, Bytes, Share).
 */

/** Total soak time when `--duration` is not given; shared equally between the probes of one run. */
export const DEFAULT_DURATION_MS = 30_000;

/**
 * A program soaked without `--duration` runs until the leak question is decided, at most this long (warm-up and
 * the snapshots that name a leak come on top).
 */
export const DEFAULT_MAX_DURATION_MS = 180_000;

/** Without `--duration`: the first look at the evidence (soak time since the baseline), then one look every... */
export const FIRST_LOOK_MS = 30_000;
/** ...this long. With the 3-minute default that is 16 looks, each at 1 - 0.01/16 confidence. */
export const LOOK_EVERY_MS = 10_000;

/**
 * The snapshots that name a leak are this far apart: objects new between the first two and alive at the third
 * are the leak's; at 1 KB/s that is ~10 KB of leaked objects, well above the smallest cluster reported.
 */
export const CONFIRM_WINDOW_MS = 10_000;

/**
 * ...and are not taken of a heap that is, or would be by the last of them at the rate it grows, bigger than this (a
 * leak that fast breaks its budget anyway; `--snapshots` still takes them). A probe's child writes its snapshots
 * itself, synchronously, and sends nothing meanwhile: a 157 MB heap took longer than the 30 s stall timeout on a
 * loaded machine. A program's are streamed over its inspector, with no such timeout.
 */
export const CONFIRM_HEAP_MAX_BYTES = { probe: 64 * 1024 * 1024, program: 256 * 1024 * 1024 } as const;

/**
 * The snapshots call a leak when the store holding the objects made in their first window (and alive at the end)
 * grew, first snapshot to last, by at least this share of what those objects retain: a leaking store grows by
 * about twice that (two windows of new entries), a full cache turning over by about nothing.
 */
export const HOLDER_GROWTH_SHARE = 0.5;

/**
 * ...and when it still holds at least this share of the entries it held in the first snapshot: a leaking store only
 * adds, a queue or cache that fills and drains lets old entries go (its size at three moments can still rise).
 */
export const HOLDER_KEPT_SHARE = 0.9;

/**
 * Warm-up before the baseline sample. The heap grows 35-75 KB in the first ~2 s of a steady
 * workload (JIT, inline caches, pools); measuring that would read as a leak.
 */
export const DEFAULT_WARMUP_MS = 2_000;

/** Warm-up never takes more than this share of a probe's time, so short soaks still measure. */
export const MAX_WARMUP_SHARE = 0.2;

/** Time between forced-GC samples before the adaptive stretch (see GC_SHARE_TARGET). */
export const DEFAULT_SAMPLE_INTERVAL_MS = 250;

/**
 * The child stretches the sample interval so forced GCs stay under this share of wall time:
 * a full GC costs 4-13 ms on small heaps but far more on big ones.
 */
export const GC_SHARE_TARGET = 0.04;

/**
 * A growth verdict of `fail` needs the slope's interval at this two-sided z (99.9%) to clear the bar, not
 * just the ~95% one shown: a clean probe that fills and flushes an 800 KB batch every ~1 ms is sampled at a
 * random phase each time, its 10 s slope is +-50 KB/s wide, and at 95% it failed a 16 KB/s budget ~1 run in 9
 * on Node 24 (simulated: 22% with the old rule, under 0.1% with this one). Steady leaks, whose interval is
 * narrow, fail as before.
 */
export const VERDICT_Z = 3.29;

/**
 * The leak question (analyze/leak-evidence.ts). The chance of calling a leak where memory does not grow past
 * LEAK_FLOOR_BYTES_PER_SECOND, over a whole run however many times it looks (each look spends a share).
 */
export const LEAK_ALPHA = 0.01;

/** Growth slower than this (8.6 MB a day) is never called a leak: a run's lower bound must clear it. */
export const LEAK_FLOOR_BYTES_PER_SECOND = 100;

/** A run may stop and call "no leak" once the upper bound of its steady growth is under this (26 MB a day). */
export const NO_LEAK_CEILING_BYTES_PER_SECOND = 300;

/** Samples are binned over this much time (median per bin) before the series is cut into segments. */
export const SEGMENT_BIN_MS = 1_000;

/** At most this many bins: a long run's bins widen, so cutting it stays cheap. */
export const SEGMENT_MAX_BINS = 300;

/** The shortest segment between two changepoints (a warm-up phase, a fill). */
export const SEGMENT_MIN_MS = 5_000;

/** The steady state (the last segment) spans at least this much, or half the run when the run is shorter. */
export const MIN_STEADY_MS = 20_000;

/** The least noise assumed in a post-GC series when cutting it (an exact line would make every cut free). */
export const MIN_NOISE_BYTES = 1024;

/** Cost of a changepoint in noise variances times log(points): BIC counts a level, a slope and a position. */
export const SEGMENT_PENALTY = 3;

/** Growth before the steady state is reported as levelled off (a store at its bound) from this size. */
export const LEVELLED_MIN_BYTES = 256 * 1024;

/** Fewer post-GC soak samples than this gives `inconclusive`, never `pass`. */
export const MIN_SAMPLES_FOR_VERDICT = 8;

/** Above this many points, samples are binned (median per bin) before the O(n^2) Theil-Sen slope. */
export const MAX_SLOPE_POINTS = 500;

/** Default growth budget: 0.5 MB/s, for the JS heap and for external memory alike. */
export const DEFAULT_GROWTH_RATE_BYTES_PER_SECOND = 0.5 * 1024 * 1024;

/** Default GC-recovery budget: at least 5% of the run's growth comes back after teardown + GC. */
export const DEFAULT_GC_RECOVERY_SHARE = 0.05;

/**
 * GC recovery is only judged when the run grew at least this much (heap + external):
 * a share of a few kilobytes of noise says nothing.
 */
export const GC_RECOVERY_MIN_GROWTH_BYTES = 1024 * 1024;

/** A child that sends nothing for this long is considered hung and killed. */
export const DEFAULT_STALL_TIMEOUT_MS = 30_000;

/** Time between SIGTERM and SIGKILL when stopping a child. */
export const KILL_GRACE_MS = 2_000;

/** How often the parent samples the child's CPU, RSS and threads. */
export const PROCESS_STATS_INTERVAL_MS = 1_000;

/** Bytes of the child's stderr kept to explain a crash. */
export const STDERR_TAIL_BYTES = 16 * 1024;

/** Where reports and snapshots go when no folder is named. */
export const DEFAULT_OUT_DIR = 'memprobe-out';

/**
 * The child reports progress this often during the soak. Rare on purpose: every IPC message
 * the child sends adds to the heap it measures.
 */
export const PROGRESS_EVERY_MS = 2_000;

/** Default handle budget: no sustained growth of active handles (counts per minute). */
export const DEFAULT_HANDLE_GROWTH_PER_MINUTE = 0;

/** Default file-descriptor budget: no sustained growth. */
export const DEFAULT_FD_GROWTH_PER_MINUTE = 0;

/**
 * A count (handles, fds) must also have risen by at least this much, first quarter to last quarter
 * of the soak, to break a growth budget: a pool that opens one more socket is not a leak.
 */
export const MIN_COUNT_RISE = 3;

/** Handle types tracked one by one in the child's sample store; more go under "other". */
export const MAX_HANDLE_TYPES = 15;

/** Resolution of the child's event-loop delay histogram. */
export const EVENT_LOOP_RESOLUTION_MS = 5;

/**
 * Average bytes between two samples of `--profile heap` (V8's default). Smaller finds rarer sites
 * but slows the probe; docs/benchmarks.md states the measured overhead.
 */
export const HEAP_SAMPLING_INTERVAL_BYTES = 32 * 1024;

/** Microseconds between two samples of `--profile cpu` (DevTools' default). */
export const CPU_SAMPLING_INTERVAL_MICROS = 1000;

/** How many allocation sites / functions the report lists. */
export const TOP_PROFILE_ENTRIES = 10;

/** Program mode: how long a program may take to accept connections on its PORT. */
export const DEFAULT_LISTEN_TIMEOUT_MS = 15_000;

/**
 * Growth slopes are taken over this many equal-time bins (median per bin), the last half over half as many,
 * so a stretch that happened to be sampled densely does not weigh more.
 */
export const TIME_BINS = 40;

/**
 * Each sample interval is the planned one times a random factor in [1 - x, 1 + x], so samples cannot lock onto a
 * workload's period.
 */
export const SAMPLE_JITTER = 0.5;

/**
 * The lower envelope of a series (a leak lifts it, a sawtooth does not) takes the lowest sample of each of
 * this many equal-time stretches: on a 30 s soak, ~3 s each, longer than typical fill-and-clear cycles.
 */
export const ENVELOPE_BINS = 10;

/** Program mode, `--drive URL` without `--rate`: requests per second. */
export const DEFAULT_DRIVE_RATE = 200;

/**
 * Program mode, `--drive URL`: the traffic's sockets are all opened before the warm-up and used in turn, so
 * the program's count of open sockets stays flat (a pool that grew whenever a forced GC paused the program
 * read as a handle leak). One socket per request/s, at least 2 and at most 50: each is used at least once a
 * second (never idle into a keep-alive timeout), and 50 carry 200/s to an endpoint answering in 250 ms.
 */
export const DRIVE_MIN_CONNECTIONS = 2;

/**
 * Leak clusters retaining less than this in all are not reported: one-off internals land there (the HTTP date
 * header Node caches each second, held by its own timer's closure), and no leak worth chasing is that small.
 */
export const MIN_CLUSTER_BYTES = 1024;

/** How many leak clusters a failed soak with --snapshots reports. */
export const TOP_LEAK_CLUSTERS = 5;

/**
 * The longest duration any option takes (a week): longer is a typo, and would size the child's preallocated
 * sample store beyond what a typed array can hold.
 */
export const MAX_DURATION_MS = 7 * 24 * 3600 * 1000;

/**
 * With no leak cluster found, the report says the growth "is not in objects new mid-soak" only when those
 * objects add up to less than this share of what the heap grew between the baseline and final snapshots;
 * otherwise it names the classes that grew, since the objects are there and only their grouping missed them.
 */
export const NEW_OBJECTS_GROWTH_SHARE = 0.25;

/**
 * V8 flag that makes a GC free dead array buffers before it returns. By default V8 sweeps them on a
 * background thread, so `external` read right after a forced GC still counts dead Buffers: a clean 64-slot
 * Buffer pool read +2.7 MB/s once in 3 runs, and 0 B/s in 5 of 5 with this flag. Node refuses it in
 * NODE_OPTIONS, so it goes on the command line (or into a running program through v8.setFlagsFromString).
 */
export const EXACT_EXTERNAL_FLAG = '--no-concurrent-array-buffer-sweeping';

/**
 * V8 flags that stop its optimizing compilers from inlining, given only while a heap profile is taken:
 * the sampling heap profiler charges an allocation to the physical frame, so a probe's small function
 * inlined into its caller (or into memprobe's loop) was charged to the caller (2.08 of 2.31 MB sampled).
 */
export const NO_INLINING_FLAGS: readonly string[] = ['--no-turbo-inlining', '--no-maglev-inlining'];

/** Earlier runs a check is compared with by default (`--history-window`). */
export const DEFAULT_HISTORY_WINDOW = 10;

/** The JSON report of a check in its out folder; `memprobe merge` reads a shard's folder as this file. */
export const CHECK_REPORT_FILE = 'report.json';

/** A script or module file of the kinds memprobe loads (.js, .mjs, .cjs, .ts, .mts, .cts). */
export const SCRIPT_EXTENSION = /\.[cm]?[jt]s$/;

/**
 * `soak --pid/--attach`: the helpers memprobe puts into a running process remove themselves (and close the inspector
 * memprobe opened) when memprobe has not been heard from for this long: it was killed (SIGKILL) and could not clean
 * up. Long enough for the longest gap between samples (a stretched interval, a heap snapshot being written).
 */
export const RUNNING_WATCHDOG_MS = 15_000;

/** How often the running process's watchdog checks when memprobe was last heard from. */
export const RUNNING_WATCHDOG_CHECK_MS = 1_000;

/**
 * How long after memprobe's session ends the process closes an inspector memprobe opened (SIGUSR1):
 * `inspector.close()` evaluated while the session is attached waits for it to go (measured on Node 20 and 26:
 * the evaluation never answered), so the close is armed in a timer and memprobe disconnects at once.
 */
export const INSPECTOR_CLOSE_DELAY_MS = 100;

/**
 * `soak --gentle`: how often the post-major-GC readings the process buffered are collected (each collection is
 * one short evaluation in the process; no GC is forced).
 */
export const GENTLE_COLLECT_EVERY_MS = 1_000;

/** The inspector port node opens on SIGUSR1 (and --inspect without a port). */
export const DEFAULT_INSPECTOR_PORT = 9229;
