import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseHeapSnapshotChunks } from '../../../src/heap/reader.js';
import type { HeapSnapshot } from '../../../src/heap/snapshot.js';
import { fastPathRecords } from '../../../src/heap/wasm-columns.js';
import { writeLeakedThings } from '../../support/heap-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'memprobe-wasm-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const real = readFileSync(writeLeakedThings(dir));

function* chunks(bytes: Buffer, size: number): Generator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, Math.min(bytes.length, at + size));
}

function parse(bytes: Buffer, size: number, wasm: boolean): HeapSnapshot | Error {
  try {
    return parseHeapSnapshotChunks('x.heapsnapshot', chunks(bytes, size), bytes.length, undefined, wasm);
  } catch (error) {
    return error as Error;
  }
}

function columns(result: HeapSnapshot | Error): unknown {
  if (result instanceof Error) return result.message;
  return [
    result.nodeCount,
    result.edgeCount,
    ...[result.nodeType, result.nodeName, result.nodeId, result.nodeSelfSize, result.firstEdge].map((a) =>
      Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64'),
    ),
    ...[result.edgeType, result.edgeName, result.edgeTo].map((a) =>
      Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64'),
    ),
  ];
}

/** The same bytes through the fast path and through the scanner alone give the same columns or the same error. */
function assertSame(bytes: Buffer, sizes: readonly number[]): void {
  for (const size of sizes) {
    assert.deepEqual(columns(parse(bytes, size, true)), columns(parse(bytes, size, false)), `chunks of ${size}`);
  }
}

test('a real snapshot: the fast path takes every record and gives the scanner columns, cut anywhere', () => {
  const before = fastPathRecords();
  const whole = parse(real, real.length, true) as HeapSnapshot;
  assert.equal(fastPathRecords() - before, whole.nodeCount + whole.edgeCount);
  assertSame(real, [real.length, 4096, 17, 16, 15, 1]);
});

test('another layout (spaces) goes to the scanner where it starts, with the same columns', () => {
  const text = real.toString('latin1');
  const at = text.indexOf('"edges":[');
  const spaced = Buffer.from(`${text.slice(0, at + 2000)}${text.slice(at + 2000).replace(/,(?=\d)/, ' , ')}`, 'latin1');
  const before = fastPathRecords();
  const result = parse(spaced, 4096, true) as HeapSnapshot;
  const taken = fastPathRecords() - before;
  assert.ok(taken > result.nodeCount && taken < result.nodeCount + result.edgeCount, `${taken} records`);
  assertSame(spaced, [4096, 7]);
});

test('bad values give the same error on both paths, bad bytes at the same byte', () => {
  const text = real.toString('latin1');
  const edges = text.indexOf('"edges":[') + '"edges":['.length;
  const nodes = text.indexOf('"nodes":[') + '"nodes":['.length;
  // Node 20 writes 7 node fields, Node 26 six: the records are counted in the header's fields.
  const meta = (JSON.parse(text) as { snapshot: { meta: { node_fields: string[]; edge_fields: string[] } } }).snapshot
    .meta;
  const [nodeFields, edgeFields] = [meta.node_fields, meta.edge_fields];
  const node = (record: number, field: string): number => record * nodeFields.length + nodeFields.indexOf(field);
  const edge = (record: number, field: string): number => record * edgeFields.length + edgeFields.indexOf(field);
  const replaceNumber = (from: number, skip: number, value: string): Buffer => {
    const re = /\d+/g;
    re.lastIndex = from;
    let match = re.exec(text)!;
    for (let k = 0; k < skip; k++) match = re.exec(text)!;
    return Buffer.from(`${text.slice(0, match.index)}${value}${text.slice(match.index + match[0].length)}`, 'latin1');
  };
  const cases = {
    'edge target not a node': replaceNumber(edges, edge(500, 'to_node'), '8'),
    'edge type out of range': replaceNumber(edges, edge(700, 'type'), '99'),
    'node type out of range': replaceNumber(nodes, node(300, 'type'), '77'),
    'value over 2^32': replaceNumber(nodes, node(400, 'id'), '4294967296'),
    'a letter': replaceNumber(edges, 900, '1x'),
    'two commas': replaceNumber(nodes, 50, '1,'),
    'empty nodes': Buffer.from(text.replace(/"nodes":\[[^\]]*\]/, '"nodes":[]'), 'latin1'),
  };
  // A self size past 2^32 is no error: the scanner takes it (and the rest of the array) into its float column.
  const bigSize = replaceNumber(nodes, node(400, 'self_size'), '12345678901');
  assert.equal((parse(bigSize, 4096, true) as HeapSnapshot).nodeSelfSize[400], 12345678901);
  assertSame(bigSize, [bigSize.length, 13]);
  for (const [name, bytes] of Object.entries(cases)) {
    const fast = parse(bytes, 4096, true);
    assert.ok(fast instanceof Error, `${name}: ${String(fast)}`);
    for (const size of [bytes.length, 4096, 13]) {
      const [a, b] = [parse(bytes, size, true), parse(bytes, size, false)].map(String);
      // A value's error is placed where the scanner's batch ended, so only a byte's error has one offset.
      const unplaced = (message: string): string =>
        /unexpected byte/.test(message) ? message : message.replace(/, byte \d+/, '');
      assert.equal(unplaced(a!), unplaced(b!), `${name}, chunks of ${size}`);
    }
  }
});
