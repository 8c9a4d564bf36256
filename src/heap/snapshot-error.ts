/**
 * The one error the heap reader throws: it names the file and where reading stopped, on one line.
 */
import { EXIT, MemprobeError } from '../errors.js';

/** Where in the file reading failed: the section (`header`, `nodes`, `edges`, `strings`...) and the byte offset. */
export interface SnapshotLocation {
  readonly section: string;
  readonly offset?: number;
}

/**
 * A .heapsnapshot cannot be read: missing, truncated, corrupt, not a snapshot, or absurd.
 *
 * @example
 * ```ts
 * try { readHeapSnapshot('a.heapsnapshot'); } catch (e) {
 *   if (e instanceof HeapSnapshotError) console.error(e.message); // "a.heapsnapshot: truncated ... (edges, byte 1234)"
 * }
 * ```
 */
export class HeapSnapshotError extends MemprobeError {
  readonly file: string;
  readonly section: string;
  readonly offset: number | undefined;
  constructor(file: string, problem: string, where: SnapshotLocation, options?: { cause?: unknown }) {
    const at = where.offset === undefined ? where.section : `${where.section}, byte ${where.offset}`;
    super('E_SNAPSHOT', `${file}: ${oneLine(problem)} (${at})`, EXIT.error, options);
    this.name = 'HeapSnapshotError';
    this.file = file;
    this.section = where.section;
    this.offset = where.offset;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
