/**
 * Shortest retainer paths, the way DevTools measures distance (calculateDistances): breadth-first from the
 * user's globals first, then from the root for what only internal roots reach; weak edges skipped, and the
 * same edges DevTools skips (a NativeContext's sloppy_function_map, shared descriptor-array links, and the
 * first edge of each WeakMap key/table pair so a WeakMap value sits behind both).
 */
import { EphemeronNames } from './edge-rules.js';
import type { StringTable } from './string-table.js';
import type { HeapSnapshot } from './snapshot.js';
import { Workspace } from './workspace.js';

/** The BFS tree: the edge (ordinal + 1) each node was first reached by; 0 for roots and unreachable nodes. */
export interface RetainerTree {
  readonly parentEdge: Uint32Array;
  /** 1 for nodes the BFS reached (the root included). */
  readonly reached: Uint8Array;
}

/**
 * With `targets`, the search stops once every target is reached: their paths are the same as with a full
 * search (breadth-first order is not changed by stopping early), other nodes may be left unreached.
 */
export function shortestRetainers(
  snapshot: HeapSnapshot,
  ephemerons = new EphemeronNames(snapshot),
  workspace = new Workspace(snapshot.nodeCount),
  targets?: readonly number[],
): RetainerTree {
  const { nodeCount, firstEdge, edgeTo, edgeType, edgeName, nodeType, nodeName, strings, rootOrdinal } = snapshot;
  const { weak, internal } = snapshot.edgeKinds;
  const { hidden, array, synthetic } = snapshot.kinds;
  const parentEdge = workspace.take();
  const reached = new Uint8Array(nodeCount);
  const queue = workspace.takeScratch();
  // What the filters need of names, for every string at once: the loops below then stay small (see tableIds).
  const scratch = workspace.takeScratch(); // the pair ids go there when it has room for every string
  const pairs = ephemerons.pairIds(scratch);
  // 1 once the first edge of an entry was skipped; other internal edges toggle a spare last slot, so the same tests
  // run for every internal edge (see essentialEdges).
  const skippedFirst = new Uint8Array(pairs.count + 1);
  const special = specialNames(strings);

  const { element, hidden: hiddenEdge } = snapshot.edgeKinds;
  const passes = (from: number, e: number): boolean => {
    const type = edgeType[e];
    if (type === weak) return false;
    const fromType = nodeType[from];
    const fromName = special[nodeName[from]!]!;
    // Each test of the two filters runs on every call, not only on the rare nodes they catch (see essentialEdges).
    const indexName = type === element || type === hiddenEdge;
    const name = indexName ? 1 : special[edgeName[e]!]!;
    const fromHidden = fromType === hidden;
    const fromContext = fromName === 2;
    const sloppyMap = name === 4;
    if (fromHidden && fromContext && sloppyMap) return false;
    const fromArray = fromType === array;
    const fromDescriptors = fromName === 3;
    if (fromArray && fromDescriptors) {
      const index = indexName ? edgeName[e]! : Number.parseInt(strings.get(edgeName[e]!), 10);
      if (!(index < 2 || index % 3 !== 1)) return false;
    }
    if (type === internal) {
      const slot = Math.min(pairs.ids[edgeName[e]!]!, pairs.count);
      const skipped = skippedFirst[slot]!;
      skippedFirst[slot] = skipped ^ 1;
      if (skipped === 0 && slot !== pairs.count) return false;
    }
    return true;
  };

  // Targets still to reach (marked 2 in `reached` until they are).
  let pending = 0;
  for (const node of targets ?? []) {
    if (reached[node] === 0) {
      reached[node] = 2;
      pending++;
    }
  }
  const reach = (node: number): void => {
    if (reached[node] === 2) pending--;
    reached[node] = 1;
  };
  const unreached = (node: number): boolean => reached[node] !== 1;

  let queued = 0;
  const bfs = (start: number): void => {
    let head = start;
    let tail = queued;
    while (head < tail && !(targets && pending === 0)) {
      const node = queue[head++]!;
      // Most nodes need none of the special filters: only weak and internal edges are checked for them.
      const plain = special[nodeName[node]!]! === 1;
      for (let e = firstEdge[node]!, end = firstEdge[node + 1]!; e < end; e++) {
        const to = edgeTo[e]!;
        if (reached[to] === 1) continue;
        const type = edgeType[e];
        if (type === weak) continue;
        if ((!plain || type === internal) && !passes(node, e)) continue;
        reach(to);
        parentEdge[to] = e + 1;
        queue[tail++] = to;
      }
    }
    queued = tail;
  };

  const seed = (node: number, edge: number): void => {
    if (!unreached(node)) return;
    reach(node);
    parentEdge[node] = edge + 1;
    queue[queued++] = node;
  };
  // User roots first (the root's non-synthetic children: the global objects). V8 14 (Node 26) points the
  // root's shortcut at the NativeContext instead: its global object is seeded first, under the root's edge so a
  // path still starts at `global`, and the context after it for what only the context holds (script `let`s).
  for (let e = firstEdge[rootOrdinal]!, end = firstEdge[rootOrdinal + 1]!; e < end; e++) {
    const to = edgeTo[e]!;
    if (nodeType[to] === synthetic) continue;
    const global = nodeType[to] === hidden && special[nodeName[to]!]! === 2 ? globalOfContext(snapshot, to) : -1;
    if (global >= 0) seed(edgeTo[global]!, e);
    seed(to, e);
  }
  bfs(0);
  if (!(targets && pending === 0)) {
    reach(rootOrdinal);
    queue[queued++] = rootOrdinal;
    bfs(queued - 1);
  }
  workspace.give(queue, scratch);
  // Targets never reached are unreachable: unmark them.
  if (targets) for (const node of targets) if (reached[node] === 2) reached[node] = 0;
  return { parentEdge, reached };
}

