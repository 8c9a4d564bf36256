/**
 * Worker side of the parallel read (parallel-reader.ts): finds the `edges` and `strings` keys in a few small
 * windows (section-probe.ts on V8 11's one record per line, array-probe.ts on V8 12+'s one line per array), picks
 * where to split the edges between the threads (a line start, or the values' phase, tells a record start),
 * publishes those offsets at once, then parses its part of the edges while the main thread parses the nodes,
 * the head of the edges and the strings. The arrays travel back by transfer, not by copy.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { edgesFrom, type EdgeArrays } from './columns.js';
import type { SnapshotHeader } from './header.js';
import { SHARED_MARGIN } from './parallel-reader.js';
import { SnapshotParser } from './parser.js';
import { SnapshotParseError } from './parser-types.js';
import type { StringTableParts } from './string-table.js';
import { ArrayProbe } from './array-probe.js';
import { READ_WORKER_IDLE_MS } from './read-worker.js';
import { SectionProbe } from './section-probe.js';
import { touchPages, type SpareMemory } from './workspace.js';

export interface EdgesWorkerData {
  readonly file: string;
  readonly header: SnapshotHeader;
  readonly chunkBytes: number;
  /** Share of the edges' bytes for the main thread, instead of the balanced one (tests force a split). */
  readonly headShare?: number;
  /**
   * When the main thread posted the job (ms since the epoch: `performance.timeOrigin + performance.now()`). The
   * main thread parses from then on; the split gives it the edges it parses while this thread starts (a worker
   * started ahead, read-worker.ts, may already wait) and finds the sections.
   */
  readonly postedAt: number;
  /** Window of the section probe (tests shrink it to make it probe many times on a small file). */
  readonly probeWindowBytes?: number;
  /** [state, 0]: 0 searching, 1 offsets known, 2 edges parsed, -1 failed. */
  readonly state: Int32Array;
  /**
   * [edges key offset, strings key offset, bytes read so far (a heartbeat for the waiting thread), split: the
   * offset of the comma that starts the worker's part of the edges, or -1 when the worker reads them all, the
   * index in `shared` where the worker's edges go].
   */
  readonly offsets: Float64Array;
  /** The edge columns of both threads: the main thread's part from 0, the worker's from offsets[4]. */
  readonly shared: EdgeArrays;
  readonly port: MessagePort;
  /** Touched page by page once the edges are sent (workspace.ts). */
  readonly spare: SpareMemory | null;
}

export interface EdgesResult {
  readonly edgeCount: number;
  readonly edgeType: Uint8Array;
  readonly edgeName: Uint32Array;
  readonly edgeTo: Uint32Array;
  /** Where the worker's parse met the `strings` key: must be where the search found it. */
  readonly stringsAt: number;
  readonly maxNameIndex: number;
  /** The strings table, read after the edges. */
  readonly strings: StringTableParts;
  /** True when the edges are in the shared columns from offsets[4] (false: they did not fit, and grew apart). */
  readonly inShared: boolean;
}

export type EdgesMessage =
  | { readonly ok: true; readonly result: EdgesResult }
  | { readonly ok: false; readonly message: string; readonly section: string; readonly offset?: number }
  /** No `edges` or `strings` key (a file cut short): the main thread reads it alone, to say where it ends. */
  | { readonly ok: false; readonly noKeys: true };

const EDGES_KEY = '"edges":';

/**
 * Where the `edges` and `strings` keys are: probed in a few windows (section-probe.ts), else searched backward
 * from the end (reads the strings and edges once more). Neither key can occur inside a JSON string (a raw
 * quote would end it) nor inside a number array.
 */
function findSections(fd: number, size: number, data: EdgesWorkerData): { edgesAt: number; stringsAt: number } {
  // A file cut short has no strings key to find: searching for it would read the whole file backward.
  const tail = Buffer.alloc(Math.min(64, size));
  readSync(fd, tail, 0, tail.length, size - tail.length);
  if (!/\]\s*\}\s*$/.test(tail.toString('latin1'))) return { edgesAt: -1, stringsAt: -1 };
  const { nodeFields, edgeFields } = data.header;
  // The header is small: the nodes key is searched in small windows, so little is read twice.
  const nodesKey = Buffer.from('"nodes":[');
  const nodesAt = searchForward(fd, nodesKey, 0, size, Math.min(data.chunkBytes, HEADER_WINDOW), data.offsets);
  const window = Math.min(data.chunkBytes, SEARCH_WINDOW);
  if (nodesAt < 0) return { edgesAt: -1, stringsAt: -1 };
  const found = oneLinePerArray(fd, nodesAt + nodesKey.length, data.offsets)
    ? probed(new ArrayProbe(fd, size, data.header, data.probeWindowBytes), nodesAt + nodesKey.length, data.offsets)
    : probed(new SectionProbe(fd, size, nodeFields.length, edgeFields.length, data.probeWindowBytes), 0, data.offsets);
  if (found) return found;
  // A layout the probes cannot read. The strings key is not searched (the worker's parse of the edges meets it,
  // and the main thread parses the strings after that), and the edges key is searched from the first offset the
  // nodes can end at: each of their values takes at least a digit and a separator. The main thread checks the
  // node count, so a header that claims more nodes than the file holds fails there, not here.
  const nodesEnd = nodesAt + nodesKey.length + Math.max(0, 2 * nodeFields.length * data.header.nodeCount - 1);
  const edgesAt = searchForward(fd, Buffer.from(EDGES_KEY + '['), nodesEnd, size, window, data.offsets);
  return { edgesAt, stringsAt: -1 };
}

