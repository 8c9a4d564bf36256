/**
 * Defaults of the leak assertions (`memprobe/test`). Units are in the names; the options table of
 * docs/guides/leak-assertions.md states them and what was measured to choose them.
 */

/** Iterations measured when neither `iterations` nor `duration` is given. */
export const DEFAULT_ITERATIONS = 2_000;

/**
 * Post-GC samples taken over the measured iterations (one forced full GC after each batch). 16 batches are twice
 * the 8 a verdict needs; each forced GC costs 5-15 ms in node:test and vitest but ~60 ms in a jest worker (its
 * bigger heap), so 25 batches spent 1.5 s in GCs there.
 */
export const DEFAULT_BATCHES = 16;

/**
 * Warm-up iterations run before measuring, as a share of the measured iterations: the first runs of a function
 * allocate for good (JIT code, inline caches, lazily built tables, the runner's first-call bookkeeping).
 */
export const DEFAULT_WARMUP_SHARE = 0.25;

/** The budget when none is given: 64 bytes per iteration, on the JS heap and on external memory alike. */
export const DEFAULT_BUDGET_BYTES_PER_ITERATION = 64;

/**
 * A leak must also have raised post-GC memory by this much over the measured iterations. The runners' own noise
 * between two forced GCs (reporters, module cache, timers) moved the heap by up to a few KB with no trend
 * (see "Noise from the test runner" in docs/guides/leak-assertions.md), so growth below this says nothing about
 * the function.
 */
export const MIN_RISE_BYTES = 32 * 1024;

/**
 * Iterations run between the two heap snapshots that name the growing constructors, after a failed check,
 * as a multiple of the batch size, and never fewer than CENSUS_MIN_ITERATIONS: enough that one object per
 * iteration stands out from whatever else the process allocated meanwhile.
 */
export const CENSUS_BATCHES = 4;
export const CENSUS_MIN_ITERATIONS = 200;

/** A constructor is reported when its live count grew by at least this share of the census iterations. */
export const CENSUS_MIN_PER_ITERATION = 0.05;

/** Constructors listed in a failure message. */
export const CENSUS_TOP = 5;

/** `assertReleased`: how long to keep forcing GCs before declaring the object retained. */
export const DEFAULT_RELEASE_TIMEOUT_MS = 2_000;

/** `assertReleased`: pause between two forced GCs (lets finalizers, timers and pending callbacks run). */
export const RELEASE_POLL_MS = 10;

/** Where `snapshots: 'on-fail'` keeps the snapshots of a failed check. */
export const DEFAULT_SNAPSHOT_DIR = 'memprobe-out';
