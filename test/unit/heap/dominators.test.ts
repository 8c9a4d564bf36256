import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { aggregateClasses } from '../../../src/heap/aggregate.js';
import { analyzeHeap } from '../../../src/heap/analysis.js';
import { classIndex } from '../../../src/heap/classes.js';
import { computeDominators } from '../../../src/heap/dominators.js';
import { attributeOwnedSizes } from '../../../src/heap/owned-sizes.js';
import { parseHeapSnapshotChunks } from '../../../src/heap/reader.js';
import type { HeapSnapshot } from '../../../src/heap/snapshot.js';
import { syntheticSnapshot, type SyntheticNode } from '../../support/heap-fixtures.js';

const snapshotOf = (nodes: SyntheticNode[]): HeapSnapshot =>
  parseHeapSnapshotChunks('g.heapsnapshot', [Buffer.from(syntheticSnapshot(nodes))]);
const obj = (name: string, selfSize: number, edges: SyntheticNode['edges'] = []): SyntheticNode => ({
  type: 'object',
  name,
  selfSize,
  edges,
});
const p = (to: number, name = `p${to}`): { type: string; name: string; to: number } => ({ type: 'property', name, to });
const root = (edges: SyntheticNode['edges']): SyntheticNode => ({ type: 'synthetic', name: '', selfSize: 0, edges });

test('a diamond: the fork dominates the join and retains all four', () => {
  // 0 root -> 1 A; A -> 2 B, 3 C; B -> 4 D; C -> 4 D
  const s = snapshotOf([
    root([{ type: 'element', name: 1, to: 1 }]),
    obj('A', 10, [p(2), p(3)]),
    obj('B', 20, [p(4)]),
    obj('C', 30, [p(4)]),
    obj('D', 40),
  ]);
  const { idom, retained } = computeDominators(s);
  assert.deepEqual([...idom], [0, 0, 1, 1, 1]);
  assert.deepEqual([...retained], [100, 100, 20, 30, 40]);
});

test('a cycle: each node dominates the next, the first retains the whole cycle', () => {
  // root -> 1 -> 2 -> 3 -> 1, 3 -> 4
  const s = snapshotOf([
    root([{ type: 'element', name: 1, to: 1 }]),
    obj('A', 1, [p(2)]),
    obj('B', 2, [p(3)]),
    obj('C', 4, [p(1), p(4)]),
    obj('D', 8),
  ]);
  const { idom, retained } = computeDominators(s);
  assert.deepEqual([...idom], [0, 0, 1, 2, 3]);
  assert.deepEqual([...retained], [15, 15, 14, 12, 8]);
});

test('a chain deeper than the DFS stacks start: they grow', () => {
  // root -> 1 -> 2 -> ... -> n, and n -> 2: depth n in the DFS, and a compression over the whole chain at 2.
  const n = 200_000;
  const nodes = [root([{ type: 'element', name: 1, to: 1 }])];
  for (let k = 1; k <= n; k++) nodes.push(obj('L', 1, k < n ? [p(k + 1, 'next')] : [p(2, 'back')]));
  const { idom, retained } = computeDominators(snapshotOf(nodes));
  assert.deepEqual([idom[1], idom[2], idom[n], retained[1], retained[n]], [0, 1, n - 1, n, 1]);
  for (let k = 2; k <= n; k++) if (idom[k] !== k - 1) assert.fail(`idom of ${k} is ${idom[k]}`);
});

test('weak edges and non-root shortcut edges do not retain; a shortcut from the root does', () => {
  // root -> 1 A, root -> 2 B; A -> 3 X; B -weak-> X; B -shortcut-> X
  const weak = snapshotOf([
    root([
      { type: 'element', name: 1, to: 1 },
      { type: 'element', name: 2, to: 2 },
    ]),
    obj('A', 1, [p(3)]),
    obj('B', 1, [
      { type: 'weak', name: 1, to: 3 },
      { type: 'shortcut', name: 'x', to: 3 },
    ]),
    obj('X', 100),
  ]);
  const w = computeDominators(weak);
  assert.equal(w.idom[3], 1);
  assert.equal(w.retained[1], 101);
  assert.equal(w.retained[2], 1);
  // The same without the weak/shortcut types: B shares X, so the root dominates it.
  const strong = snapshotOf([
    root([
      { type: 'element', name: 1, to: 1 },
      { type: 'element', name: 2, to: 2 },
    ]),
    obj('A', 1, [p(3)]),
    obj('B', 1, [p(3)]),
    obj('X', 100),
  ]);
  assert.equal(computeDominators(strong).idom[3], 0);
  // A shortcut straight from the root is a real root edge.
  const fromRoot = snapshotOf([
    root([
      { type: 'element', name: 1, to: 1 },
      { type: 'shortcut', name: 'x', to: 2 },
    ]),
    obj('A', 1, [p(2)]),
    obj('X', 100),
  ]);
  assert.equal(computeDominators(fromRoot).idom[2], 0);
});