interface Probe {
  readonly bytesRead: number;
  find(from: number): { edgesAt: number; stringsAt: number } | null;
}

function probed(probe: Probe, from: number, progress: Float64Array): { edgesAt: number; stringsAt: number } | null {
  const found = probe.find(from);
  progress[2]! += probe.bytesRead;
  return found;
}

/** Where the split is chosen: a record is a few dozen bytes, so a window this size holds many record starts. */
const SPLIT_WINDOW = 4 * 1024;

/** The header is about a kilobyte: the nodes key is searched in windows of this size. */
const HEADER_WINDOW = 4 * 1024;

/** Search windows: large enough that calls do not matter, small enough that little is read past a key. */
const SEARCH_WINDOW = 256 * 1024;

/**
 * V8 11 breaks the line after every record (a few dozen bytes); V8 12+ writes a whole array on one line. So
 * the first kilobytes of the nodes tell the layout, and the section probe is not run where it cannot work.
 */
function oneLinePerArray(fd: number, from: number, progress: Float64Array): boolean {
  const sample = Buffer.allocUnsafe(4096);
  const read = readSync(fd, sample, 0, sample.length, from);
  progress[2]! += read;
  return read === sample.length && sample.indexOf(0x0a) < 0;
}

/** Offset of the first occurrence of `marker` in [from, end), searching chunk by chunk. */
function searchForward(
  fd: number,
  marker: Buffer,
  from: number,
  end: number,
  chunkBytes: number,
  progress: Float64Array,
): number {
  const buffer = Buffer.allocUnsafe(chunkBytes + marker.length);
  for (let start = from; start < end; start += chunkBytes) {
    const length = Math.min(chunkBytes + marker.length - 1, end - start);
    const read = readSync(fd, buffer, 0, length, start);
    progress[2]! += read;
    const at = buffer.subarray(0, read).indexOf(marker);
    if (at >= 0) return start + at;
  }
  return -1;
}

/** Costs of the split, in edges (see chooseSplit). */
const NODE_COST = 2.3;
const STRING_BYTE_COST = 0.16;
/** Edges the main thread parses in a millisecond (about 17,500 measured on a 100 MB snapshot's head). */
const EDGES_PER_MS = 17_500;
/** What this thread still does after the split before it parses: the window read, the parser's set-up. */
const SPLIT_TO_PARSE_EDGES = 100_000;

/**
 * Where the main thread's part of the edges ends: each thread should get about half of the file's parse work
 * (the main thread also parses the nodes, the worker the strings). Returns the offset of the comma before a
 * record there (after a line break, or found by the values' phase), or -1 to leave all edges to the worker. The
 * window read counts in `progress`, with every other byte the worker reads.
 */
function chooseSplit(
  fd: number,
  header: SnapshotHeader,
  size: number,
  edgesAt: number,
  stringsAt: number,
  headShare: number | undefined,
  postedAt: number,
  progress: Float64Array,
): number {
  const edgesBytes = stringsAt - edgesAt;
  const stringsBytes = size - stringsAt;
  // This thread reads the tail of the edges and the strings, the main thread the nodes and the head. Costs, in
  // edges (about 60 ns each): a node 2.3 (more columns, more pages), a byte of strings 0.16 (scanned in
  // JavaScript), as measured on 100 MB, 660 MB and 2.4 GB snapshots; and the edges the main thread has parsed
  // the time since the job was posted (this thread's start, the sections' search) and will until this one parses.
  const { nodeCount, edgeCount } = header;
  const waitedMs = Math.max(0, performance.timeOrigin + performance.now() - postedAt);
  const start = waitedMs * EDGES_PER_MS + SPLIT_TO_PARSE_EDGES;
  const headEdges = (edgeCount + start + STRING_BYTE_COST * stringsBytes - NODE_COST * nodeCount) / 2;
  const headBytes =
    headShare === undefined ? (headEdges * edgesBytes) / Math.max(1, edgeCount) : edgesBytes * headShare;
  if (headBytes < (headShare === undefined ? 4 * 1024 * 1024 : 1) || header.edgeCount === 0) return -1;
  const target = edgesAt + EDGES_KEY.length + 1 + Math.floor(headBytes);
  if (target >= stringsAt) return -1;
  const window = Buffer.allocUnsafe(SPLIT_WINDOW);
  const read = readSync(fd, window, 0, window.length, target);
  progress[2]! += read;
  // One line per array: no line break starts a record, the values' phase tells where one does.
  const bytes = window.subarray(0, read);
  if (bytes.indexOf(0x0a) < 0) return new ArrayProbe(fd, size, header).edgeRecordAfter(target, bytes);
  for (let i = 0; i + 1 < read; i++) {
    const c = window[i]!;
    if (c === 0x0a && window[i + 1] === 0x2c) return target + i + 1;
    // Only digits, commas and line breaks belong here; anything else means no split (one record per line is
    // how V8 writes, not a rule of the format).
    if (!((c >= 0x30 && c <= 0x39) || c === 0x2c || c === 0x0a || c === 0x0d || c === 0x20)) return -1;
  }
  return -1;
}

