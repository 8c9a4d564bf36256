import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { findLeaks, type LeakCluster, type LeakReport } from '../../../src/heap/leaks.js';
import { DICTIONARY_MIN_OWNERS, DICTIONARY_MIN_SIBLINGS } from '../../../src/heap/path-shape.js';
import { parseHeapSnapshotChunks, readHeapSnapshot, readNodeIds } from '../../../src/heap/reader.js';
import { sampleKey } from '../../../src/heap/samples.js';
import { tempDir } from '../../support/cli.js';
import { STORE_SHAPES, syntheticSnapshot, writeStoreShapes, type SyntheticNode } from '../../support/heap-fixtures.js';

// --- The dictionary-key heuristic, on graphs small enough to read -----------------------------------------------

/**
 * root -> global -store-> Store -name-> value (new), one value per [name, class]; ids of root, global and Store are
 * "old". With `dictionary`, Store also has a backing dictionary of that size (an internal array, last node), new
 * or old.
 */
function storeOf(values: ReadonlyArray<readonly [string, string]>, valueSize = 1200, dictionary?: { size: number; isNew: boolean }, showValues = false): LeakReport {
  const dictionaryEdge = dictionary ? [{ type: 'internal', name: 'properties', to: 3 + values.length }] : [];
  const nodes: SyntheticNode[] = [
    { type: 'synthetic', name: '', selfSize: 0, edges: [{ type: 'element', name: 1, to: 1 }] },
    { type: 'object', name: 'global', selfSize: 10, edges: [{ type: 'property', name: 'store', to: 2 }] },
    { type: 'object', name: 'Store', selfSize: 10, edges: [...values.map(([name], i) => ({ type: 'property', name, to: 3 + i })), ...dictionaryEdge] },
    ...values.map(([, className]): SyntheticNode => ({ type: 'object', name: className, selfSize: valueSize })),
    ...(dictionary ? [{ type: 'array', name: '(object properties)', selfSize: dictionary.size }] : []),
  ];
  const final = parseHeapSnapshotChunks('final.heapsnapshot', [Buffer.from(syntheticSnapshot(nodes))]);
  const ids = Uint32Array.from(nodes, (_, i) => 2 * (i + 1));
  const files = { base: 'base', target: 'target', final: 'final' };
  const baseIds = dictionary && !dictionary.isNew ? Uint32Array.of(...ids.slice(0, 3), ids.at(-1)!) : ids.slice(0, 3);
  return findLeaks({ files, baseIds, targetIds: ids, final, showValues });
}

test('a store whose backing dictionary was re-allocated in the window counts it; an old one is not new growth', () => {
  const grown = storeOf(keys(8), 100, { size: 5000, isNew: true });
  assert.equal(grown.clusters[0]!.retainedSize, 8 * 100 + 5000);
  const same = storeOf(keys(8), 200, { size: 5000, isNew: false });
  assert.equal(same.clusters[0]!.retainedSize, 8 * 200);
});

const keys = (n: number, className = 'Session'): Array<[string, string]> => Array.from({ length: n }, (_, i) => [`sid-${i}x${i * 7919}`, className]);

test(`${DICTIONARY_MIN_SIBLINGS} same-class values under one owner's property edges are one store: keys become [*], samples name them`, () => {
  const report = storeOf(keys(DICTIONARY_MIN_SIBLINGS));
  assert.equal(report.clusters.length, 1, JSON.stringify(report.clusters));
  const cluster = report.clusters[0]!;
  assert.equal(cluster.constructor, 'Session');
  assert.equal(cluster.count, DICTIONARY_MIN_SIBLINGS);
  assert.equal(cluster.retainedSize, DICTIONARY_MIN_SIBLINGS * 1200);
  assert.deepEqual(cluster.path, ['global', 'store (Store)', '[*] (Session)']);
  assert.equal(cluster.samples?.length, 3);
  // Keys are data (session ids): by kind and length, unless --show-values.
  assert.match(cluster.samples![0]!, /^string\(\d+\): Session @\d+$/);
  assert.equal(report.showValues, false);
  const shown = storeOf(keys(DICTIONARY_MIN_SIBLINGS), 1200, undefined, true);
  assert.match(shown.clusters[0]!.samples![0]!, /^"sid-\d+x\d+": Session @\d+$/);
  assert.equal(shown.showValues, true);
});

