/**
 * Leak roots grouped into clusters by the shape of their retainer path (path-shape.ts): one cluster per store,
 * however many keys it has. A root's path is cut at its *entry*, the first leaked object on it: the entry is
 * what the store holds, anything deeper (an object a leaked closure's context or a leaked record reaches
 * without being dominated by it) belongs to the same store's cluster. Siblings of one store of several kinds
 * (a Map's new key strings and its values) are one cluster, named after the kind that retains the most.
 */
import { MAY_LEAK, type NoiseFilter, type NoiseReason } from './noise.js';
import { ANY_SLOT, kindLabel, pathShape, STRING_LABEL, type ShapeContext } from './path-shape.js';
import { retainerPath, type RetainerTree } from './paths.js';
import { keyText, mapKeyOf, sampleText, stringPreview, stringShape } from './samples.js';
import { addStoreGrowth, type NewStores } from './store-growth.js';
import type { HeapSnapshot } from './snapshot.js';

const SAMPLE_IDS = 5;
/** Stores of one shape (a queue per user) compared across snapshots: the first this many. */
const STORES_COMPARED = 100;
const SAMPLE_ENTRIES = 3;

export interface Roots {
  /** Ordinals of the leak roots: may-leak objects no other may-leak object dominates, not noise by path. */
  readonly list: Uint32Array;
  /** 1 for every node on a root's shortest retainer path, the root included. */
  readonly onPath: Uint8Array;
  readonly heldByLeaks: number;
}

export function collectRoots(
  snapshot: HeapSnapshot,
  tree: RetainerTree,
  noise: NoiseFilter,
  state: Uint8Array,
  held: Uint8Array,
  ignored: Record<Exclude<NoiseReason, null>, number>,
): Roots {
  const list = new Uint32Array(snapshot.nodeCount);
  const onPath = new Uint8Array(snapshot.nodeCount);
  let count = 0;
  let heldByLeaks = 0;
  for (let node = 0; node < snapshot.nodeCount; node++) {
    if (state[node] !== MAY_LEAK) continue;
    if (held[node]) {
      heldByLeaks++;
      continue;
    }
    const steps = retainerPath(snapshot, tree, node);
    // No path over strong edges: only weak references (or skipped internal links) reach it.
    const reason = steps.length === 0 ? 'weakly held' : noise.ofPath(steps);
    if (reason) {
      ignored[reason]++;
      continue;
    }
    list[count++] = node;
    for (const step of steps) onPath[step.node] = 1;
  }
  return { list: list.slice(0, count), onPath, heldByLeaks };
}

interface Member {
  count: number;
  retainedSize: number;
  /** The kind's largest entries as [node ordinal, retained size]: the cluster's samples. */
  largest: Array<[number, number]>;
}

export interface Building {
  prefix: string[];
  entryEdge: string;
  shown: { prefix: string[]; entryEdge: string };
  owner: number;
  /** Every store of this shape that holds a root (ordinals), up to STORES_COMPARED. */
  stores: Set<number>;
  roots: number;
  retainedSize: number;
  selfSize: number;
  members: Map<string, Member>;
  /** Largest roots as [id, retained size]. */
  samples: Array<[number, number]>;
}

export function groupRoots(
  shapes: ShapeContext,
  tree: RetainerTree,
  roots: Uint32Array,
  state: Uint8Array,
  retained: Float64Array,
  selfSize: Float64Array,
  stores: NewStores,
): Map<string, Building> {
  const { snapshot, classes } = shapes;
  const clusters = new Map<string, Building>();
  for (const node of roots) {
    const steps = retainerPath(snapshot, tree, node);
    // The entry: the first leaked object below the root's user roots (the root itself at the latest).
    const last = steps.length - 1;
    let entry = Math.min(1, last);
    while (entry < last && state[steps[entry]!.node] !== MAY_LEAK) entry++;
    const shape = pathShape(shapes, steps, entry);
    const key = `${shape.prefix.join('\u0000')}\u0000${shape.entryEdge}`;
    let cluster = clusters.get(key);
    if (!cluster) {
      cluster = {
        ...shape,
        stores: new Set(),
        roots: 0,
        retainedSize: 0,
        selfSize: 0,
        members: new Map(),
        samples: [],
      };
      clusters.set(key, cluster);
    }
    if (cluster.stores.size < STORES_COMPARED) cluster.stores.add(shape.owner);
    cluster.roots++;
    cluster.retainedSize += retained[node]!;
    cluster.selfSize += selfSize[node]!;
    keepLargest(cluster.samples, SAMPLE_IDS, snapshot.nodeId[node]!, retained[node]!);
    // Deeper than its entry: it adds to the store's bytes, not to its entries.
    if (entry !== last) continue;
    const label = kindLabel(snapshot, classes, node);
    const member = cluster.members.get(label) ?? { count: 0, retainedSize: 0, largest: [] };
    member.count++;
    member.retainedSize += retained[node]!;
    cluster.members.set(label, member);
    keepLargest(member.largest, SAMPLE_ENTRIES, node, retained[node]!);
  }
  const counted = new Uint8Array(snapshot.nodeCount);
  for (const cluster of clusters.values()) {
    if (cluster.entryEdge === ANY_SLOT)
      addStoreGrowth(snapshot, cluster.owner, cluster, state, selfSize, stores, counted);
  }
  return clusters;
}

