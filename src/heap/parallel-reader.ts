/**
 * Reads a big snapshot on two threads: a worker finds the `edges` and `strings` keys (edges-worker.ts) and
 * parses the tail of the edges and the strings, while this thread parses the nodes and the head of the edges.
 * The join is synchronous (Atomics.wait, receiveMessageOnPort), so callers keep a plain function.
 */
import { readSync } from 'node:fs';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { edgesFrom, type EdgeArrays, type EdgeColumns } from './columns.js';
import type { EdgesMessage, EdgesResult, EdgesWorkerData } from './edges-worker.js';
import { SnapshotParser } from './parser.js';
import { SnapshotParseError, type ParsedSnapshot } from './parser-types.js';
import { StringTable } from './string-table.js';
import { takeReadWorker } from './read-worker.js';
import { spareMemory } from './workspace.js';

/** Below this size a second thread costs more (start-up, ~30 ms) than it saves. */
export const PARALLEL_MIN_BYTES = 48 * 1024 * 1024;

/**
 * The share of the main thread's edges the worker leaves free after its estimate of their end: the estimate
 * (bytes per edge alike in both parts) was 7% short on a 100 MB snapshot. The free space costs address space
 * until the join closes it; a part that does not fit costs a copy of all the edges.
 */
export const SHARED_MARGIN = 0.25;

const HEADER_READ_BYTES = 64 * 1024;
/** How far past the estimated end of the nodes a read may go before the worker has placed the edges. */
const NODES_REST_MARGIN = 1.02;
const NODES_REST_SLACK = 64 * 1024;

/** A worker that reads nothing for this long is given up on (the file is then read on this thread). */
const WORKER_STALL_MS = 30_000;

const EDGES_KEY = '"edges":';

/**
 * Returns null when the header lacks the counts the worker needs to size its arrays, or when the worker
 * stalls (it could not start, or died): the caller then reads the file on this thread.
 */
export function readInParallel(
  file: string,
  fd: number,
  size: number,
  chunkBytes: number,
  options: {
    headShare?: number | undefined;
    onRead?: ((bytes: number, position: number) => void) | undefined;
    forAnalysis: boolean;
  },
): ParsedSnapshot | null {
  const { headShare, onRead } = options;
  const nodes = new SnapshotParser({ totalBytes: size, nodesOnly: true });
  const buffer = Buffer.allocUnsafe(chunkBytes);
  let position = 0;
  /** Feeds the file from `position` until `until()` holds, the file ends, or `limit()` is reached. */
  const feed = (
    parser: SnapshotParser,
    until: () => boolean,
    limit = (): number => size,
    most = buffer.length,
  ): void => {
    while (!until() && position < limit()) {
      const read = readSync(fd, buffer, 0, Math.min(most, limit() - position), position);
      if (read === 0) return;
      position += read;
      onRead?.(read, position);
      parser.push(read === buffer.length ? buffer : buffer.subarray(0, read));
    }
  };
  // The header in small reads: the worker (unless started ahead, read-worker.ts) starts as soon as it is known: it
  // takes ~50-100 ms to start.
  feed(nodes, () => nodes.parsedHeader !== null || nodes.done, undefined, Math.min(HEADER_READ_BYTES, buffer.length));
  const header = nodes.parsedHeader;
  if (!header || header.nodeCount === 0 || header.edgeCount === 0) return null;

  const state = new Int32Array(new SharedArrayBuffer(8));
  const offsets = new Float64Array(new SharedArrayBuffer(40));
  const shared = sharedEdges(header.edgeCount);
  const spare = options.forAnalysis ? spareMemory(header.nodeCount, header.edgeCount) : null;
  const { port1, port2 } = new MessageChannel();
  const worker = takeReadWorker();
  const data: EdgesWorkerData = {
    file,
    header,
    chunkBytes,
    state,
    offsets,
    shared,
    port: port2,
    spare,
    postedAt: performance.timeOrigin + performance.now(),
    ...(headShare === undefined ? {} : { headShare }),
  };
  worker.postMessage(data, [port2]);
  let read = false;
  try {
    // Once the worker has published the edges key, the nodes' reads stop there: the last chunk would otherwise
    // read up to a chunk of edges that the edges' own reads read again. Until then they go no further than the
    // nodes still to come can reach at the bytes per node read so far (the worker starts late on small files).
    const nodesEnd = (): number => {
      if (Atomics.load(state, 0) >= 1 && offsets[0]! > position) return offsets[0]!;
      const read = nodes.nodesRead;
      if (read === 0) return size;
      const rest = ((header.nodeCount - read) * position) / read;
      return Math.min(size, position + Math.ceil(rest * NODES_REST_MARGIN) + NODES_REST_SLACK);
    };
    feed(nodes, () => nodes.done, nodesEnd);
    feed(nodes, () => nodes.done); // only a malformed file gets here: the parser says where it goes wrong
    const parsedNodes = nodes.finish();

    if (!waitWhile(state, 0, offsets)) return null;
    if (Atomics.load(state, 0) < 0) {
      const failure = receiveMessageOnPort(port1)?.message as EdgesMessage | undefined;
      if (failure && !failure.ok && 'noKeys' in failure) return null; // cut short: the plain read says where
      failFromMessage(failure);
    }
    const [edgesAt, stringsAt, , split, base] = [offsets[0]!, offsets[1]!, offsets[2]!, offsets[3]!, offsets[4]!];
    let head: EdgeColumns | null = null;
    if (split >= 0) {
      const part = new SnapshotParser({
        totalBytes: size,
        section: {
          key: 'edges',
          header,
          offset: edgesAt + EDGES_KEY.length,
          nodeCount: parsedNodes.nodeCount,
          part: true,
          edgesInto: edgesFrom(shared, 0, base),
        },
      });
      position = edgesAt + EDGES_KEY.length;
      feed(
        part,
        () => part.done,
        () => split,
      );
      part.endPart();
      head = part.edgeColumns;
    }
    if (!waitWhile(state, 1, offsets)) return null;
    if (Atomics.load(state, 0) < 0) failFromWorker(port1);
    const message = receiveMessageOnPort(port1)?.message as EdgesMessage | undefined;
    if (!message?.ok) return failFromMessage(message);
    const tail = message.result;
    onRead?.(offsets[2]!, size);
    if (stringsAt >= 0 && tail.stringsAt !== stringsAt) {
      throw new SnapshotParseError('unexpected data between "edges" and "strings"', 'edges', tail.stringsAt);
    }
    if (tail.stringsAt < 0) throw new SnapshotParseError('not a heap snapshot: no "strings" array', 'header');
    const expected = parsedNodes.firstEdge[parsedNodes.nodeCount]!;
    const edges = join(head, tail, shared, base);
    if (edges.edgeCount !== expected) {
      throw new SnapshotParseError(
        `"edges" holds ${edges.edgeCount} edges but the nodes' edge counts add up to ${expected}`,
        'edges',
      );
    }
    // The worker checked its targets against the header's node count; the nodes parse checked that count.
    read = true;
    return {
      ...parsedNodes,
      edgeCount: edges.edgeCount,
      edgeType: edges.edgeType,
      edgeName: edges.edgeName,
      edgeTo: edges.edgeTo,
      strings: StringTable.fromParts(tail.strings),
      complete: true,
      maxNameIndex: Math.max(parsedNodes.maxNameIndex, edges.maxNameIndex),
      spareMemory: spare,
    };
  } finally {
    port1.close();
    // After a read, the worker touches the spare memory's pages and ends by itself.
    if (!read || !spare) void worker.terminate();
  }
}

