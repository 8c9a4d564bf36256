import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { inspectHeap } from '../../../src/heap/inspect.js';
import { parseHeapSnapshotChunks, readHeapSnapshot, readNodeIds } from '../../../src/heap/reader.js';
import { readWorkerWaiting, startReadWorker, takeReadWorker } from '../../../src/heap/read-worker.js';
import { HeapSnapshotError } from '../../../src/heap/snapshot-error.js';
import { Phases } from '../../../src/core/phases.js';
import { syntheticSnapshot, writeLeakedThings } from '../../support/heap-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'memprobe-heap-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const small = syntheticSnapshot([
  { type: 'synthetic', name: '', selfSize: 0, edges: [{ type: 'shortcut', name: 'global', to: 1 }] },
  { type: 'object', name: 'Object', selfSize: 16, edges: [{ type: 'property', name: 'a', to: 2 }] },
  { type: 'string', name: 'hello', selfSize: 24 },
]);

function readText(name: string, text: string | Buffer): unknown {
  const file = join(dir, name);
  writeFileSync(file, text);
  try {
    readHeapSnapshot(file);
  } catch (error) {
    return error;
  }
  return null;
}

function assertSnapshotError(error: unknown, file: string, pattern: RegExp): HeapSnapshotError {
  assert.ok(error instanceof HeapSnapshotError, `expected a HeapSnapshotError, got ${String(error)}`);
  assert.equal(error.exitCode, 2);
  assert.equal(error.code, 'E_SNAPSHOT');
  assert.ok(error.message.startsWith(join(dir, file)), error.message);
  assert.match(error.message, pattern);
  assert.ok(!error.message.includes('\n'), 'one line');
  return error;
}

test('a synthetic snapshot reads into typed arrays', () => {
  const snapshot = parseHeapSnapshotChunks('s.heapsnapshot', [Buffer.from(small)]);
  assert.equal(snapshot.nodeCount, 3);
  assert.equal(snapshot.edgeCount, 2);
  assert.deepEqual([...snapshot.nodeSelfSize], [0, 16, 24]);
  assert.deepEqual([...snapshot.edgeTo], [1, 2]);
  assert.deepEqual([...snapshot.firstEdge], [0, 1, 2, 2]);
  assert.equal(snapshot.name(2), 'hello');
  assert.equal(snapshot.edgeNameText(1), 'a');
});

test('a truncated file fails with its name, the section and the byte offset where it ended', () => {
  for (const cut of [
    10,
    small.indexOf('"nodes"') + 12,
    small.indexOf('"edges"') + 12,
    small.indexOf('"strings"') + 14,
    small.length - 3,
  ]) {
    const error = assertSnapshotError(
      readText('cut.heapsnapshot', small.slice(0, cut)),
      'cut.heapsnapshot',
      /truncated/,
    );
    assert.equal(error.offset, Buffer.byteLength(small.slice(0, cut)));
    assert.match(error.message, new RegExp(`byte ${error.offset}`));
  }
});

test('a corrupt byte inside the edges fails at that byte', () => {
  const at = small.indexOf('"edges":[') + 10;
  const corrupt = `${small.slice(0, at)}x${small.slice(at + 1)}`;
  const error = assertSnapshotError(
    readText('corrupt.heapsnapshot', corrupt),
    'corrupt.heapsnapshot',
    /unexpected byte 'x'/,
  );
  assert.equal(error.section, 'edges');
  assert.equal(error.offset, at);
});

test('files that are not snapshots are rejected before anything big is allocated', () => {
  assertSnapshotError(readText('empty.heapsnapshot', ''), 'empty.heapsnapshot', /empty/);
  assertSnapshotError(readText('text.heapsnapshot', 'hello world'), 'text.heapsnapshot', /not a heap snapshot/);
  assertSnapshotError(
    readText('json.heapsnapshot', '{"a":[1,2,3],"b":"c"}'),
    'json.heapsnapshot',
    /not a heap snapshot/,
  );
  assertSnapshotError(
    readText('binary.heapsnapshot', Buffer.from([0x1f, 0x8b, 8, 0, 0, 0])),
    'binary.heapsnapshot',
    /not a heap snapshot/,
  );
  // A header claiming 10^12 nodes in a tiny file: refused from the header alone.
  const absurd = small.replace('"node_count":3', '"node_count":1000000000000');
  assertSnapshotError(readText('absurd.heapsnapshot', absurd), 'absurd.heapsnapshot', /claims 1000000000000 nodes/);
  const wrongCount = small.replace('"node_count":3', '"node_count":4');
  assertSnapshotError(
    readText('count.heapsnapshot', wrongCount),
    'count.heapsnapshot',
    /holds 3 nodes but the header says 4/,
  );
});

