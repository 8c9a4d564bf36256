/**
 * What a store holds, comparable across snapshots of one process: the ids of the objects it dominates. A leaking
 * store only adds (everything it held in the first snapshot it still holds in the last); a queue or cache that
 * fills and drains lets old entries go, though its size at three moments can rise like a leak's.
 *
 * The store is the nearest object on the entries' dominator chain that the first snapshot already had: an array
 * replaced as it grows or compacts is new each time, the object that owns it is not.
 */
import type { Dominators } from './dominators.js';
import type { IdSet } from './id-set.js';
import type { HeapSnapshot } from './snapshot.js';

/** The store of `owner`: itself when BASE had it, else its nearest dominator that BASE had (the root at last). */
export function stableStore(snapshot: HeapSnapshot, idom: Uint32Array, base: IdSet, owner: number): number {
  let node = owner;
  while (node !== snapshot.rootOrdinal && !base.has(snapshot.nodeId[node]!)) node = idom[node]!;
  return node;
}

/** The ordinals of the nodes with these ids (V8 keeps ids across one process's snapshots), -1 where absent. */
export function ordinalsOf(snapshot: HeapSnapshot, ids: readonly number[]): number[] {
  const ordinals = new Map<number, number>(ids.map((id) => [id, -1]));
  for (let node = 0; node < snapshot.nodeCount; node++) {
    const id = snapshot.nodeId[node]!;
    if (ordinals.has(id)) ordinals.set(id, node);
  }
  return ids.map((id) => ordinals.get(id)!);
}

/**
 * Sorted ids of the data the stores dominate: objects, closures and strings (not backing arrays, heap numbers, code
 * or hidden classes, which V8 replaces under a store whose data stays).
 */
export function dominatedData(snapshot: HeapSnapshot, dominators: Dominators, stores: readonly number[]): Uint32Array {
  const { order, idom } = dominators;
  const { nodeType, nodeId, kinds, rootOrdinal } = snapshot;
  const data = new Uint8Array(16);
  for (const kind of [kinds.object, kinds.closure, kinds.string, kinds.consString, kinds.slicedString, kinds.regexp])
    data[kind] = 1;
  const under = new Uint8Array(snapshot.nodeCount);
  for (const store of stores) if (store >= 0) under[store] = 1;
  const ids: number[] = [];
  for (let i = 0; i < order.length; i++) {
    const node = order[i]!;
    if (node === rootOrdinal || under[node] || !under[idom[node]!]) continue;
    under[node] = 1;
    if (data[nodeType[node]!]) ids.push(nodeId[node]!);
  }
  return Uint32Array.from(ids).sort();
}

/** The share of `before` (sorted) still in `after` (sorted); null when `before` is empty. */
export function keptShare(before: Uint32Array, after: Uint32Array): number | null {
  if (before.length === 0) return null;
  let kept = 0;
  for (let i = 0, j = 0; i < before.length && j < after.length;) {
    if (before[i] === after[j]) {
      kept++;
      i++;
      j++;
    } else if (before[i]! < after[j]!) i++;
    else j++;
  }
  return kept / before.length;
}
