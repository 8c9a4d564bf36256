/**
 * Heap snapshots, heap profiles and heap summaries hold strings of the process (tokens, passwords): they are
 * written readable by their owner only. A mode given when opening applies only to a file that is created, so
 * an existing file is removed first: overwriting a world-readable file would leave it world-readable.
 */
import { rmSync } from 'node:fs';

export const PRIVATE_FILE_MODE = 0o600;

/** Removes `path` if it exists, so that the next open creates it with PRIVATE_FILE_MODE. */
export function clearForPrivateFile(path: string): void {
  rmSync(path, { force: true });
}
