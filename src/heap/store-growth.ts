/**
 * What a store's own structure adds to its cluster. Its entries are objects the leak method sees; the store's
 * backing dictionary, hash table or elements array and its interned key strings are not: V8 re-allocates the
 * backing store as it grows (the noise filter skips it as an internal array, and DevTools' rules move its size to
 * the owner, an old object), and interns property-name keys (skipped as literals). Both grow with the store, so
 * both count for its cluster: a store of session ids holds its 48 B dictionary slots and 40 B keys per entry too.
 */
import type { IdSet } from './id-set.js';
import { NEW_NOISE } from './noise.js';
import { isBackingStore } from './path-shape.js';
import type { HeapSnapshot } from './snapshot.js';

/** New internal arrays (not in BASE, in TARGET) with the self size V8 wrote, by ascending node ordinal. */
export interface NewStores {
  readonly nodes: Uint32Array;
  readonly sizes: Float64Array;
}

/** Read before the analysis rewrites self sizes (DevTools' owned sizes set a backing store's to 0). */
export function newBackingStores(snapshot: HeapSnapshot, base: IdSet, target: IdSet): NewStores {
  const { nodeCount, nodeId, nodeSelfSize } = snapshot;
  let count = 0;
  const isNew = (node: number): boolean =>
    isBackingStore(snapshot, node) && target.has(nodeId[node]!) && !base.has(nodeId[node]!);
  for (let node = 0; node < nodeCount; node++) if (isNew(node)) count++;
  const nodes = new Uint32Array(count);
  const sizes = new Float64Array(count);
  let i = 0;
  for (let node = 0; node < nodeCount; node++) {
    if (!isNew(node)) continue;
    nodes[i] = node;
    sizes[i++] = nodeSelfSize[node]!;
  }
  return { nodes, sizes };
}

function rawSize(stores: NewStores, node: number): number {
  let low = 0;
  let high = stores.nodes.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const at = stores.nodes[mid]!;
    if (at === node) return stores.sizes[mid]!;
    if (at < node) low = mid + 1;
    else high = mid - 1;
  }
  return 0;
}

/** Bytes counted for a cluster's store, apart from its entries. */
export interface StoreBytes {
  retainedSize: number;
  selfSize: number;
}

/**
 * Adds to `cluster` the owner's new backing stores (their size as V8 wrote it) and the new interned key strings
 * they hold. `counted` marks what was added (each once, even when two clusters share a store); `state` is the
 * leak method's.
 */
export function addStoreGrowth(
  snapshot: HeapSnapshot,
  owner: number,
  cluster: StoreBytes,
  state: Uint8Array,
  selfSize: Float64Array,
  stores: NewStores,
  counted: Uint8Array,
): void {
  const { firstEdge, edgeTo, edgeType } = snapshot;
  const internal = snapshot.edgeKinds.internal;
  for (let e = firstEdge[owner]!, end = firstEdge[owner + 1]!; e < end; e++) {
    const store = edgeTo[e]!;
    if (edgeType[e] !== internal || !isBackingStore(snapshot, store)) continue;
    if (!counted[store]) {
      counted[store] = 1;
      const size = rawSize(stores, store);
      cluster.retainedSize += size;
      cluster.selfSize += size;
    }
    for (let f = firstEdge[store]!, last = firstEdge[store + 1]!; f < last; f++) {
      const key = edgeTo[f]!;
      if (state[key] !== NEW_NOISE || counted[key] || !snapshot.isString(key)) continue;
      counted[key] = 1;
      cluster.retainedSize += selfSize[key]!;
      cluster.selfSize += selfSize[key]!;
    }
  }
}
