/**
 * Worker side of the parallel read (parallel-reader.ts): finds the `edges` and `strings` keys by searching
 * backward from the end of the file, picks where to split the edges between the threads (V8 writes one record
 * per line, so a line start is a record start), publishes those offsets at once, then parses its part of the
 * edges while the main thread parses the nodes, the head of the edges and the strings. The arrays travel back
 * by transfer, not by copy.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { workerData, type MessagePort } from 'node:worker_threads';
import type { SnapshotHeader } from './header.js';
import { SnapshotParser } from './parser.js';
import { SnapshotParseError } from './parser-types.js';
import { SectionProbe } from './section-probe.js';

export interface EdgesWorkerData {
  readonly file: string;
  readonly header: SnapshotHeader;
  readonly chunkBytes: number;
  /** Share of the edges' bytes for the main thread, instead of the balanced one (tests force a split). */
  readonly headShare?: number;
  /** Window of the section probe (tests shrink it to make it probe many times on a small file). */
  readonly probeWindowBytes?: number;
  /** [state, 0]: 0 searching, 1 offsets known, 2 edges parsed, -1 failed. */
  readonly state: Int32Array;
  /**
   * [edges key offset, strings key offset, bytes read so far (a heartbeat for the waiting thread), split: the
   * offset of the comma that starts the worker's part of the edges, or -1 when the worker reads them all].
   */
  readonly offsets: Float64Array;
  readonly port: MessagePort;
}

export interface EdgesResult {
  readonly edgeCount: number;
  readonly edgeType: Uint8Array;
  readonly edgeName: Uint32Array;
  readonly edgeTo: Uint32Array;
  /** Where the worker's parse met the `strings` key: must be where the search found it. */
  readonly stringsAt: number;
  readonly maxNameIndex: number;
}

export type EdgesMessage =
  | { readonly ok: true; readonly result: EdgesResult }
  | { readonly ok: false; readonly message: string; readonly section: string; readonly offset?: number }
  /** No `edges` or `strings` key (a file cut short): the main thread reads it alone, to say where it ends. */
  | { readonly ok: false; readonly noKeys: true };

/** Offset of the last occurrence of `marker` before `end`, searching backward chunk by chunk. */
function searchBackward(fd: number, marker: Buffer, end: number, chunkBytes: number, progress: Float64Array): number {
  const buffer = Buffer.allocUnsafe(chunkBytes + marker.length);
  let stop = end;
  while (stop > 0) {
    const start = Math.max(0, stop - chunkBytes);
    const length = Math.min(stop + marker.length - 1, end) - start;
    const read = readSync(fd, buffer, 0, length, start);
    progress[2]! += read;
    const at = buffer.subarray(0, read).lastIndexOf(marker);
    if (at >= 0) return start + at;
    stop = start;
  }
  return -1;
}

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
  const probe = new SectionProbe(fd, size, nodeFields.length, edgeFields.length, data.probeWindowBytes);
  const found = probe.find();
  data.offsets[2]! += probe.bytesRead;
  if (found) return found;
  // V8 12+ (Node 24) writes each array on one line: the strings are searched from the end, the edges key from
  // the start (the nodes come before it: a smaller section than the edges to search backward through).
  const stringsAt = searchBackward(fd, Buffer.from('"strings":['), size, data.chunkBytes, data.offsets);
  const edgesKey = Buffer.from('"edges":[');
  const edgesAt = stringsAt < 0 ? -1 : searchForward(fd, edgesKey, stringsAt, data.chunkBytes, data.offsets);
  return { edgesAt, stringsAt };
}

/** Offset of the first occurrence of `marker` before `end`, searching from the start chunk by chunk. */
function searchForward(fd: number, marker: Buffer, end: number, chunkBytes: number, progress: Float64Array): number {
  const buffer = Buffer.allocUnsafe(chunkBytes + marker.length);
  for (let start = 0; start < end; start += chunkBytes) {
    const length = Math.min(chunkBytes + marker.length - 1, end - start);
    const read = readSync(fd, buffer, 0, length, start);
    progress[2]! += read;
    const at = buffer.subarray(0, read).indexOf(marker);
    if (at >= 0) return start + at;
  }
  return -1;
}