test('DevTools skips edges from outside the page into it; memlab flags the page differently', () => {
  // root -shortcut-> 1 global; root -element-> 2 (GC roots); global -> 3 X; (GC roots) -> 3 X
  const nodes: SyntheticNode[] = [
    root([
      { type: 'shortcut', name: 'global', to: 1 },
      { type: 'element', name: 1, to: 2 },
    ]),
    obj('global', 10, [p(3)]),
    { type: 'synthetic', name: '(GC roots)', selfSize: 0, edges: [{ type: 'element', name: 0, to: 3 }] },
    obj('X', 100),
  ];
  const devtools = analyzeHeap(snapshotOf(nodes)).dominators;
  assert.equal(devtools.idom[3], 1, 'devtools: the global dominates X');
  assert.equal(devtools.retained[1], 110);
  // memlab's page starts at (GC roots), so the global -> X edge is the one skipped.
  assert.equal(
    analyzeHeap(snapshotOf(nodes), { rules: 'memlab' }).dominators.idom[3],
    2,
    'memlab: (GC roots) dominates X',
  );
});

test('a WeakMap value is retained by its key, not by the table (DevTools); memlab keeps both edges', () => {
  const entry = (tableId: number): string =>
    `1 / part of key (Object @8) -> value (Object @10) pair in WeakMap (table @${tableId})`;
  // root -> 1 holder; holder -> 2 table (id 6), holder -> 3 key (id 8); table -> 4 value; key -> 4 value
  const nodes: SyntheticNode[] = [
    root([{ type: 'element', name: 1, to: 1 }]),
    obj('holder', 1, [p(2, 'map'), p(3, 'key')]),
    { type: 'array', name: 'table', selfSize: 1, id: 6, edges: [{ type: 'internal', name: entry(6), to: 4 }] },
    { type: 'object', name: 'Key', selfSize: 1, id: 8, edges: [{ type: 'internal', name: entry(6), to: 4 }] },
    { type: 'object', name: 'Value', selfSize: 50, id: 10 },
  ];
  assert.equal(analyzeHeap(snapshotOf(nodes)).dominators.idom[4], 3);
  assert.equal(analyzeHeap(snapshotOf(nodes), { rules: 'memlab' }).dominators.idom[4], 1);
});

test('unreachable nodes and unreachable cycles end up under the root, and the root retains everything', () => {
  const s = snapshotOf([
    root([{ type: 'element', name: 1, to: 1 }]),
    obj('A', 1),
    obj('Orphan', 2, [p(3)]),
    obj('OrphanChild', 4),
    obj('P', 8, [p(5)]),
    obj('Q', 16, [p(4)]),
  ]);
  const { idom, retained } = computeDominators(s);
  assert.equal(idom[2], 0);
  assert.equal(idom[3], 2);
  assert.equal(retained[0], 31);
  // As DevTools (checked against its HeapSnapshot.ts): each node of an unreachable cycle hangs from the root.
  assert.equal(idom[4], 0);
  assert.equal(idom[5], 0);
});

/** Brute force: d dominates v when v cannot be reached from the root without d. */
function bruteForceIdom(n: number, edges: Array<[number, number]>): number[] {
  const reach = (without: number): boolean[] => {
    const seen = new Array<boolean>(n).fill(false);
    if (without === 0) return seen;
    const stack = [0];
    seen[0] = true;
    while (stack.length) {
      const v = stack.pop()!;
      for (const [a, b] of edges) if (a === v && b !== without && !seen[b]) ((seen[b] = true), stack.push(b));
    }
    return seen;
  };
  const dominators: number[][] = Array.from({ length: n }, () => []);
  for (let d = 0; d < n; d++) {
    const seen = reach(d);
    for (let v = 1; v < n; v++) if (v !== d && !seen[v]) dominators[v]!.push(d);
  }
  // The immediate dominator is the strict dominator that every other strict dominator dominates.
  return dominators.map((ds, v) =>
    v === 0 ? 0 : ds.reduce((best, d) => (dominators[d]!.length > dominators[best]!.length ? d : best), 0),
  );
}

