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
  const { nodeCount, nodeType, firstEdge, edgeTo, edgeType, rootOrdinal } = snapshot;
  const { hidden, array, synthetic } = snapshot.kinds;
  const weak = snapshot.edgeKinds.weak;
  if (snapshot.sizesAttributed) return snapshot.nodeSelfSize;
  const sizes = options.inPlace ? snapshot.nodeSelfSize : Float64Array.from(snapshot.nodeSelfSize);
  if (options.inPlace) snapshot.sizesAttributed = true;
  if (!hasUserRoots(snapshot)) return sizes;
  const workspace = options.workspace ?? new Workspace(nodeCount);
  const owners = workspace.takeScratch();
  // Each node enters the worklist at most twice; it starts node-sized and grows only in odd graphs.
  let worklist = workspace.takeScratch();
  let top = 0;
  const push = (node: number): void => {
    if (top === worklist.length) worklist = doubled(worklist);
    worklist[top++] = node;
  };
  for (let node = 0; node < nodeCount; node++) {
    const type = nodeType[node];
    if (type === hidden || type === array) owners[node] = UNVISITED;
    else {
      owners[node] = node;
      push(node);
    }
  }
  while (top > 0) {
    const node = worklist[--top]!;
    const owner = owners[node]!;
    for (let e = firstEdge[node]!, end = firstEdge[node + 1]!; e < end; e++) {
      if (edgeType[e] === weak) continue;
      const target = edgeTo[e]!;
      const current = owners[target]!;
      if (current === UNVISITED) {
        owners[target] = owner;
        push(target);
      } else if (current !== target && current !== owner && current !== SHARED) {
        owners[target] = SHARED;
        push(target);
      }
    }
  }
  for (let node = 0; node < nodeCount; node++) {
    const owner = owners[node]!;
    if (owner === UNVISITED || owner === SHARED || owner === node) continue;
    if (nodeType[owner] === synthetic || owner === rootOrdinal) continue;
    sizes[owner]! += sizes[node]!;
    sizes[node] = 0;
  }
  workspace.give(owners, worklist);
  return sizes;
}

function hasUserRoots(snapshot: HeapSnapshot): boolean {
  const { firstEdge, edgeTo, nodeType, rootOrdinal } = snapshot;
  for (let e = firstEdge[rootOrdinal]!, end = firstEdge[rootOrdinal + 1]!; e < end; e++) {
    if (nodeType[edgeTo[e]!] !== snapshot.kinds.synthetic) return true;
  }
  return false;
}
