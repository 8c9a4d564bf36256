/**
 * Dominator tree and retained sizes, iterative on typed arrays, over the essential edges of edge-rules.ts:
 * Lengauer-Tarjan's semidominators (simple eval/link, as Chrome DevTools runs it), then Semi-NCA for the
 * immediate dominators: DevTools' tree, without LT's buckets and one working array smaller. Nodes the root
 * cannot reach are handled as DevTools does: first the subgraphs hanging from nodes with no retaining edge at
 * all (only weak ones), then each remaining node on its own, directly under the root. After the DFS the graph
 * is renumbered in preorder, so the later passes read their arrays nearly in sequence.
 */
import { EdgeBits, essentialEdges } from './edge-rules.js';
import type { HeapSnapshot } from './snapshot.js';
import { doubled, Workspace } from './workspace.js';

export interface Dominators {
  /** Immediate dominator of each node (by ordinal); the root's is itself. */
  readonly idom: Uint32Array;
  /** Node ordinals in DFS preorder: every node comes after its immediate dominator. */
  readonly order: Uint32Array;
  /** Self size plus the sizes of everything the node dominates. */
  readonly retained: Float64Array;
  /** Nodes the root reaches over retaining edges (the others hang from the root, as in DevTools). */
  readonly reachable: number;
}

/** Retaining (essential) predecessors of each node, in compressed rows. */
interface Predecessors {
  readonly first: Uint32Array;
  readonly nodes: Uint32Array;
}

/**
 * The DFS stacks start small and double: most heaps are shallow, and every page of a node-sized array costs a
 * fault the first time it is written.
 */
const STACK_START = 64 * 1024;

/** Retaining (essential) edges into each node, by ordinal: taken from the edge pass when it counted them. */
function incomingCounts(snapshot: HeapSnapshot, essential: EdgeBits, workspace: Workspace): Uint32Array {
  const counted = essential.incoming;
  essential.incoming = null;
  if (counted) return counted;
  const { edgeTo, edgeCount } = snapshot;
  const bits = essential.words;
  const incoming = workspace.take();
  for (let e = 0; e < edgeCount; e++) if ((bits[e >>> 5]! & (1 << (e & 31))) !== 0) incoming[edgeTo[e]!]!++;
  return incoming;
}

/**
 * Computes immediate dominators and retained sizes.
 *
 * @example
 * ```ts
 * const { retained } = computeDominators(readHeapSnapshot('a.heapsnapshot'));
 * ```
 * `selfSize` defaults to the sizes V8 wrote; pass attributeOwnedSizes(snapshot) for DevTools' view.
 * `startsSubgraph` picks the unreached nodes the second DFS pass starts from (default: no retaining edge).
 */
export function computeDominators(
  snapshot: HeapSnapshot,
  essential: EdgeBits = essentialEdges(snapshot),
  selfSize: Float64Array = snapshot.nodeSelfSize,
  startsSubgraph?: (node: number) => boolean,
  workspace = new Workspace(snapshot.nodeCount),
): Dominators {
  const { nodeCount, rootOrdinal } = snapshot;
  const incoming = incomingCounts(snapshot, essential, workspace);
  const {
    pre,
    vertex,
    parent,
    n: reachable,
    depth,
  } = numberInPreorder(snapshot, essential, incoming, startsSubgraph, workspace);
  const n = nodeCount;
  const preds = predecessorsInPreorder(snapshot, essential, incoming, pre, workspace);
  workspace.give(incoming);
  const semi = pre; // no longer needed by ordinal: each entry becomes a preorder number's semidominator
  const label = workspace.take();
  const ancestor = workspace.take();
  numberSelf(semi, label, n);
  semidominators(n, preds, parent, semi, label, ancestor, depth);
  immediateDominators(n, semi, parent);
  // Results reuse the working arrays: `label` becomes the ordinal-indexed idom, `vertex` the order.
  const idom = label.subarray(0, nodeCount);
  const retained = retainedArray(preds.nodes, nodeCount);
  retained.set(selfSize);
  idomsAndRetained(n, vertex, parent, idom, retained);
  idom[rootOrdinal] = rootOrdinal;
  vertex.copyWithin(0, 1, n + 1);
  const order = vertex.subarray(0, nodeCount);
  workspace.give(parent, ancestor, semi, preds.first);
  return { idom, order, retained, reachable };
}

// One loop a function, here and in the other passes: V8 compiles a hot loop on its own (on-stack replacement), and
// code after it in the same function that has not run yet sends the function back to the interpreter when it does.

function numberSelf(semi: Uint32Array, label: Uint32Array, n: number): void {
  for (let i = 1; i <= n; i++) semi[i] = label[i] = i;
  semi[0] = 0;
}