test('Lengauer-Tarjan agrees with brute force on random graphs with cycles (property)', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 2, max: 14 }).chain((n) =>
        fc.record({
          n: fc.constant(n),
          tree: fc.array(fc.nat(), { minLength: n - 1, maxLength: n - 1 }),
          extra: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 3 * n }),
          sizes: fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: n, maxLength: n }),
        }),
      ),
      ({ n, tree, extra, sizes }) => {
        // A spanning tree from the root keeps every node reachable; extra edges add cycles and joins.
        const edges: Array<[number, number]> = tree.map((parent, i) => [parent % (i + 1), i + 1]);
        for (const [a, b] of extra) if (a !== b && b !== 0) edges.push([a, b]);
        const nodes: SyntheticNode[] = Array.from({ length: n }, (_, v) => ({
          type: v === 0 ? 'synthetic' : 'object',
          name: `N${v}`,
          selfSize: v === 0 ? 0 : sizes[v]!,
          edges: edges
            .filter(([a]) => a === v)
            .map(([, b]) => ({ type: v === 0 ? 'element' : 'property', name: v === 0 ? b : `e${b}`, to: b })),
        }));
        const { idom, retained } = computeDominators(snapshotOf(nodes));
        assert.deepEqual([...idom], bruteForceIdom(n, edges));
        for (let v = 0; v < n; v++) {
          let expected = 0;
          for (let u = 0; u < n; u++) {
            let x = u;
            while (x !== v && x !== 0) x = idom[x]!;
            if (x === v) expected += nodes[u]!.selfSize;
          }
          assert.equal(retained[v], expected, `retained size of ${v}`);
        }
      },
    ),
    { numRuns: 300 },
  );
});

test("a class's retained size counts nested instances of the same class once", () => {
  // root -> 1 Foo -> 2 Foo -> 3 string; root -> 4 Bar -> 5 Foo
  const s = snapshotOf([
    root([
      { type: 'element', name: 1, to: 1 },
      { type: 'element', name: 2, to: 4 },
    ]),
    obj('Foo', 10, [p(2)]),
    obj('Foo', 20, [p(3)]),
    { type: 'string', name: 'text', selfSize: 5 },
    obj('Bar', 1, [p(5)]),
    obj('Foo', 7),
  ]);
  const analysis = analyzeHeap(s);
  const classes = aggregateClasses(s, classIndex(s), analysis.dominators, analysis.selfSize);
  const foo = classes.find((c) => c.name === 'Foo');
  assert.deepEqual(foo, { name: 'Foo', count: 3, selfSize: 37, retainedSize: 35 + 7 });
  assert.deepEqual(
    classes.find((c) => c.name === '(string)'),
    { name: '(string)', count: 1, selfSize: 5, retainedSize: 5 },
  );
});

test("an internal array owned by one object counts in its owner's self size (DevTools), shared ones do not", () => {
  // root -shortcut-> 1 global -> 2 Holder -> 3 array (only Holder) ; global -> 4 array shared by Holder and global
  const s = snapshotOf([
    root([{ type: 'shortcut', name: 'global', to: 1 }]),
    obj('global', 8, [p(2), p(4)]),
    obj('Holder', 16, [{ type: 'internal', name: 'elements', to: 3 }, p(4)]),
    { type: 'array', name: '', selfSize: 100 },
    { type: 'array', name: '', selfSize: 50 },
  ]);
  assert.deepEqual([...attributeOwnedSizes(s)], [0, 8, 116, 0, 50]);
  assert.deepEqual(
    [...s.nodeSelfSize],
    [0, 8, 16, 100, 50],
    'a copy by default: the snapshot keeps the sizes V8 wrote',
  );
  assert.equal(analyzeHeap(s, { rules: 'memlab' }).selfSize[2], 16);
  assert.deepEqual([...analyzeHeap(s).selfSize], [0, 8, 116, 0, 50]);
  assert.equal(s.sizesAttributed, true, 'the analysis rewrites the sizes in place');
  assert.throws(() => analyzeHeap(s, { rules: 'memlab' }), /read the snapshot again/);
});
