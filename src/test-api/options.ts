/**
 * The options of `assertNoLeak`, validated all at once (every problem in one error, before anything runs) and
 * resolved against the defaults.
 */
import { ConfigError } from '../errors.js';
import { parseDuration, parseSize } from '../core/units.js';
import {
  DEFAULT_BATCHES,
  DEFAULT_BUDGET_BYTES_PER_ITERATION,
  DEFAULT_ITERATIONS,
  DEFAULT_SNAPSHOT_DIR,
  DEFAULT_WARMUP_SHARE,
  MIN_RISE_BYTES,
} from './constants.js';

/** What `assertNoLeak` accepts. `S` is what `setup` returns, handed to the function and to `teardown`. */
export interface LeakOptions<S = undefined> {
  /** Measured iterations (default 2000). Not with `duration`. */
  readonly iterations?: number;
  /** Measure for this long instead of a number of iterations: `'2s'`, `'500ms'`, or milliseconds. */
  readonly duration?: string | number;
  /** `'64B/iteration'` (default) or a rate, `'16KB/s'` (per second of the function's own running time). */
  readonly budget?: string;
  /** Warm-up before measuring: iterations, or a duration string (default: a quarter of the measured iterations). */
  readonly warmup?: number | string;
  /** Post-GC samples over the measured iterations (default 16, at least 8). */
  readonly batches?: number;
  /** Growth must also add up to this many bytes over the run to fail (default 32 KB): runner noise stays below. */
  readonly minRise?: string | number;
  /** Builds what the function works on; its result is passed to the function and to `teardown`. */
  readonly setup?: () => S | Promise<S>;
  readonly teardown?: (state: S) => void | Promise<void>;
  /** Runs after each batch, before the forced GC: e.g. `() => vi.clearAllMocks()` so mocks do not keep every call. */
  readonly afterBatch?: () => void | Promise<void>;
  /** Also fail on growing active handles (timers, sockets); default true. */
  readonly handles?: boolean;
  /** `'on-fail'`: keep the two heap snapshots that named the growing constructors (in `snapshotDir`). */
  readonly snapshots?: false | 'on-fail';
  readonly snapshotDir?: string;
  /** Name the constructors that grew when the check fails (two heap snapshots); default true. */
  readonly census?: boolean;
}

export type Budget =
  | { readonly kind: 'perIteration'; readonly bytes: number; readonly text: string }
  | { readonly kind: 'perSecond'; readonly bytes: number; readonly text: string };

export type Length =
  { readonly kind: 'iterations'; readonly count: number } | { readonly kind: 'duration'; readonly ms: number };

export interface ResolvedOptions {
  readonly length: Length;
  readonly warmup: Length;
  readonly batches: number;
  readonly budget: Budget;
  readonly minRiseBytes: number;
  readonly handles: boolean;
  readonly snapshots: boolean;
  readonly snapshotDir: string;
  readonly census: boolean;
}

const PER_ITERATION = /^(.*)\/\s*(iteration|iter|it|call|op)s?\s*$/i;
const PER_SECOND = /^(.*)\/\s*(s|sec|second)\s*$/i;

/** `'64B/iteration'`, `'1KB/iter'`, `'16KB/s'`. */
export function parseBudget(text: string): { ok: true; value: Budget } | { ok: false; problem: string } {
  const iteration = PER_ITERATION.exec(text);
  const second = iteration ? null : PER_SECOND.exec(text);
  const size = parseSize((iteration ?? second)?.[1] ?? '');
  if ((!iteration && !second) || !size.ok) {
    return { ok: false, problem: `budget: '${text}' is not a budget (use e.g. 64B/iteration or 16KB/s)` };
  }
  return { ok: true, value: { kind: iteration ? 'perIteration' : 'perSecond', bytes: size.value, text } };
}

const isCount = (n: unknown, min: number): n is number => typeof n === 'number' && Number.isInteger(n) && n >= min;

function lengthOf(value: number | string | undefined, name: string, problems: string[]): Length | null {
  if (value === undefined) return null;
  if (typeof value === 'string') {
    const parsed = parseDuration(value);
    if (parsed.ok) return { kind: 'duration', ms: parsed.value };
    problems.push(`${name}: ${parsed.problem}`);
  } else if (name === 'duration' ? typeof value === 'number' && value > 0 : isCount(value, 0)) {
    return name === 'duration' ? { kind: 'duration', ms: value } : { kind: 'iterations', count: value };
  } else
    problems.push(
      `${name}: must be ${name === 'duration' ? 'a duration' : 'a whole number or a duration'}, got ${String(value)}`,
    );
  return null;
}

/** Validates every option; throws one ConfigError listing every problem. */
export function resolveOptions(options: LeakOptions<unknown>): ResolvedOptions {
  const problems: string[] = [];
  if (options.iterations !== undefined && options.duration !== undefined)
    problems.push('iterations and duration: give one of them');
  if (options.iterations !== undefined && !isCount(options.iterations, 1))
    problems.push(`iterations: must be a whole number above 0, got ${String(options.iterations)}`);
  const duration = lengthOf(options.duration, 'duration', problems);
  const warmup = lengthOf(options.warmup, 'warmup', problems);
  const batches = options.batches ?? DEFAULT_BATCHES;
  if (!isCount(batches, 8)) problems.push(`batches: must be a whole number of at least 8, got ${String(batches)}`);
  const budget = options.budget === undefined ? null : parseBudget(options.budget);
  if (budget && !budget.ok) problems.push(budget.problem);
  const minRise =
    typeof options.minRise === 'string'
      ? parseSize(options.minRise)
      : { ok: true as const, value: options.minRise ?? MIN_RISE_BYTES };
  if (!minRise.ok) problems.push(`minRise: ${minRise.problem}`);
  for (const hook of ['setup', 'teardown', 'afterBatch'] as const) {
    if (options[hook] !== undefined && typeof options[hook] !== 'function')
      problems.push(`${hook}: must be a function`);
  }
  if (options.snapshots !== undefined && options.snapshots !== false && options.snapshots !== 'on-fail')
    problems.push(`snapshots: must be false or 'on-fail'`);
  if (problems.length > 0) throw new ConfigError(problems, 'memprobe/test options');
  const iterations = isCount(options.iterations, 1) ? options.iterations : DEFAULT_ITERATIONS;
  const length: Length = duration ?? { kind: 'iterations', count: Math.max(iterations, batches) };
  const warm: Length =
    warmup ??
    (length.kind === 'iterations'
      ? { kind: 'iterations', count: Math.ceil(length.count * DEFAULT_WARMUP_SHARE) }
      : { kind: 'duration', ms: length.ms * DEFAULT_WARMUP_SHARE });
  return {
    length,
    warmup: warm,
    batches,
    budget: budget?.ok
      ? budget.value
      : {
          kind: 'perIteration',
          bytes: DEFAULT_BUDGET_BYTES_PER_ITERATION,
          text: `${DEFAULT_BUDGET_BYTES_PER_ITERATION}B/iteration`,
        },
    minRiseBytes: minRise.ok ? minRise.value : MIN_RISE_BYTES,
    handles: options.handles ?? true,
    snapshots: options.snapshots === 'on-fail',
    snapshotDir: options.snapshotDir ?? DEFAULT_SNAPSHOT_DIR,
    census: options.census ?? true,
  };
}
