/**
 * Reads a .heapsnapshot file in chunks through the streaming parser. Never `readFileSync` + `JSON.parse`:
 * big snapshots exceed V8's longest string, and their strings table alone can exceed 512 MB.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { PARALLEL_MIN_BYTES, readInParallel } from './parallel-reader.js';
import { phase, type Phases } from '../core/phases.js';
import { SnapshotParser } from './parser.js';
import { SnapshotParseError, type ParsedSnapshot } from './parser-types.js';
import { HeapSnapshotError } from './snapshot-error.js';
import { HeapSnapshot } from './snapshot.js';

/**
 * Bytes per read: large enough that syscalls do not matter (90 reads of a 90 MB file), small enough that the
 * buffer's pages, each a fault the first time it is written, cost little (each thread of a read has one).
 */
export const DEFAULT_CHUNK_BYTES = 1024 * 1024;

export interface ReadOptions {
  readonly chunkBytes?: number;
  /** Parse the edges on a worker thread for files of at least `parallelMinBytes` (default true). */
  readonly parallel?: boolean;
  /** Default PARALLEL_MIN_BYTES (48 MB); tests lower it to exercise the worker on small files. */
  readonly parallelMinBytes?: number;
  /** Share of the edges the main thread parses in a parallel read (default: balanced by size; tests force one). */
  readonly headShare?: number;
  /**
   * An analysis (dominators, paths) follows the read: a parallel read has its worker prepare that analysis's
   * working memory once its part is read (workspace.ts, SpareMemory). Off for reads that only build tables.
   */
  readonly forAnalysis?: boolean;
  /** Times the read as a phase (`read NAME`) and reports the bytes read. */
  readonly phases?: Phases | undefined;
}

/**
 * Reads and checks a whole snapshot.
 *
 * @example
 * ```ts
 * const snapshot = readHeapSnapshot('before.heapsnapshot');
 * console.log(snapshot.nodeCount, snapshot.name(snapshot.rootOrdinal));
 * ```
 */
export function readHeapSnapshot(file: string, options: ReadOptions = {}): HeapSnapshot {
  const parallel = (options.parallel ?? true) ? (options.parallelMinBytes ?? PARALLEL_MIN_BYTES) : Infinity;
  return phase(options.phases, `read ${basename(file)}`, () => {
    const chunk = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    const parsed = readFile(file, false, chunk, parallel, options);
    return checked(file, parsed);
  });
}

/**
 * Reads only the `nodes` array (it comes first) and returns the node ids: enough to tell which objects are new.
 * The rest of the file is not parsed; only its end is checked, so a truncated file is still refused.
 */
export function readNodeIds(file: string, options: ReadOptions = {}): Uint32Array {
  return phase(options.phases, `read ids ${basename(file)}`, () => {
    const chunk = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    const ids = readFile(file, true, chunk, Infinity, options).nodeId;
    checkEnding(file);
    return ids;
  });
}

/** A complete snapshot ends with the strings array and the closing brace: `]}`, maybe followed by whitespace. */
function checkEnding(file: string): void {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const tail = Buffer.alloc(Math.min(64, size));
    readSync(fd, tail, 0, tail.length, size - tail.length);
    if (!/\]\s*\}\s*$/.test(tail.toString('latin1'))) {
      throw new HeapSnapshotError(file, 'truncated heap snapshot: it does not end with the strings array', {
        section: 'strings',
        offset: size,
      });
    }
  } finally {
    closeSync(fd);
  }
}

/** Parses in-memory chunks (tests feed tiny chunks to cut numbers, escapes and UTF-8 sequences apart). */
export function parseHeapSnapshotChunks(
  name: string,
  chunks: Iterable<Buffer>,
  totalBytes?: number,
  stringBlockBytes?: number,
  wasm = true,
): HeapSnapshot {
  const parser = new SnapshotParser({ totalBytes, stringBlockBytes, wasm });
  try {
    for (const chunk of chunks) if (!parser.push(chunk)) break;
    return checked(name, parser.finish());
  } catch (error) {
    throw asSnapshotError(name, error);
  }
}

/** `parallelFrom`: the file size from which the edges are parsed on a worker (Infinity: never). */
function readFile(
  file: string,
  nodesOnly: boolean,
  chunkBytes: number,
  parallelFrom: number,
  options: ReadOptions,
): ParsedSnapshot {
  const { phases } = options;
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw new HeapSnapshotError(
      file,
      `cannot open: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      { section: 'file' },
    );
  }
  try {
    const totalBytes = fstatSync(fd).size;
    const onRead = phases
      ? (bytes: number, position: number): void => phases.read(bytes, position, totalBytes)
      : undefined;
    if (totalBytes >= parallelFrom) {
      const parsed = readInParallel(file, fd, totalBytes, chunkBytes, {
        headShare: options.headShare,
        onRead,
        forAnalysis: options.forAnalysis ?? false,
      });
      if (parsed) return parsed;
    }
    const parser = new SnapshotParser({ totalBytes, nodesOnly });
    const buffer = Buffer.allocUnsafe(Math.max(1024, Math.min(chunkBytes, Math.max(totalBytes, 1024))));
    let position = 0;
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, position);
      if (read === 0) break;
      position += read;
      onRead?.(read, position);
      if (!parser.push(read === buffer.length ? buffer : buffer.subarray(0, read))) break;
    }
    return parser.finish();
  } catch (error) {
    throw asSnapshotError(file, error);
  } finally {
    closeSync(fd);
  }
}

function asSnapshotError(file: string, error: unknown): Error {
  if (error instanceof HeapSnapshotError) return error;
  if (error instanceof SnapshotParseError)
    return new HeapSnapshotError(file, error.message, { section: error.section, offset: error.offset });
  if (error instanceof RangeError) {
    // Allocation failures on absurd-but-plausible sizes end here rather than as an internal error.
    return new HeapSnapshotError(file, `too large to load: ${error.message}`, { section: 'file' }, { cause: error });
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (code) return new HeapSnapshotError(file, `cannot read: ${code}`, { section: 'file' }, { cause: error });
  return error as Error;
}

/** Cross-checks indexes the parser could not check while streaming: string indexes and the root. */
function checked(file: string, parsed: ParsedSnapshot): HeapSnapshot {
  const stringCount = parsed.strings.length;
  const fail = (problem: string, section: string): never => {
    throw new HeapSnapshotError(file, problem, { section });
  };
  if (parsed.nodeCount === 0) fail('the snapshot has no nodes', 'nodes');
  if (parsed.header.rootOrdinal >= parsed.nodeCount) fail('root_index is past the last node', 'header');
  if (parsed.maxNameIndex >= stringCount) {
    // Rare: find the culprit for the message.
    const names = parsed.nodeName;
    for (let n = 0; n < parsed.nodeCount; n++) {
      if (names[n]! >= stringCount)
        fail(`node ${n} names string ${names[n]} but there are ${stringCount} strings`, 'nodes');
    }
    fail(`an edge names string ${parsed.maxNameIndex} but there are ${stringCount} strings`, 'edges');
  }
  const snapshot = new HeapSnapshot(file, parsed);
  return snapshot;
}