test('fewer same-class siblings than the threshold are real properties: one cluster each, named by the property', () => {
  const report = storeOf(keys(DICTIONARY_MIN_SIBLINGS - 1), 1200, undefined, true);
  assert.equal(report.clusters.length, DICTIONARY_MIN_SIBLINGS - 1);
  const ends = report.clusters.map((c) => c.path.at(-1)).sort();
  assert.deepEqual(ends, keys(DICTIONARY_MIN_SIBLINGS - 1).map(([name]) => `${name} (Session)`).sort());
  // Without --show-values the same clusters, their id-like names by kind and length.
  const hidden = storeOf(keys(DICTIONARY_MIN_SIBLINGS - 1));
  assert.deepEqual(hidden.clusters.map((c) => c.path.at(-1)).sort(), keys(DICTIONARY_MIN_SIBLINGS - 1).map(([name]) => `[string(${name.length})] (Session)`).sort());
});

test('siblings of different classes are real properties, not dictionary keys', () => {
  const report = storeOf([['logger', 'Logger'], ['pool', 'Pool'], ['cache', 'Cache'], ['router', 'Router'], ['metrics', 'Registry']]);
  assert.equal(report.clusters.length, 5);
  assert.ok(report.clusters.every((c) => !c.path.includes('[*]') && c.count === 1), JSON.stringify(report.clusters));
});

test('a store of many small entries is reported although each entry is far under the 1 KB cluster minimum', () => {
  const report = storeOf(keys(50), 48);
  assert.equal(report.clusters.length, 1);
  assert.equal(report.clusters[0]!.count, 50);
  assert.equal(report.clusters[0]!.retainedSize, 50 * 48);
  assert.equal(report.summary.ignored['tiny cluster'], 0);
});

/** root -> global -users-> Users -uid-> User (old) -cache-> Entry (new, 1200 B), one User per id. */
function usersOf(count: number, showValues = false): LeakReport {
  const nodes: SyntheticNode[] = [
    { type: 'synthetic', name: '', selfSize: 0, edges: [{ type: 'element', name: 1, to: 1 }] },
    { type: 'object', name: 'global', selfSize: 10, edges: [{ type: 'property', name: 'users', to: 2 }] },
    { type: 'object', name: 'Users', selfSize: 10, edges: Array.from({ length: count }, (_, i) => ({ type: 'property', name: `user-${i}`, to: 3 + 2 * i })) },
  ];
  for (let i = 0; i < count; i++) {
    nodes.push({ type: 'object', name: 'User', selfSize: 10, edges: [{ type: 'property', name: 'cache', to: 4 + 2 * i }] });
    nodes.push({ type: 'object', name: 'Entry', selfSize: 1200 });
  }
  const final = parseHeapSnapshotChunks('final.heapsnapshot', [Buffer.from(syntheticSnapshot(nodes))]);
  const ids = Uint32Array.from(nodes, (_, i) => 2 * (i + 1));
  const old = ids.filter((_, i) => i < 3 || nodes[i]!.name === 'User');
  return findLeaks({ files: { base: 'base', target: 'target', final: 'final' }, baseIds: old, targetIds: ids, final, showValues });
}

test(`stores inside a store: ${DICTIONARY_MIN_OWNERS} same-class owners under one dictionary are one shape`, () => {
  const report = usersOf(DICTIONARY_MIN_OWNERS);
  assert.equal(report.clusters.length, 1, JSON.stringify(report.clusters.map((c) => c.path)));
  assert.deepEqual(report.clusters[0]!.path, ['global', 'users (Users)', '[*] (User)', 'cache (Entry)']);
  assert.equal(report.clusters[0]!.count, DICTIONARY_MIN_OWNERS);
});

test('a handful of same-class owners that each leak keep their names (module globals are not a dictionary)', () => {
  const report = usersOf(5, true);
  assert.equal(report.clusters.length, 5);
  assert.deepEqual(report.clusters.map((c) => c.path[2]).sort(), ['user-0 (User)', 'user-1 (User)', 'user-2 (User)', 'user-3 (User)', 'user-4 (User)']);
  assert.deepEqual(usersOf(5).clusters.map((c) => c.path[2]), Array(5).fill('[string(6)] (User)'));
});

// --- Real snapshots: seven kinds of store in one process ---------------------------------------------------------

const LEAKED = 300;
let dir = '';
let report: LeakReport;
let shownReport: LeakReport;