/** Per string, the name a filter looks for: 2 a NativeContext, 3 '(map descriptors)', 4 'sloppy_function_map'. */
function specialNames(strings: StringTable): Uint8Array {
  const kinds = new Uint8Array(strings.length).fill(1);
  for (let s = 0; s < strings.length; s++) {
    const first = strings.firstByte(s); // 's' or '(' (most strings are neither)
    if (first === 0x73) {
      if (strings.startsWith(s, 'system / NativeContext')) kinds[s] = 2;
      else if (strings.is(s, 'sloppy_function_map')) kinds[s] = 4;
    } else if (first === 0x28 && strings.is(s, '(map descriptors)')) kinds[s] = 3;
  }
  return kinds;
}

/** The `global_object` edge of a NativeContext, or -1. */
function globalOfContext(snapshot: HeapSnapshot, context: number): number {
  const { firstEdge, edgeName, strings } = snapshot;
  for (let e = firstEdge[context]!, end = firstEdge[context + 1]!; e < end; e++) {
    if (!snapshot.hasIndexName(e) && strings.is(edgeName[e]!, 'global_object')) return e;
  }
  return -1;
}

/** The node an edge comes from (edges are stored by source, so a binary search over the first-edge table). */
export function edgeSource(snapshot: HeapSnapshot, edge: number): number {
  const first = snapshot.firstEdge;
  let low = 0;
  let high = snapshot.nodeCount - 1;
  while (low < high) {
    const mid = (low + high + 1) >>> 1;
    if (first[mid]! <= edge) low = mid;
    else high = mid - 1;
  }
  // Nodes without edges share their start with the next node; the last node starting at or before `edge` owns it.
  return low;
}

/** One step of a retainer path: the edge taken and the node it reaches. */
export interface PathStep {
  readonly edge: number;
  readonly node: number;
}

/** Edges from the root (exclusive) to `node`, root side first; empty for the root or an unreachable node. */
export function retainerPath(snapshot: HeapSnapshot, tree: RetainerTree, node: number, maxSteps = 10_000): PathStep[] {
  const steps: PathStep[] = [];
  let current = node;
  while (steps.length < maxSteps) {
    const parent = tree.parentEdge[current]!;
    if (parent === 0) break;
    steps.push({ edge: parent - 1, node: current });
    current = edgeSource(snapshot, parent - 1);
    if (current === snapshot.rootOrdinal) break;
  }
  return steps.reverse();
}
