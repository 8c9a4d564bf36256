/**
 * DevTools (calculateShallowSizes, 2024+) shows the memory of internal arrays and hidden objects that belong
 * to exactly one object as part of that object's self size: an Array's backing store counts for the Array.
 * Retained sizes of ordinary objects do not change; the owned internals get self size 0.
 * Skipped, as in DevTools, when the root has no user roots (snapshots taken with internals exposed).
 */
import type { HeapSnapshot } from './snapshot.js';
import { doubled, Workspace } from './workspace.js';

const UNVISITED = 0xffff_ffff;
const SHARED = 0xffff_fffe;

/**
 * Self sizes after moving owned hidden/array sizes to their owner. By default a new array and the snapshot keeps
 * the sizes V8 wrote; `inPlace` rewrites `snapshot.nodeSelfSize` instead (saves 8 bytes a node on big heaps).
 */
export function attributeOwnedSizes(
  snapshot: HeapSnapshot,
  options: { inPlace?: boolean; workspace?: Workspace } = {},
): Float64Array {
  if (snapshot.sizesAttributed) return snapshot.nodeSelfSize;
  const sizes = options.inPlace ? snapshot.nodeSelfSize : Float64Array.from(snapshot.nodeSelfSize);
  if (options.inPlace) snapshot.sizesAttributed = true;
  if (!hasUserRoots(snapshot)) return sizes;
  const workspace = options.workspace ?? new Workspace(snapshot.nodeCount);
  const owners = workspace.takeScratch();
  const start = workspace.takeScratch();
  const worklist = propagateOwners(snapshot, owners, start, seedOwners(snapshot, owners, start));
  moveOwnedSizes(snapshot, owners, sizes);
  workspace.give(owners, worklist);
  return sizes;
}

// One loop a function (see dominators.ts).

/** Ordinary nodes own themselves and start the worklist (node-sized); internal arrays and hidden nodes wait. */
function seedOwners(snapshot: HeapSnapshot, owners: Uint32Array, worklist: Uint32Array): number {
  const { nodeCount, nodeType } = snapshot;
  const { hidden, array } = snapshot.kinds;
  let top = 0;
  for (let node = 0; node < nodeCount; node++) {
    const type = nodeType[node];
    if (type === hidden || type === array) owners[node] = UNVISITED;
    else {
      owners[node] = node;
      worklist[top++] = node;
    }
  }
  return top;
}

/**
 * Each internal node's owner: the one owner reaching it, SHARED when several do (UNVISITED when none does). Returns
 * the worklist, which grows only in odd graphs (each node enters it at most twice).
 */
function propagateOwners(snapshot: HeapSnapshot, owners: Uint32Array, start: Uint32Array, seeded: number): Uint32Array {
  const { firstEdge, edgeTo, edgeType } = snapshot;
  const weak = snapshot.edgeKinds.weak;
  let worklist = start;
  let top = seeded;
  while (top > 0) {
    const node = worklist[--top]!;
    const owner = owners[node]!;
    for (let e = firstEdge[node]!, end = firstEdge[node + 1]!; e < end; e++) {
      if (edgeType[e] === weak) continue;
      const target = edgeTo[e]!;
      const current = owners[target]!;
      if (current === UNVISITED) owners[target] = owner;
      else if (current !== target && current !== owner && current !== SHARED) owners[target] = SHARED;
      else continue;
      if (top === worklist.length) worklist = doubled(worklist);
      worklist[top++] = target;
    }
  }
  return worklist;
}

function moveOwnedSizes(snapshot: HeapSnapshot, owners: Uint32Array, sizes: Float64Array): void {
  const { nodeCount, nodeType, rootOrdinal } = snapshot;
  const synthetic = snapshot.kinds.synthetic;
  for (let node = 0; node < nodeCount; node++) {
    const owner = owners[node]!;
    if (owner === UNVISITED || owner === SHARED || owner === node) continue;
    const ownerSynthetic = nodeType[owner] === synthetic; // both tested every time (see essentialEdges)
    const ownerRoot = owner === rootOrdinal;
    if (ownerSynthetic || ownerRoot) continue;
    sizes[owner]! += sizes[node]!;
    sizes[node] = 0;
  }
}

function hasUserRoots(snapshot: HeapSnapshot): boolean {
  const { firstEdge, edgeTo, nodeType, rootOrdinal } = snapshot;
  for (let e = firstEdge[rootOrdinal]!, end = firstEdge[rootOrdinal + 1]!; e < end; e++) {
    if (nodeType[edgeTo[e]!] !== snapshot.kinds.synthetic) return true;
  }
  return false;
}