/**
 * Where the main thread's part of the edges ends: each thread should get about half of the file's parse work
 * (the main thread also parses the nodes and the strings). Returns the
 * offset of the comma after a line break there, or -1 to leave all edges to the worker.
 */
function chooseSplit(
  fd: number,
  header: SnapshotHeader,
  size: number,
  edgesAt: number,
  stringsAt: number,
  headShare?: number,
): number {
  const nodesBytes = edgesAt;
  const edgesBytes = stringsAt - edgesAt;
  const stringsBytes = size - stringsAt;
  // Strings cost about a quarter of an integer array per byte; the worker starts ~50 ms late (~2 MB of parsing).
  const headBytes =
    headShare === undefined
      ? (edgesBytes - nodesBytes - stringsBytes / 4) / 2 + 2 * 1024 * 1024
      : edgesBytes * headShare;
  if (headBytes < (headShare === undefined ? 4 * 1024 * 1024 : 1) || header.edgeCount === 0) return -1;
  const target = edgesAt + EDGES_KEY.length + 1 + Math.floor(headBytes);
  const window = Buffer.allocUnsafe(64 * 1024);
  const read = readSync(fd, window, 0, window.length, target);
  for (let i = 0; i + 1 < read; i++) {
    const c = window[i]!;
    if (c === 0x0a && window[i + 1] === 0x2c) return target + i + 1;
    // Only digits, commas and line breaks belong here; anything else means no split (one record per line is
    // how V8 writes, not a rule of the format).
    if (!((c >= 0x30 && c <= 0x39) || c === 0x2c || c === 0x0a || c === 0x0d || c === 0x20)) return -1;
  }
  return -1;
}

function run(data: EdgesWorkerData): EdgesMessage {
  const fd = openSync(data.file, 'r');
  try {
    const size = fstatSync(fd).size;
    const { edgesAt, stringsAt } = findSections(fd, size, data);
    if (edgesAt < 0) return { ok: false, noKeys: true };
    const split = chooseSplit(fd, data.header, size, edgesAt, stringsAt, data.headShare);
    data.offsets[0] = edgesAt;
    data.offsets[1] = stringsAt;
    data.offsets[3] = split;
    Atomics.store(data.state, 0, 1);
    Atomics.notify(data.state, 0);

    const from = split >= 0 ? split + 1 : edgesAt + EDGES_KEY.length;
    // A part's size is estimated from the bytes per edge of the whole array; the columns grow if needed.
    const bytesPerEdge = (stringsAt - edgesAt) / Math.max(1, data.header.edgeCount);
    const capacity = Math.min(data.header.edgeCount, Math.ceil(((stringsAt - from) / bytesPerEdge) * 1.05) + 1024);
    const parser = new SnapshotParser({
      totalBytes: size,
      section: {
        key: 'edges',
        header: data.header,
        offset: from,
        inside: split >= 0,
        ...(split >= 0 ? { edgesCapacity: capacity } : {}),
      },
      stopAtKey: 'strings',
    });
    const buffer = Buffer.allocUnsafe(data.chunkBytes);
    let position = from;
    while (!parser.done) {
      const read = readSync(fd, buffer, 0, buffer.length, position);
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
        stringsAt: parser.stoppedAtKey,
        maxNameIndex: parsed.maxNameIndex,
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

const data = workerData as EdgesWorkerData;
const message = run(data);
const transfer = message.ok
  ? [message.result.edgeType.buffer, message.result.edgeName.buffer, message.result.edgeTo.buffer]
  : [];
data.port.postMessage(message, transfer as ArrayBuffer[]);
Atomics.store(data.state, 0, message.ok ? 2 : -1);
Atomics.notify(data.state, 0);