/**
 * Semidominators in decreasing preorder: Lengauer-Tarjan's eval/link with path compression. Everything here works
 * on preorder numbers 1..n, not ordinals: a node's predecessors, ancestors and dominators are mostly near it in
 * preorder, so these passes touch memory far less at random (big heaps are bound by cache misses here).
 */
function semidominators(
  n: number,
  preds: Predecessors,
  parent: Uint32Array,
  semi: Uint32Array,
  label: Uint32Array,
  ancestor: Uint32Array,
  depth: number,
): void {
  // A compressed path runs up DFS tree ancestors: never longer than the tree is deep (orphans hang one lower).
  const stack = new Uint32Array(depth + 2);
  const compress = (start: number): void => {
    let top = 0;
    let v = start;
    while (ancestor[ancestor[v]!] !== 0) {
      stack[top++] = v;
      v = ancestor[v]!;
    }
    while (top > 0) {
      const w = stack[--top]!;
      const a = ancestor[w]!;
      if (semi[label[a]!]! < semi[label[w]!]!) label[w] = label[a]!;
      ancestor[w] = ancestor[a]!;
    }
  };
  const { first: predFirst, nodes: predNodes } = preds;
  for (let w = n; w >= 2; w--) {
    const from = predFirst[w - 1]!;
    const to = predFirst[w]!;
    if (from === to) {
      semi[w] = 1; // an orphan hangs from the root
    } else {
      let best = semi[w]!;
      for (let k = from; k < to; k++) {
        const v = predNodes[k]!;
        let u = v;
        if (ancestor[v] !== 0) {
          if (ancestor[ancestor[v]!] !== 0) compress(v);
          u = label[v]!;
        }
        if (semi[u]! < best) best = semi[u]!;
      }
      semi[w] = best;
    }
    ancestor[w] = parent[w]!; // link
  }
}

/**
 * Immediate dominators in increasing preorder (Semi-NCA), written over `parent`: the nearest dominator-tree ancestor
 * of the DFS parent numbered at most the semidominator. The same tree as DevTools' Lengauer-Tarjan, without buckets.
 */
function immediateDominators(n: number, semi: Uint32Array, parent: Uint32Array): void {
  for (let w = 2; w <= n; w++) {
    const limit = semi[w]!;
    let d = parent[w]!;
    while (d > limit) d = parent[d]!;
    parent[w] = d;
  }
}

/** In decreasing preorder: each node's idom by ordinal, and its retained size added to its dominator's. */
function idomsAndRetained(
  n: number,
  vertex: Uint32Array,
  idomOf: Uint32Array,
  idom: Uint32Array,
  retained: Float64Array,
): void {
  for (let w = n; w >= 2; w--) {
    const ordinal = vertex[w]!;
    const dominator = vertex[idomOf[w]!]!;
    idom[ordinal] = dominator;
    retained[dominator]! += retained[ordinal]!;
  }
}

/**
 * The retained sizes go where the predecessor lists were when those are big enough (they usually are: a heap has
 * more edges than nodes), sparing a node-sized array of new pages.
 */
function retainedArray(dead: Uint32Array, nodeCount: number): Float64Array {
  const bytes = nodeCount * Float64Array.BYTES_PER_ELEMENT;
  if (dead.byteOffset === 0 && dead.buffer.byteLength >= bytes) return new Float64Array(dead.buffer, 0, nodeCount);
  return new Float64Array(nodeCount);
}

interface Preorder {
  /** Preorder number (1-based) of each ordinal. */
  readonly pre: Uint32Array;
  /** Ordinal of each preorder number. */
  readonly vertex: Uint32Array;
  /** Preorder number of each preorder number's DFS parent (the root's is 0; nodes the root does not reach: 1). */
  readonly parent: Uint32Array;
  /** How many nodes the root reaches. */
  readonly n: number;
  /** The DFS tree's depth (the root at 0). */
  readonly depth: number;
}

/**
 * Numbers every node in DFS preorder over the retaining edges: first what the root reaches, then (as DevTools)
 * the subgraphs hanging from nodes with no retaining edge at all (only weak ones reach them), then each node still
 * unreached (garbage cycles) on its own, all of these under the root.
 */