test('indexes that point nowhere are rejected', () => {
  const badTarget = small.replace('"edges":[5,1,7', '"edges":[5,1,8');
  assertSnapshotError(readText('target.heapsnapshot', badTarget), 'target.heapsnapshot', /edge target 8 is not a node/);
  const badName = small.replace('"nodes":[9,0,2', '"nodes":[9,99,2');
  assertSnapshotError(readText('name.heapsnapshot', badName), 'name.heapsnapshot', /names string 99/);
  assert.throws(
    () => readHeapSnapshot(join(dir, 'nope.heapsnapshot')),
    (e: unknown) => e instanceof HeapSnapshotError && /ENOENT/.test(e.message),
  );
});

test('a real snapshot: 1000 LeakedThing held by a global array, found with a path from global', () => {
  const file = writeLeakedThings(dir);
  const snapshot = readHeapSnapshot(file, { chunkBytes: 4096 });
  const json = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: number[];
    strings: string[];
    snapshot: { node_count: number };
  };
  assert.equal(snapshot.nodeCount, json.snapshot.node_count);
  assert.deepEqual(snapshot.strings.toArray(), json.strings);
  assert.deepEqual([...readNodeIds(file)], [...snapshot.nodeId]);

  const report = inspectHeap(snapshot);
  const things = report.constructors.find((c) => c.name === 'LeakedThing');
  assert.equal(things?.count, 1000);
  assert.ok(things.retainedSize >= things.selfSize && things.selfSize > 0);
  const holder = report.largestObjects.find((o) => o.path.some((step) => step.startsWith('__things ')));
  assert.ok(holder, JSON.stringify(report.largestObjects.slice(0, 5)));
  assert.equal(holder.path[0], 'global');
  // Sorted by retained size, largest first, and every class is listed.
  const sizes = report.constructors.map((c) => c.retainedSize);
  assert.deepEqual(
    sizes,
    [...sizes].sort((a, b) => b - a),
  );
});

