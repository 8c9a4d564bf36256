/**
 * DevTools' DOM state (dom-state.ts): native objects pass their known state on to the native objects they reference,
 * attached first, and detached ones are named 'Detached <name>' by the class index.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classIndex } from '../../../src/heap/classes.js';
import { detachedNodes } from '../../../src/heap/dom-state.js';
import { parseHeapSnapshotChunks } from '../../../src/heap/reader.js';
import type { HeapSnapshot } from '../../../src/heap/snapshot.js';
import { syntheticSnapshot, type SyntheticNode } from '../../support/heap-fixtures.js';

const snapshotOf = (nodes: SyntheticNode[]): HeapSnapshot =>
  parseHeapSnapshotChunks('dom.heapsnapshot', [Buffer.from(syntheticSnapshot(nodes))]);
const native = (name: string, detachedness: number, edges: SyntheticNode['edges'] = []): SyntheticNode => ({
  type: 'native',
  name,
  selfSize: 8,
  detachedness,
  edges,
});
const p = (to: number, type = 'property'): { type: string; name: string; to: number } => ({ type, name: `e${to}`, to });

test('a detached native passes its state on to the natives it references, unless they are attached', () => {
  const s = snapshotOf([
    { type: 'synthetic', name: '', selfSize: 0, edges: [p(1, 'element'), p(6, 'element')] },
    native('<div id=a>', 2, [p(2), p(3), p(4, 'weak'), p(5, 'hidden')]), // 1: detached
    native('<span>', 0, [p(7)]), // 2: inherits detached, passes it on to 7
    native('<p>', 0), // 3: reached from 6 (attached) too: attached wins
    native('<b>', 0), // 4: only over a weak edge: unknown
    native('<i>', 0), // 5: only over a hidden edge: unknown
    native('<body>', 1, [p(3)]), // 6: attached
    native('<em>', 0, [{ type: 'property', name: 'x', to: 8 }]), // 7: detached through 2
    { type: 'object', name: 'Listener', selfSize: 16 }, // 8: JavaScript objects inherit nothing
  ]);
  const detached = [...(detachedNodes(s) ?? [])].sort((a, b) => a - b);
  assert.deepEqual(detached, [1, 2, 7]);
  const { names, ofNode } = classIndex(s);
  assert.deepEqual(
    [1, 2, 3, 4, 6, 7, 8].map((node) => names[ofNode[node]!]),
    ['Detached <div>', 'Detached <span>', '<p>', '<b>', '<body>', 'Detached <em>', 'Listener'],
  );
});

test('no detached native: nothing to propagate', () => {
  const s = snapshotOf([
    { type: 'synthetic', name: '', selfSize: 0, edges: [p(1, 'element')] },
    native('<body>', 1, [p(2)]),
    native('<div>', 0),
  ]);
  assert.equal([...(detachedNodes(s) ?? [])].length, 0);
  assert.deepEqual(
    classIndex(s).names.filter((name) => name.startsWith('<')),
    ['<body>', '<div>'],
  );
});
