import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeHeap } from '../../../src/heap/analysis.js';
import { edgeSource, shortestRetainers } from '../../../src/heap/paths.js';
import { parseHeapSnapshotChunks } from '../../../src/heap/reader.js';
import type { HeapSnapshot } from '../../../src/heap/snapshot.js';
import { syntheticSnapshot, type SyntheticNode } from '../../support/heap-fixtures.js';

const snapshotOf = (nodes: SyntheticNode[]): HeapSnapshot =>
  parseHeapSnapshotChunks('p.heapsnapshot', [Buffer.from(syntheticSnapshot(nodes))]);
const p = (to: number, name = `p${to}`): { type: string; name: string; to: number } => ({ type: 'property', name, to });
const obj = (name: string, edges: SyntheticNode['edges'] = [], id?: number): SyntheticNode => ({
  type: 'object',
  name,
  selfSize: 8,
  edges,
  ...(id === undefined ? {} : { id }),
});
const root = (to: number): SyntheticNode => ({
  type: 'synthetic',
  name: '',
  selfSize: 0,
  edges: [{ type: 'element', name: 1, to }],
});

/** The node each node's shortest path reaches it from (-1 for the roots and the unreached). */
function parents(snapshot: HeapSnapshot): number[] {
  const { parentEdge } = shortestRetainers(snapshot);
  return Array.from({ length: snapshot.nodeCount }, (_, node) =>
    parentEdge[node] === 0 ? -1 : edgeSource(snapshot, parentEdge[node]! - 1),
  );
}

test('a WeakMap value is reached over the second edge of its pair, whichever of key and table comes first', () => {
  const entry = (n: number, key: number, value: number): string =>
    `${n} / part of key (Object @${key}) -> value (Object @${value}) pair in WeakMap (table @6)`;
  const nodes: SyntheticNode[] = [
    root(1),
    // The holder's edges put key B (node 7) before the table and the table before key A (node 3).
    obj('holder', [p(7, 'keyB'), p(2, 'map'), p(3, 'keyA'), p(5, 'other')]),
    {
      type: 'array',
      name: 'table',
      selfSize: 8,
      id: 6,
      edges: [
        { type: 'internal', name: entry(1, 8, 10), to: 4 },
        { type: 'internal', name: entry(2, 12, 14), to: 8 },
      ],
    },
    obj('KeyA', [{ type: 'internal', name: entry(3, 8, 10), to: 4 }], 8),
    obj('ValueA', [], 10),
    obj('Other', [{ type: 'internal', name: 'elements', to: 6 }]),
    obj('Plain'),
    obj('KeyB', [{ type: 'internal', name: entry(4, 12, 14), to: 8 }], 12),
    obj('ValueB', [], 14),
  ];
  const from = parents(snapshotOf(nodes));
  assert.equal(from[4], 3, 'value A: the table came first, so over the key');
  assert.equal(from[8], 2, 'value B: the key came first, so over the table');
  assert.equal(from[6], 5, 'an internal edge of no WeakMap is followed');
});

test("a NativeContext's sloppy_function_map and a descriptor array's value slots are not paths", () => {
  const nodes: SyntheticNode[] = [
    root(1),
    obj('global', [p(2, 'context'), p(3, 'map'), p(4, 'longer')]),
    {
      type: 'hidden',
      name: 'system / NativeContext',
      selfSize: 8,
      edges: [p(5, 'sloppy_function_map'), p(6, 'strict_function_map')],
    },
    {
      type: 'array',
      name: '(map descriptors)',
      selfSize: 8,
      edges: [1, 4, 5].map((index) => ({ type: 'element', name: index, to: 6 + index })),
    },
    obj('A', [p(5), p(10)]),
    obj('SloppyMap'),
    obj('StrictMap'),
    obj('Key1'),
    obj('unused 8'),
    obj('unused 9'),
    obj('Value4'),
    obj('Key5'),
  ];
  const from = parents(snapshotOf(nodes));
  assert.equal(from[5], 4, 'sloppy_function_map skipped: reached from A');
  assert.equal(from[6], 2, 'another map of the context is a path');
  assert.equal(from[7], 3, 'descriptor slot 1 is a path');
  assert.equal(from[10], 4, 'slot 4 (a value: 4 % 3 = 1) is skipped: reached from A');
  assert.equal(from[11], 3, 'slot 5 is a path');
});

test('the analysis finds the WeakMap entries once and the paths take the same names', () => {
  const name = '1 / part of key (Object @8) -> value (Object @10) pair in WeakMap (table @6)';
  const analysis = analyzeHeap(
    snapshotOf([
      root(1),
      obj('holder', [p(2)]),
      { type: 'array', name: 'table', selfSize: 8, id: 6, edges: [{ type: 'internal', name, to: 3 }] },
      obj('Value', [], 10),
    ]),
  );
  const { ids, count } = analysis.ephemerons.pairIds();
  const entryName = analysis.snapshot.strings.toArray().indexOf(name);
  assert.equal(count, 1);
  assert.equal(ids[entryName], 0);
  assert.equal(analysis.ephemerons.tableIds()[entryName], 6);
  // The table's edge does not retain (DevTools: a WeakMap value is retained by its key): the value hangs from the root.
  assert.equal(analysis.dominators.idom[3], 0);
});
