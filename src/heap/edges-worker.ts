/**
 * Worker side of the parallel read (parallel-reader.ts): finds the `edges` and `strings` keys by searching
 * backward from the end of the file, publishes the strings offset at once, then parses the edges while the
 * main thread parses the nodes and the strings. The edge arrays travel back by transfer, not by copy.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { workerData, type MessagePort } from 'node:worker_threads';
import type { SnapshotHeader } from './header.js';
import { SnapshotParseError, SnapshotParser } from './parser.js';

export interface EdgesWorkerData {
  readonly file: string;
  readonly header: SnapshotHeader;
  readonly chunkBytes: number;
  /** [state, 0]: 0 searching, 1 offsets known, 2 edges parsed, -1 failed. */
  readonly state: Int32Array;
  /** [edges key offset, strings key offset, bytes read so far (a heartbeat for the waiting thread)]. */
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

export type EdgesMessage = { readonly ok: true; readonly result: EdgesResult } | { readonly ok: false; readonly message: string; readonly section: string; readonly offset?: number };

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

function run(data: EdgesWorkerData): EdgesMessage {
  const fd = openSync(data.file, 'r');
  try {
    const size = fstatSync(fd).size;
    // Neither key can occur inside a JSON string (a raw quote would end it) nor inside a number array.
    const stringsAt = searchBackward(fd, Buffer.from('"strings":['), size, data.chunkBytes, data.offsets);
    const edgesAt = stringsAt < 0 ? -1 : searchBackward(fd, Buffer.from('"edges":['), stringsAt, data.chunkBytes, data.offsets);
    if (edgesAt < 0) throw new SnapshotParseError('not a heap snapshot: no "edges" and "strings" arrays', 'header');
    data.offsets[0] = edgesAt;
    data.offsets[1] = stringsAt;
    Atomics.store(data.state, 0, 1);
    Atomics.notify(data.state, 0);

    const valueAt = edgesAt + '"edges":'.length;
    const parser = new SnapshotParser({ totalBytes: size, section: { key: 'edges', header: data.header, offset: valueAt }, stopAtKey: 'strings' });
    const buffer = Buffer.allocUnsafe(data.chunkBytes);
    let position = valueAt;
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
    if (error instanceof SnapshotParseError) return { ok: false, message: error.message, section: error.section, offset: error.offset };
    return { ok: false, message: (error as Error).message, section: 'edges' };
  } finally {
    closeSync(fd);
  }
}

const data = workerData as EdgesWorkerData;
const message = run(data);
const transfer = message.ok ? [message.result.edgeType.buffer, message.result.edgeName.buffer, message.result.edgeTo.buffer] : [];
data.port.postMessage(message, transfer as ArrayBuffer[]);
Atomics.store(data.state, 0, message.ok ? 2 : -1);
Atomics.notify(data.state, 0);