test('the parallel read (edges on a worker thread) gives the same arrays, and fails the same way', () => {
  const file = join(dir, 'things.heapsnapshot');
  const sequential = readHeapSnapshot(file, { parallel: false });
  // All edges on the worker, then split between the threads at a line break at 0.1%, 37% and 90% of the edges.
  for (const headShare of [undefined, 0.001, 0.37, 0.9]) {
    const parallel = readHeapSnapshot(file, { parallelMinBytes: 0, chunkBytes: 64 * 1024, headShare });
    assert.deepEqual(parallel.edgeTo, sequential.edgeTo, `share ${headShare}`);
    assert.deepEqual(parallel.edgeName, sequential.edgeName);
    assert.deepEqual(parallel.edgeType, sequential.edgeType);
    assert.deepEqual(parallel.firstEdge, sequential.firstEdge);
    assert.deepEqual(parallel.strings.toArray(), sequential.strings.toArray());
  }

  const bytes = readFileSync(file);
  const at = bytes.indexOf('"edges":[') + 30;
  const damaged = Buffer.from(bytes);
  damaged[at] = 0x78; // 'x'
  const corrupt = join(dir, 'parallel-corrupt.heapsnapshot');
  writeFileSync(corrupt, damaged);
  for (const headShare of [undefined, 0.001, 0.9]) {
    // The damaged byte lies in the worker's part (no split), then in the main thread's.
    assert.throws(
      () => readHeapSnapshot(corrupt, { parallelMinBytes: 0, headShare }),
      (e: unknown) =>
        e instanceof HeapSnapshotError &&
        e.section === 'edges' &&
        e.offset === at &&
        /unexpected byte 'x'/.test(e.message),
    );
  }
  // Near the end of the edges: in the worker's part of a split read.
  const late = bytes.indexOf(']', bytes.indexOf('"edges":[')) - 3;
  const damagedLate = Buffer.from(bytes);
  damagedLate[late] = 0x78;
  writeFileSync(corrupt, damagedLate);
  assert.throws(
    () => readHeapSnapshot(corrupt, { parallelMinBytes: 0, headShare: 0.5 }),
    (e: unknown) =>
      e instanceof HeapSnapshotError &&
      e.section === 'edges' &&
      e.offset === late &&
      /unexpected byte 'x'/.test(e.message),
  );
  const cut = join(dir, 'parallel-cut.heapsnapshot');
  writeFileSync(cut, bytes.subarray(0, bytes.length - 10));
  assert.throws(
    () => readHeapSnapshot(cut, { parallelMinBytes: 0 }),
    (e: unknown) => e instanceof HeapSnapshotError && /truncated|no "edges"/.test(e.message),
  );
  // Cut inside the edges (a 2 GB file cut short, in small): the parallel read names the section and the end.
  const cutInEdges = join(dir, 'parallel-cut-edges.heapsnapshot');
  const end = bytes.indexOf('"edges":[') + Math.floor((bytes.indexOf('"strings":[') - bytes.indexOf('"edges":[')) / 2);
  writeFileSync(cutInEdges, bytes.subarray(0, end));
  assert.throws(
    () => readHeapSnapshot(cutInEdges, { parallelMinBytes: 0 }),
    (e: unknown) =>
      e instanceof HeapSnapshotError &&
      e.section === 'edges' &&
      e.offset === end &&
      /truncated heap snapshot: the file ends inside "edges"/.test(e.message),
  );
});

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    assert.ok(waited < 30_000, 'timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('a worker started ahead of the read (as the CLI does) takes the job, with the same arrays', async () => {
  const file = join(dir, 'things.heapsnapshot');
  const sequential = readHeapSnapshot(file, { parallel: false });
  startReadWorker();
  startReadWorker(); // one waits at a time
  await waitUntil(readWorkerWaiting);
  const taken = takeReadWorker();
  assert.equal(readWorkerWaiting(), false, 'taken once');
  const fresh = takeReadWorker();
  assert.notEqual(fresh, taken, 'the next read starts its own');
  await Promise.all([taken.terminate(), fresh.terminate()]);

  startReadWorker();
  // Let it start, as the CLI's module loading does, so the read finds it waiting for its job.
  await waitUntil(readWorkerWaiting);
  const parallel = readHeapSnapshot(file, { parallelMinBytes: 0, chunkBytes: 64 * 1024, forAnalysis: true });
  assert.deepEqual(parallel.edgeTo, sequential.edgeTo);
  assert.deepEqual(parallel.edgeName, sequential.edgeName);
  assert.deepEqual(parallel.firstEdge, sequential.firstEdge);
  assert.deepEqual(parallel.strings.toArray(), sequential.strings.toArray());
  assert.deepEqual(inspectHeap(parallel), inspectHeap(sequential));
});

test('the threads write their edges into shared columns; a main-thread part longer than guessed is copied', () => {
  // Short records first, long ones after (element indexes of 10 digits): by bytes the worker guesses the main
  // thread's part far too short when it reads 30% of the bytes, about right at 70%.
  const json = JSON.parse(readFileSync(join(dir, 'things.heapsnapshot'), 'utf8')) as {
    snapshot: { meta: { edge_fields: string[]; edge_types: [string[]] } };
    edges: number[];
  };
  const fields = json.snapshot.meta.edge_fields.length;
  const element = json.snapshot.meta.edge_types[0].indexOf('element');
  const edges = json.edges.length / fields;
  for (let e = 0; e < edges; e++) {
    json.edges[e * fields] = e < edges / 2 ? 2 : element;
    json.edges[e * fields + 1] = e < edges / 2 ? 0 : 1_234_567_890 + e;
  }
  const file = join(dir, 'lopsided.heapsnapshot');
  writeFileSync(file, JSON.stringify(json));
  const sequential = readHeapSnapshot(file, { parallel: false });
  for (const [headShare, shared] of [
    [0.3, false],
    [0.7, true],
  ] as const) {
    const parallel = readHeapSnapshot(file, { parallelMinBytes: 0, chunkBytes: 64 * 1024, headShare });
    assert.equal(parallel.edgeTo.buffer instanceof SharedArrayBuffer, shared, `share ${headShare}`);
    assert.deepEqual(parallel.edgeTo, sequential.edgeTo, `share ${headShare}`);
    assert.deepEqual(parallel.edgeName, sequential.edgeName);
    assert.deepEqual(parallel.edgeType, sequential.edgeType);
  }
});