function keepLargest(list: Array<[number, number]>, max: number, item: number, size: number): void {
  if (list.length === max && list[max - 1]![1] >= size) return;
  list.push([item, size]);
  list.sort((a, b) => b[1] - a[1]);
  if (list.length > max) list.length = max;
}

export interface FinishedCluster {
  readonly constructor: string;
  readonly count: number;
  readonly retainedSize: number;
  readonly selfSize: number;
  readonly path: string[];
  readonly sampleIds: number[];
  readonly samples: string[];
  readonly members?: Array<{ constructor: string; count: number; retainedSize: number }>;
  /** The store that holds the entries: its node id and retained size in FINAL (to compare with an earlier heap). */
  readonly holder: { readonly id: number; readonly retainedSize: number };
}

/**
 * Names the cluster after the kind of entry that retains the most, objects before strings: next to objects,
 * new strings are the keys they are stored under (a cache by URL is a store of its values, not of its URLs).
 * The other kinds are listed as members.
 */
export function finishCluster(shapes: ShapeContext, c: Building, retained: Float64Array): FinishedCluster {
  const members = [...c.members.entries()]
    .map(([constructor, m]) => ({ constructor, count: m.count, retainedSize: m.retainedSize }))
    .sort((a, b) => b.retainedSize - a.retainedSize || b.count - a.count);
  const top = members.find((m) => m.constructor !== STRING_LABEL) ??
    members[0] ?? { constructor: '?', count: c.roots, retainedSize: c.retainedSize };
  const largest = c.members.get(top.constructor)?.largest ?? [];
  const samples = largest.map(([node]) =>
    sampleText(shapes.snapshot, shapes.classes, node, entryKey(shapes, c.owner, node), shapes.showValues),
  );
  return {
    constructor: top.constructor,
    count: top.count,
    retainedSize: c.retainedSize,
    selfSize: c.selfSize,
    path: [...c.shown.prefix, `${c.shown.entryEdge} (${top.constructor.replace(/^\((.*)\)$/, '$1')})`],
    sampleIds: c.samples.map(([id]) => id),
    samples,
    ...(members.length > 1 ? { members } : {}),
    holder: { id: shapes.snapshot.nodeId[c.owner]!, retainedSize: retained[c.owner]! },
  };
}

/**
 * The key an entry is stored under (a dictionary key, or a Map value's key) as a sample shows it, or null (an
 * index, a Set member). Keys are data (ids, URLs, tokens): shown by kind and length unless `showValues`.
 */
function entryKey(shapes: ShapeContext, owner: number, node: number): string | null {
  const { snapshot, classes, tree, showValues } = shapes;
  if (shapes.keyEdge[node]) return keyText(snapshot.edgeNameText(tree.parentEdge[node]! - 1), showValues);
  if (classes.names[classes.ofNode[owner]!] !== 'Map') return null;
  const key = mapKeyOf(snapshot, tree.parentEdge[node]! - 1);
  if (key === null) return null;
  if (!snapshot.isString(key)) return `${kindLabel(snapshot, classes, key)} @${snapshot.nodeId[key]}`;
  return showValues ? keyText(stringPreview(snapshot, key), true) : stringShape(snapshot, key);
}
