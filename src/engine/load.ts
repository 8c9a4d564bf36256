/**
 * The load engine: one `memprobe load` run, from the options as a user writes them to a LoadReport. It reads no
 * argv, prints nothing and never exits: invalid options throw one ConfigError naming every problem (a bad
 * `shard` a UsageError), progress goes to the optional sink, Ctrl-C comes in as an AbortSignal, and what goes
 * wrong under load (a server that does not start, a generator that fails) is in the report's `status` and
 * `fault`. The CLI (cli/load-command.ts) parses its flags, calls this, renders and picks the exit code.
 *
 * @example
 * ```ts
 * import { load } from 'memprobe';
 * const abort = new AbortController();
 * const progress = { phase: (text: string) => console.error(text), tick: () => undefined };
 * const input = { url: 'http://127.0.0.1:8080/', rate: '500/s', duration: '10s' };
 * const report = await load(input, { signal: abort.signal, progress });
 * console.log(report.status, report.latency.p99);
 * ```
 */
import { ConfigError, UsageError } from '../errors.js';
import { resolveLoadOptions, type LoadFlags, type LoadOptions } from '../load/options.js';
import { runLoad, type LoadProgressSink } from '../load/run-load.js';
import type { LoadReport } from '../load/types.js';
import { loadShare, parseShard, type ShardSpec } from '../shard/split.js';
import { VERSION } from '../version.js';
import { startEmbeddedServer } from './embedded-service.js';

export type { LoadProgressSink } from '../load/run-load.js';
export type { LoadFlags, LoadOptions } from '../load/options.js';

/** `memprobe load`'s options as a user writes them (`duration: '10s'`, `rate: '500/s'`); all optional. */
export interface LoadInput extends Omit<LoadFlags, 'threshold'> {
  /** Thresholds such as `p95<500ms`; none: the defaults of the mode. */
  threshold?: string[];
  /** `i/n`: run share i of n of the rate or users (with `url`); the report then carries `shard`. */
  shard?: string;
}

/** How one load runs; every field is optional. */
export interface LoadRun {
  /** Aborting ends the load early: the report then covers what was measured (status `interrupted`). */
  readonly signal?: AbortSignal;
  /** Phases and about one tick a second, e.g. for a progress line. */
  readonly progress?: LoadProgressSink;
  /** Pass the generator's and the embedded server's own output through (stdout, stderr). */
  readonly verbose?: boolean;
  /** The tool version written into the report (default: this package's). */
  readonly version?: string;
}

/** Options checked and resolved, and this generator's shard (if any). */
export interface ResolvedLoad {
  readonly options: LoadOptions;
  readonly shard: ShardSpec | undefined;
}

const SILENT: LoadProgressSink = { phase: () => undefined, tick: () => undefined };

/** `shard: 'i/n'`, or a one-line usage error before anything is read. */
function shardSpec(text: string | undefined): ShardSpec | undefined {
  if (text === undefined) return undefined;
  const parsed = parseShard(text);
  if (!parsed.ok) throw new UsageError(parsed.problem);
  return parsed.shard;
}

/** This generator's part of the rate or users. */
function shareOf(options: LoadOptions, shard: ShardSpec | undefined): LoadOptions {
  if (shard === undefined) return options;
  const share = loadShare(options, shard);
  if (!share.ok) throw new UsageError(share.problem);
  return { ...options, rate: share.rate, users: share.users };
}

/** Checks every option (paths relative to `cwd`) before anything runs; throws a ConfigError or UsageError. */
export async function resolveLoad(input: LoadInput, cwd = process.cwd()): Promise<ResolvedLoad> {
  const shard = shardSpec(input.shard);
  const resolved = await resolveLoadOptions({ ...input, threshold: input.threshold ?? [] }, cwd);
  if (resolved.options === null) throw new ConfigError(resolved.problems, 'invalid options');
  return { options: shareOf(resolved.options, shard), shard };
}

/** Runs a load from options already resolved (a check's loads); never rejects for what the target does. */
export function loadWithOptions(options: LoadOptions, run: LoadRun = {}): Promise<LoadReport> {
  return runLoad(options, {
    signal: run.signal ?? new AbortController().signal,
    verbose: run.verbose ?? false,
    progress: run.progress ?? SILENT,
    version: run.version ?? VERSION,
    startEmbedded: startEmbeddedServer,
  });
}

/** Runs a resolved load; a shard's report says which share it measured. */
export async function loadResolved(resolved: ResolvedLoad, run: LoadRun = {}): Promise<LoadReport> {
  const measured = await loadWithOptions(resolved.options, run);
  return resolved.shard ? { ...measured, shard: resolved.shard } : measured;
}

/** Checks the options, runs one load and returns its report. */
export async function load(input: LoadInput, run: LoadRun = {}, cwd = process.cwd()): Promise<LoadReport> {
  return loadResolved(await resolveLoad(input, cwd), run);
}

/** The defaults `memprobe load --help` shows. */
export * as loadDefaults from '../load/defaults.js';
