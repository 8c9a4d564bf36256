/**
 * Heap snapshots, heap profiles and heap summaries hold strings of the process (tokens, passwords): they are
 * written readable by their owner only. A mode given when opening applies only to a file that is created, so
 * an existing file is removed first (overwriting a world-readable file would leave it world-readable), and the
 * new one is opened with PRIVATE_FILE_FLAG: should anything put a file or link there in between, opening fails.
 */
import { rmSync } from 'node:fs';

export const PRIVATE_FILE_MODE = 0o600;

/** Create, and fail if the file exists (O_EXCL). */
export const PRIVATE_FILE_FLAG = 'wx';

/** Removes `path` if it exists, so that the next open creates it with PRIVATE_FILE_MODE. */
export function clearForPrivateFile(path: string): void {
  rmSync(path, { force: true });
}