before(() => {
  dir = tempDir();
  const files = writeStoreShapes(dir, LEAKED);
  const inputs = { files, baseIds: readNodeIds(files.base), targetIds: readNodeIds(files.target), final: readHeapSnapshot(files.final) };
  report = findLeaks(inputs);
  shownReport = findLeaks({ ...inputs, showValues: true });
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** The clusters whose path passes through the global `store`. */
const clustersOf = (store: string, from = report): LeakCluster[] => from.clusters.filter((c) => c.path.some((step) => step.startsWith(`${store} (`)));

const expected: Record<(typeof STORE_SHAPES)[number], { constructor: string; tail: string[] }> = {
  mapStore: { constructor: 'CacheEntry', tail: ['mapStore (Map)', '[*] (CacheEntry)'] },
  setStore: { constructor: 'Visit', tail: ['setStore (Set)', '[*] (Visit)'] },
  dictStore: { constructor: '(string)', tail: ['dictStore (Object)', 'sessions (Object)', '[*] (string)'] },
  arrayStore: { constructor: 'RequestRecord', tail: ['arrayStore (Array)', '[*] (RequestRecord)'] },
  emitterStore: { constructor: 'Function', tail: ['emitterStore (EventEmitter)', '_events (Object)', 'data (Array)', '[*] (Function)'] },
  closureStore: { constructor: 'Function onDone', tail: ['closureStore (Array)', '[*] (Function onDone)'] },
  stringStore: { constructor: '(string)', tail: ['stringStore (Set)', '[*] (string)'] },
};

for (const store of STORE_SHAPES) {
  test(`real snapshot, ${store}: one cluster, ${LEAKED} entries, the path reaches the store`, () => {
    const found = clustersOf(store);
    assert.equal(found.length, 1, JSON.stringify(report.clusters.map((c) => c.path)));
    const cluster = found[0]!;
    const { constructor, tail } = expected[store];
    assert.equal(cluster.constructor, constructor);
    assert.equal(cluster.count, LEAKED);
    assert.deepEqual(cluster.path.slice(-tail.length), tail);
    assert.equal(cluster.path[0], 'global');
    assert.ok(cluster.retainedSize >= LEAKED * 16, String(cluster.retainedSize));
    assert.ok((cluster.samples?.length ?? 0) > 0);
  });
}

test('real snapshot, --show-values: the dictionary samples show session ids and truncated JSON values; the Map cluster shows keys and lists its new keys as members', () => {
  const dict = clustersOf('dictStore', shownReport)[0]!;
  assert.match(dict.samples![0]!, /^"[0-9a-z]+": "\{\\"cookie\\":.*…"$/);
  const map = clustersOf('mapStore', shownReport)[0]!;
  // A Map value's sample carries its key (the table slot before the value's).
  assert.match(map.samples![0]!, /^"\/api\/items\/\d+\?q=\w*…?": CacheEntry @\d+$/);
  assert.deepEqual(map.members?.map((m) => [m.constructor, m.count]).sort(), [['(string)', LEAKED], ['CacheEntry', LEAKED]]);
});

test('real snapshot, by default: samples are shapes (kind and length of keys and strings, an object\'s property names), the clusters the same as with --show-values', () => {
  const dict = clustersOf('dictStore')[0]!;
  assert.match(dict.samples![0]!, /^string\(\d+\): string\(\d+\)$/);
  const map = clustersOf('mapStore')[0]!;
  assert.match(map.samples![0]!, /^string\(\d+\): CacheEntry(\{[\w, …]+\})? @\d+$/);
  const shape = (r: LeakReport): unknown => r.clusters.map((c) => [c.constructor, c.count, c.retainedSize]);
  assert.deepEqual(shape(report), shape(shownReport));
  const text = JSON.stringify(report.clusters);
  assert.ok(!text.includes('cookie') && !text.includes('/api/items'), text);
});

test('real snapshot: churned objects are not reported, and every cluster is one of the seven stores', () => {
  assert.ok(!report.clusters.some((c) => c.constructor === 'RequestRecord' && !c.path.includes('arrayStore (Array)')));
  const stores = report.clusters.map((c) => STORE_SHAPES.find((s) => c.path.some((step) => step.startsWith(`${s} (`))));
  assert.ok(stores.every((s) => s !== undefined), JSON.stringify(report.clusters.map((c) => c.path)));
});

test('sample keys: ids and tokens are cut to 8 characters, structured keys (paths, label sets) are kept to 40', () => {
  assert.equal(sampleKey('QTmKrWqAl5hHi1RbU7iEvey25b71pPXg'), 'QTmKrWqA…');
  assert.equal(sampleKey('method:GET,path:/items/17,status:200'), 'method:GET,path:/items/17,status:200');
  assert.equal(sampleKey(`/api/items/${'9'.repeat(60)}`).length, 40);
  assert.equal(sampleKey('short-id'), 'short-id');
});