/**
 * Columns for both threads' edges in shared memory, with room for the space the worker leaves after its estimate
 * of where the main thread's part ends (edges-worker.ts): pages never written cost no memory.
 */
function sharedEdges(edgeCount: number): EdgeArrays {
  const length = edgeCount + Math.ceil(edgeCount * SHARED_MARGIN) + 8192;
  return {
    type: new Uint8Array(new SharedArrayBuffer(length)),
    name: new Uint32Array(new SharedArrayBuffer(length * 4)),
    to: new Uint32Array(new SharedArrayBuffer(length * 4)),
  };
}

/**
 * The main thread's part (`head`, null when the worker read every edge) and the worker's, as one set of columns:
 * where both are still in the shared columns, the worker's part moves down to close the space between them;
 * where one did not fit and grew into arrays of its own, both are copied.
 */
function join(head: EdgeColumns | null, tail: EdgesResult, shared: EdgeArrays, base: number): EdgesResult {
  const h = head?.count ?? 0;
  const t = tail.edgeCount;
  const count = h + t;
  const maxNameIndex = Math.max(head?.maxName ?? 0, tail.maxNameIndex);
  // The three columns of a part grow together: one tells whether the part is still where it was put.
  if ((!head || head.type.buffer === shared.type.buffer) && tail.inShared) {
    if (h < base) {
      shared.type.copyWithin(h, base, base + t);
      shared.name.copyWithin(h, base, base + t);
      shared.to.copyWithin(h, base, base + t);
    }
    const edges = edgesFrom(shared, 0, count);
    return { ...tail, edgeCount: count, edgeType: edges.type, edgeName: edges.name, edgeTo: edges.to, maxNameIndex };
  }
  const joined = <T extends Uint8Array | Uint32Array>(
    first: T | undefined,
    second: T,
    Kind: new (n: number) => T,
  ): T => {
    const out = new Kind(count);
    if (first) out.set(first.subarray(0, h) as never);
    out.set(second.subarray(0, t) as never, h);
    return out;
  };
  return {
    ...tail,
    edgeCount: count,
    edgeType: joined(head?.type, tail.edgeType, Uint8Array),
    edgeName: joined(head?.name, tail.edgeName, Uint32Array),
    edgeTo: joined(head?.to, tail.edgeTo, Uint32Array),
    maxNameIndex,
  };
}

/** Waits while the worker's state is `value`; false when the worker made no progress for WORKER_STALL_MS. */
function waitWhile(state: Int32Array, value: number, offsets: Float64Array): boolean {
  let seen = offsets[2]!;
  let idleMs = 0;
  while (Atomics.load(state, 0) === value) {
    Atomics.wait(state, 0, value, 1000);
    if (offsets[2] !== seen) {
      seen = offsets[2]!;
      idleMs = 0;
    } else if ((idleMs += 1000) >= WORKER_STALL_MS) {
      return false;
    }
  }
  return true;
}

function failFromWorker(port: MessagePort): never {
  failFromMessage(receiveMessageOnPort(port)?.message as EdgesMessage | undefined);
}

function failFromMessage(message: EdgesMessage | undefined): never {
  if (message && !message.ok && !('noKeys' in message)) {
    throw new SnapshotParseError(message.message, message.section, message.offset);
  }
  throw new SnapshotParseError('the edges reader stopped without a result', 'edges');
}

type MessagePort = import('node:worker_threads').MessagePort;