test('a snapshot with -1 in its locations (a vitest worker on Node 24 writes them) is read', () => {
  const text = small
    .replace('"locations":[]', '"locations":[1,-1,0,-1,2,7,-1,3]')
    .replace('"samples":[]', '"samples":[-5,2]');
  const file = join(dir, 'negative-locations.heapsnapshot');
  writeFileSync(file, text);
  const snapshot = readHeapSnapshot(file);
  assert.equal(snapshot.nodeCount, 3);
  assert.equal(snapshot.name(2), 'hello');
});

test('long dropped arrays (locations, unknown keys with strings and nested arrays) are skipped whatever the chunks', () => {
  const numbers = Array.from({ length: 60_000 }, (_, i) => (i % 7 === 3 ? -1 : i * 13)).join(',\n');
  // Brackets and quotes inside strings must not end the value; a long stretch of numbers sits between them.
  const strings = Array.from({ length: 2_000 }, (_, i) => `"s${i}]}[{\\"x"`).join(',');
  const nested = `[[${numbers}],[1,[2,[3]]],{"k":[${numbers}],"q":"]"}]`;
  const text = small
    .replace('"locations":[]', `"locations":[${numbers}]`)
    .replace('"samples":[]', `"samples":[${numbers}],"extra":[${strings},${numbers},${strings}],"nested":${nested}`);
  const bytes = Buffer.from(text);
  const plain = parseHeapSnapshotChunks('small.heapsnapshot', [Buffer.from(small)]);
  for (const size of [1, 7, 255, 256, 4096, 100_003, bytes.length]) {
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
    const snapshot = parseHeapSnapshotChunks('long.heapsnapshot', chunks);
    assert.equal(snapshot.nodeCount, 3, `chunks of ${size}`);
    assert.deepEqual([...snapshot.edgeTo], [1, 2]);
    assert.equal(snapshot.strings.length, plain.strings.length, `chunks of ${size}`);
    assert.equal(snapshot.name(2), 'hello');
  }
  const cut = text.indexOf('"locations":[') + 200_000;
  assertSnapshotError(
    readText('cut-locations.heapsnapshot', text.slice(0, cut)),
    'cut-locations.heapsnapshot',
    /inside "locations"/,
  );
});

test('one line per array (V8 12+): the parallel read gives the same arrays and reads the file once', () => {
  const text = readFileSync(join(dir, 'things.heapsnapshot'), 'latin1').replace(/\n/g, '');
  const file = join(dir, 'one-line.heapsnapshot');
  writeFileSync(file, text, 'latin1');
  const sequential = readHeapSnapshot(file, { parallel: false });
  const chunkBytes = 16 * 1024;
  // The worker reads all edges (the balanced split leaves the main thread none on a small file), or half.
  for (const headShare of [undefined, 0.5]) {
    const phases = new Phases();
    const share = headShare === undefined ? {} : { headShare };
    const parallel = readHeapSnapshot(file, { parallelMinBytes: 0, chunkBytes, phases, ...share });
    assert.deepEqual(parallel.edgeTo, sequential.edgeTo);
    assert.deepEqual(parallel.edgeName, sequential.edgeName);
    assert.deepEqual(parallel.edgeType, sequential.edgeType);
    assert.deepEqual(parallel.firstEdge, sequential.firstEdge);
    assert.deepEqual(parallel.strings.toArray(), sequential.strings.toArray());
    // Read twice: only the array probe's 4 KB windows (a binary search for each key, the bytes around it), the
    // 4 KB that tell the layout, the header's and the split's windows, the file's last 64 bytes, and (on a file
    // this small, when the worker publishes the edges key after the main thread's last read of the nodes began)
    // up to one chunk of edges. Before the probe, the nodes past their smallest possible end were read again
    // (+18% on a Node 26 snapshot of 86 MB).
    const extra = phases.totalBytesRead - text.length;
    const windows = 2 * (Math.ceil(Math.log2(text.length / 4096)) + 2) + 4;
    const bound = windows * 4096 + chunkBytes;
    assert.ok(extra >= 0 && extra <= bound, `read ${extra} bytes more than the file's ${text.length} (bound ${bound})`);
  }
});