/**
 * Where the worker's edges start in the shared columns: past the main thread's part, estimated from the bytes
 * per edge with a margin (the space between the parts is closed at the join). A part that does not fit is
 * read into arrays of its own thread, and the join copies it.
 */
function sharedBase(edgeCount: number, capacity: number, headBytes: number, tailBytes: number): number {
  const head = (edgeCount * headBytes) / (headBytes + tailBytes);
  return Math.min(capacity, Math.ceil(head * (1 + SHARED_MARGIN)) + 4096);
}

function run(data: EdgesWorkerData): EdgesMessage {
  const fd = openSync(data.file, 'r');
  try {
    const size = fstatSync(fd).size;
    const { edgesAt, stringsAt } = findSections(fd, size, data);
    if (edgesAt < 0) return { ok: false, noKeys: true };
    // Without the strings key (one-line layout) the edges' length is unknown: the worker reads them all.
    const split =
      stringsAt < 0
        ? -1
        : chooseSplit(fd, data.header, size, edgesAt, stringsAt, data.headShare, data.postedAt, data.offsets);
    const from = split >= 0 ? split + 1 : edgesAt + EDGES_KEY.length;
    const { shared } = data;
    const base =
      split < 0 ? 0 : sharedBase(data.header.edgeCount, shared.type.length, from - edgesAt, stringsAt - from);
    data.offsets[0] = edgesAt;
    data.offsets[1] = stringsAt;
    data.offsets[3] = split;
    data.offsets[4] = base;
    Atomics.store(data.state, 0, 1);
    Atomics.notify(data.state, 0);

    const parser = new SnapshotParser({
      totalBytes: size,
      section: {
        key: 'edges',
        header: data.header,
        offset: from,
        inside: split >= 0,
        part: split >= 0,
        edgesInto: edgesFrom(shared, base),
      },
    });
    const buffer = Buffer.allocUnsafe(data.chunkBytes);
    let position = from;
    while (!parser.done && position < size) {
      const read = readSync(fd, buffer, 0, Math.min(buffer.length, size - position), position);
      if (read === 0) break;
      position += read;
      data.offsets[2]! += read;
      parser.push(read === buffer.length ? buffer : buffer.subarray(0, read));
    }
    const parsed = parser.finish();
    return {
      ok: true,
      result: {
        edgeCount: parsed.edgeCount,
        edgeType: parsed.edgeType,
        edgeName: parsed.edgeName,
        edgeTo: parsed.edgeTo,
        stringsAt: parser.stringsKeyAt,
        maxNameIndex: parsed.maxNameIndex,
        strings: parsed.strings.parts(),
        inShared: parsed.edgeType.buffer === shared.type.buffer,
      },
    };
  } catch (error) {
    if (error instanceof SnapshotParseError)
      return { ok: false, message: error.message, section: error.section, offset: error.offset };
    return { ok: false, message: (error as Error).message, section: 'edges' };
  } finally {
    closeSync(fd);
  }
}

function job(data: EdgesWorkerData): void {
  const message = run(data);
  data.port.postMessage(message, message.ok ? transferable(message.result) : []);
  Atomics.store(data.state, 0, message.ok ? 2 : -1);
  Atomics.notify(data.state, 0);
  if (message.ok && data.spare) touchPages(data.spare);
}

// The job comes as the first message (read-worker.ts: the worker may start before its read); one that never comes
// ends the thread.
const idle = setTimeout(() => process.exit(0), READ_WORKER_IDLE_MS);
parentPort!.once('message', (data: EdgesWorkerData) => {
  clearTimeout(idle);
  job(data);
});
Atomics.store((workerData as { ready: Int32Array }).ready, 0, 1);

/**
 * The buffers that move without a copy: the strings table's and the edges' that did not fit the shared columns.
 * The shared columns are shared, not moved.
 */
function transferable(result: EdgesResult): ArrayBuffer[] {
  const { strings } = result;
  const arrays = [result.edgeType, result.edgeName, result.edgeTo, strings.blockOf, strings.starts, strings.ends];
  const buffers = [...arrays, strings.flags, ...strings.blocks].map((array) => array.buffer);
  return [...new Set(buffers)].filter((buffer): buffer is ArrayBuffer => buffer instanceof ArrayBuffer);
}
