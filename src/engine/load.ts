/**
 * The load engine: one `memprobe load` run from resolved options to a LoadReport. It parses no argv, prints
 * nothing and never exits: progress goes to the optional sink, Ctrl-C comes in as an AbortSignal, and what
 * goes wrong under load (a server that does not start, a generator that fails) is in the report's `status`
 * and `fault`. The CLI (cli/load-command.ts) parses, calls this, renders and picks the exit code.
 *
 * @example
 * ```ts
 * import { load } from 'memprobe';
 * const abort = new AbortController();
 * const progress = { phase: (text: string) => console.error(text), tick: () => undefined };
 * const report = await load(options, { signal: abort.signal, progress });
 * console.log(report.status, report.latency.p99);
 * ```
 */
import type { LoadOptions } from '../load/options.js';
import { runLoad, type LoadProgressSink } from '../load/run-load.js';
import type { LoadReport } from '../load/types.js';
import { VERSION } from '../version.js';
import { startEmbeddedServer } from './embedded-service.js';

export type { LoadProgressSink } from '../load/run-load.js';

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

const SILENT: LoadProgressSink = { phase: () => undefined, tick: () => undefined };

/** Runs one load and returns its report; rejects only for a bug, never for what the target does. */
export function load(options: LoadOptions, run: LoadRun = {}): Promise<LoadReport> {
  return runLoad(options, {
    signal: run.signal ?? new AbortController().signal,
    verbose: run.verbose ?? false,
    progress: run.progress ?? SILENT,
    version: run.version ?? VERSION,
    startEmbedded: startEmbeddedServer,
  });
}

// What `memprobe load` resolves before it calls `load`, for the CLI (which imports only the engine).
export { resolveLoadOptions, type LoadFlags, type LoadOptions } from '../load/options.js';
export { loadShare, parseShard, type ShardSpec } from '../shard/split.js';
export * as loadDefaults from '../load/defaults.js';
