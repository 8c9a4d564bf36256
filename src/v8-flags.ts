/**
 * V8 flags memprobe gives the processes it measures, and which of them a node binary knows: an unknown flag
 * on the command line stops node before it starts ("bad option"), so each binary is asked once.
 */
import { spawnSync } from 'node:child_process';
import { EXACT_EXTERNAL_FLAG, NO_INLINING_FLAGS } from './constants.js';

const known = new Map<string, ReadonlySet<string>>();

/** The V8 flag names a node binary lists (`--v8-options`), without `--` and `no-`; empty if it cannot say. */
function flagNamesOf(execPath: string): ReadonlySet<string> {
  let names = known.get(execPath);
  if (names === undefined) {
    const result = spawnSync(execPath, ['--v8-options'], {
      encoding: 'utf8',
      timeout: 10_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    names = new Set(
      result.status === 0
        ? [...result.stdout.matchAll(/^\s+--([a-z0-9-_]+)\s/gm)].map((m) => m[1]!.replace(/_/g, '-'))
        : [],
    );
    known.set(execPath, names);
  }
  return names;
}

const nameOf = (flag: string): string =>
  flag
    .replace(/^--(no-)?/, '')
    .replace(/=.*$/, '')
    .replace(/_/g, '-');

/** The flags of `flags` that the node binary at `execPath` accepts, in order. */
export function supportedFlags(flags: readonly string[], execPath: string = process.execPath): string[] {
  const names = flagNamesOf(execPath);
  return flags.filter((flag) => names.has(nameOf(flag)));
}

/**
 * The flags for a measured process: exact `external` after a forced GC always, no inlining while a
 * heap profile is taken (so allocations are charged to the function that made them).
 */
export function measuredProcessFlags(options: { heapProfile: boolean }, execPath: string = process.execPath): string[] {
  return supportedFlags([EXACT_EXTERNAL_FLAG, ...(options.heapProfile ? NO_INLINING_FLAGS : [])], execPath);
}
