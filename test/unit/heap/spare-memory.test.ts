/**
 * The working memory a parallel read prepares for the analysis (workspace.ts): handed out once, in the order the
 * analysis takes it, zero-filled, and with the same results as an analysis that allocates its own arrays.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { inspectHeap } from '../../../src/heap/inspect.js';
import { readHeapSnapshot } from '../../../src/heap/reader.js';
import { SPARE_NODE_ARRAYS, spareMemory, touchPages, Workspace } from '../../../src/heap/workspace.js';
import { writeLeakedThings } from '../../support/heap-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'memprobe-spare-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('touching the pages leaves every value as it was', () => {
  const spare = spareMemory(5000, 9000);
  const words = new Uint32Array(spare.edges);
  for (let i = 0; i < words.length; i++) words[i] = i * 7 + 1;
  touchPages(spare);
  assert.ok(words.every((value, i) => value === i * 7 + 1));
  assert.ok(spare.nodes.every((buffer) => new Uint32Array(buffer).every((value) => value === 0)));
});

test('a workspace hands out the spare arrays first, then new ones; the edge-sized one once, when it fits', () => {
  const spare = spareMemory(100, 400);
  const workspace = new Workspace(100, spare);
  const taken = Array.from({ length: SPARE_NODE_ARRAYS + 1 }, () => workspace.take());
  taken.slice(0, -1).forEach((array, i) => assert.equal(array.buffer, spare.nodes[i], `array ${i}`));
  assert.ok(!(taken.at(-1)!.buffer instanceof SharedArrayBuffer));
  assert.ok(taken.every((array) => array.length === 101));
  assert.equal(workspace.takeEdgeSized(500).buffer instanceof SharedArrayBuffer, false, 'too long for the spare');

  const again = new Workspace(100, spareMemory(100, 400));
  const edges = again.takeEdgeSized(300);
  assert.ok(edges.buffer instanceof SharedArrayBuffer && edges.length === 300);
  assert.equal(again.takeEdgeSized(300).buffer instanceof SharedArrayBuffer, false, 'only once');
});

test('a parallel read for an analysis carries spare memory for its first analysis only, and changes no result', () => {
  const file = writeLeakedThings(dir);
  const plain = inspectHeap(readHeapSnapshot(file, { parallel: false }));
  const snapshot = readHeapSnapshot(file, { parallelMinBytes: 0, forAnalysis: true });
  const spare = snapshot.takeSpareMemory();
  assert.ok(spare, 'spare memory');
  assert.equal(spare.nodes.length, SPARE_NODE_ARRAYS);
  assert.ok(spare.nodes.every((buffer) => buffer.byteLength === (snapshot.nodeCount + 1) * 4));
  assert.equal(spare.edges.byteLength, snapshot.edgeCount * 4);
  assert.equal(snapshot.takeSpareMemory(), null);

  const prepared = readHeapSnapshot(file, { parallelMinBytes: 0, forAnalysis: true });
  assert.deepEqual(inspectHeap(prepared), plain);
  assert.equal(readHeapSnapshot(file, { parallelMinBytes: 0 }).takeSpareMemory(), null, 'not asked for');
});
