/**
 * Heap snapshots, heap profiles and heap summaries hold strings of the process (tokens, passwords): they are
 * written readable by their owner only. A mode given when opening applies only to a file that is created, so
 * an existing file is removed first (overwriting a world-readable file would leave it world-readable), and the
 * new one is opened exclusively: should anything put a file or link there in between, opening fails.
 */
import { closeSync, createWriteStream, openSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';

export const PRIVATE_FILE_MODE = 0o600;

/** Create, and fail if the file exists (O_EXCL). */
const EXCLUSIVE = 'wx';

/** Writes `data` to a new file at `path` that only its owner can read. */
export function writePrivateFile(path: string, data: string): void {
  rmSync(path, { force: true });
  writeFileSync(path, data, { mode: PRIVATE_FILE_MODE, flag: EXCLUSIVE });
}

/** A stream into a new file at `path` that only its owner can read. */
export function createPrivateWriteStream(path: string): WriteStream {
  rmSync(path, { force: true });
  return createWriteStream(path, { mode: PRIVATE_FILE_MODE, flags: EXCLUSIVE });
}

/** Creates an empty file at `path` that only its owner can read (for a writer that truncates, like V8's). */
export function createPrivateFile(path: string): void {
  rmSync(path, { force: true });
  closeSync(openSync(path, EXCLUSIVE, PRIVATE_FILE_MODE));
}