function numberInPreorder(
  snapshot: HeapSnapshot,
  essential: EdgeBits,
  incoming: Uint32Array,
  startsSubgraph: ((node: number) => boolean) | undefined,
  workspace: Workspace,
): Preorder {
  const { nodeCount, firstEdge, edgeTo, rootOrdinal } = snapshot;
  const bits = essential.words;
  const pre = workspace.take();
  const vertex = workspace.takeScratch();
  const parent = workspace.takeScratch();
  // An explicit stack of (node, next edge): read and written in sequence, unlike per-node cursors.
  let stackNode: Uint32Array = new Uint32Array(STACK_START);
  let stackEdge: Uint32Array = new Uint32Array(STACK_START);
  let n = 0;
  let depth = 0;

  const dfs = (start: number, parentNumber: number): void => {
    pre[start] = ++n;
    vertex[n] = start;
    parent[n] = parentNumber;
    let top = 0;
    stackNode[0] = start;
    stackEdge[0] = firstEdge[start]!;
    while (top >= 0) {
      const v = stackNode[top]!;
      const end = firstEdge[v + 1]!;
      let e = stackEdge[top]!;
      let next = -1;
      for (; e < end; e++) {
        if ((bits[e >>> 5]! & (1 << (e & 31))) === 0) continue;
        const w = edgeTo[e]!;
        if (pre[w] === 0) {
          next = w;
          break;
        }
      }
      if (next < 0) {
        top--;
        continue;
      }
      stackEdge[top] = e + 1;
      if (top + 1 === stackNode.length) {
        stackNode = doubled(stackNode);
        stackEdge = doubled(stackEdge);
      }
      pre[next] = ++n;
      vertex[n] = next;
      parent[n] = pre[v]!;
      stackNode[++top] = next;
      if (top > depth) depth = top;
      stackEdge[top] = firstEdge[next]!;
    }
  };

  dfs(rootOrdinal, 0);
  const reachable = n;
  if (n < nodeCount) {
    for (let v = 0; v < nodeCount; v++) {
      const orphan = startsSubgraph ? startsSubgraph(v) : incoming[v] === 0;
      if (pre[v] === 0 && orphan) dfs(v, 1);
    }
  }
  if (n < nodeCount) numberUnreached(pre, vertex, parent, n, nodeCount);
  return { pre, vertex, parent, n: reachable, depth };
}

/** Numbers each node still unnumbered (garbage cycles) after the `numbered` ones, each under the root. */
function numberUnreached(
  pre: Uint32Array,
  vertex: Uint32Array,
  parent: Uint32Array,
  numbered: number,
  nodeCount: number,
): void {
  let n = numbered;
  for (let v = 0; v < nodeCount; v++) {
    if (pre[v] === 0) {
      pre[v] = ++n;
      vertex[n] = v;
      parent[n] = 1;
    }
  }
}

/** Retaining predecessors in compressed rows by preorder number: row p - 1 lists the preorder numbers of p's. */
function predecessorsInPreorder(
  snapshot: HeapSnapshot,
  essential: EdgeBits,
  incoming: Uint32Array,
  pre: Uint32Array,
  workspace: Workspace,
): Predecessors {
  const { nodeCount } = snapshot;
  // Counts, then running sums as fill cursors; after filling, each cursor has moved to the next row's start.
  const first = workspace.take();
  countsInPreorder(first, pre, incoming, nodeCount);
  const total = runningSums(first, nodeCount);
  const nodes = workspace.takeEdgeSized(total);
  fillPredecessors(snapshot, essential.words, pre, first, nodes);
  cursorsToStarts(first, nodeCount);
  return { first, nodes };
}

function countsInPreorder(first: Uint32Array, pre: Uint32Array, incoming: Uint32Array, nodeCount: number): void {
  for (let v = 0; v < nodeCount; v++) first[pre[v]! - 1] = incoming[v]!;
}

/** Each of the first `count` entries becomes the sum of those before it, and entry `count` the sum of all. */
export function runningSums(array: Uint32Array, count: number): number {
  let total = 0;
  for (let r = 0; r < count; r++) {
    const value = array[r]!;
    array[r] = total;
    total += value;
  }
  array[count] = total;
  return total;
}

/** After a fill, each of the `count` row cursors stands at the next row's start: moved back, they are the starts. */
export function cursorsToStarts(cursors: Uint32Array, count: number): void {
  cursors.copyWithin(1, 0, count);
  cursors[0] = 0;
}

function fillPredecessors(
  snapshot: HeapSnapshot,
  bits: Uint32Array,
  pre: Uint32Array,
  cursor: Uint32Array,
  nodes: Uint32Array,
): void {
  const { nodeCount, firstEdge, edgeTo } = snapshot;
  for (let node = 0; node < nodeCount; node++) {
    const from = pre[node]!;
    for (let e = firstEdge[node]!, end = firstEdge[node + 1]!; e < end; e++) {
      if ((bits[e >>> 5]! & (1 << (e & 31))) !== 0) nodes[cursor[pre[edgeTo[e]!]! - 1]!++] = from;
    }
  }
}
