/**
 * The only place memprobe decides how a run ends: verdicts and errors become exit codes and one-line messages.
 */
import { EXIT, MemprobeError } from '../errors.js';
import { terminalSafe } from '../report/terminal-safe.js';
import { loadVerdict } from '../core/verdict.js';
import type { LoadStatus } from '../load/types.js';
import type { Verdict } from '../types.js';

export function exitCodeFor(verdict: Verdict, interrupted: boolean): number {
  if (interrupted) return EXIT.interrupted;
  switch (verdict) {
    case 'pass':
      return EXIT.pass;
    case 'fail':
    case 'inconclusive':
      return EXIT.fail;
    case 'error':
      return EXIT.error;
  }
}

/** A load run's exit code: its status as a verdict, 130 when interrupted. */
export function exitCodeForLoad(status: LoadStatus): number {
  return exitCodeFor(loadVerdict(status), status === 'interrupted');
}

/** Prints one line for an error (the stack only when verbose) and returns the exit code. */
export function reportError(error: unknown, verbose: boolean): number {
  if (error instanceof MemprobeError) {
    process.stderr.write(`memprobe: ${terminalSafe(error.message)}\n`);
    if (verbose && error.stack) process.stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `memprobe: internal error: ${terminalSafe(message)}${verbose ? '' : ' (run with --verbose for the stack)'}\n`,
  );
  if (verbose && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  return EXIT.error;
}
