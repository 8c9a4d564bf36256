/**
 * Every default and limit of `memprobe load`, each with why it has its value. (src/constants.ts holds the
 * soak engine's; these live beside the load code so the two can change apart.)
 */

/** Measured load time when --duration is not given; a --users ramp shares it equally between steps. */
export const LOAD_DURATION_MS = 10_000;

/** Unrecorded traffic before measuring: the server's JIT, pools and caches warm up (same rate or users). */
export const LOAD_WARMUP_MS = 1_000;

/** Closed-model ramp when neither --rate nor --users nor --ws is given: the "1 to 20 users" requirement. */
export const DEFAULT_USERS: readonly number[] = [1, 5, 10, 20];

/**
 * Sockets of the open model when --connections is not given. Bounded on purpose: when the server stalls,
 * intended sends queue in the generator and that queueing is counted from their intended time.
 */
export const OPEN_CONNECTIONS = 50;

/** WebSocket clients of --ws when --connections is not given (the fan-out requirement: 1000 clients). */
export const WS_CONNECTIONS = 1_000;

/** Broadcasts per second triggered through POST /broadcast in ws mode when --rate is not given. */
export const WS_BROADCAST_RATE = 10;

/** The path POSTed to trigger a broadcast (the reference notification service's). */
export const WS_BROADCAST_PATH = '/broadcast';

/** WebSocket handshakes in flight at once: well under a default listen backlog (511). */
export const WS_CONNECT_CONCURRENCY = 100;

/** Sockets used to POST broadcast triggers. */
export const WS_TRIGGER_CONNECTIONS = 8;

/** A request (or queued intended send) older than this is failed as `timeout`; also bounds the final drain. */
export const REQUEST_TIMEOUT_MS = 5_000;

/** How often in-flight requests and queued sends are checked against the timeout. */
export const TIMEOUT_SWEEP_MS = 50;

/** The parent kills a generator that has not reported this long after its planned end. */
export const GENERATOR_GRACE_MS = 10_000;

/** On Ctrl-C, in-flight requests get this long to finish before the partial result is reported. */
export const INTERRUPT_DRAIN_MS = 1_000;

/** Closed-model users pause this long after a transport error (refused, reset) so they do not spin. */
export const ERROR_BACKOFF_MS = 10;

/** Largest response head accepted (bytes); bigger is a protocol error. */
export const MAX_HEAD_BYTES = 64 * 1024;

/** Largest body kept for a `capture` (bytes); bigger bodies are read but not parsed. */
export const MAX_CAPTURE_BODY_BYTES = 256 * 1024;

/**
 * Most intended sends waiting for a free connection (about 10 MB of queue). More only happens when the
 * server stalls for long at a high rate, or the rate is beyond what the generator can send; the excess
 * ends at once as `client queue full`.
 */
export const MAX_WAITING_REQUESTS = 100_000;

/** The error type of an intended send dropped because MAX_WAITING_REQUESTS were already waiting. */
export const QUEUE_FULL_ERROR = 'client queue full';

/** Largest number of users or WebSocket clients one generator process runs. */
export const MAX_CLIENTS = 20_000;

/**
 * Saturation rule: the generator fell behind when sends started more than this late at p99. Timers fire
 * about 1 ms late on an idle loop; 10 ms late means the loop was too busy to send on schedule.
 */
export const SATURATION_LAG_P99_MS = 10;

/**
 * Saturation rule: the lag and loop limits are at least this share of the measured p99 latency, since
 * lateness inflates a latency by at most itself (40 ms late on 5 s latencies is still the server's figure).
 */
export const SATURATION_LATENCY_SHARE = 0.1;

/** Saturation rule: the generator used more than this share of one core while measuring. */
export const SATURATION_CPU_PERCENT = 90;

/** Saturation rule: the generator's event loop was blocked more than this at p99 (responses read late). */
export const SATURATION_LOOP_P99_MS = 30;

/**
 * Knee rule: a step degrades when the extra users brought less than this share of the throughput growth
 * they should have (1 = linear) ...
 */
export const KNEE_EFFICIENCY = 0.5;

/** ... and its p95 rose by more than this factor over the previous step. */
export const KNEE_LATENCY_RISE = 1.5;

/** Starvation rule: an operation is starved when its completed share is below this share of its weight share. */
export const STARVATION_RATIO = 0.5;

/** ... judged only when the operation was expected to complete at least this many times (else inconclusive). */
export const STARVATION_MIN_EXPECTED = 20;

/** Default thresholds (the requirements): HTTP p95 < 500 ms and errors < 5%. */
export const HTTP_THRESHOLDS: readonly string[] = ['p95<500ms', 'errors<5%'];

/** Default thresholds for --ws: connect avg < 2 s, broadcast to the last client < 1 s (p99), errors < 5%. */
export const WS_THRESHOLDS: readonly string[] = ['connectAvg<2s', 'lastClientP99<1s', 'errors<5%'];

/** Embedded server: the child's warm-up before its idle baseline sample (no load yet). */
export const EMBEDDED_WARMUP_MS = 300;

/** Embedded server: fewest and most ms between forced-GC memory samples (each GC also pauses the server). */
export const EMBEDDED_SAMPLE_MIN_MS = 500;
export const EMBEDDED_SAMPLE_MAX_MS = 5_000;

/** Embedded server: memory samples aimed for over the load (the interval is the load time / this). */
export const EMBEDDED_SAMPLES = 12;

/** Embedded server: longest wait for the child to start the service and publish its URL. */
export const EMBEDDED_START_TIMEOUT_MS = 20_000;

/** Upper bounds (ms) of the report's latency histogram buckets: 1-2-5 steps from 0.1 ms to 500 s. */
export const LATENCY_BUCKETS_MS: readonly number[] = Array.from(
  { length: 21 },
  (_, i) => [1, 2, 5][i % 3]! * 10 ** (Math.floor(i / 3) - 1),
);

/** How often the generator reports its progress (answered and failed requests) for the progress line. */
export const PROGRESS_TICK_MS = 1_000;

/** Seed of the generator's operation and user choices, so two runs send the same mix. */
export const LOAD_SEED = 0x5eed;

/** Longest the generator spends on scenario setup requests or opening WebSockets (at least 2x the timeout). */
export const SETUP_LIMIT_MS = 15_000;
