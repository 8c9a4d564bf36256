/**
 * Dominator tree and retained sizes, iterative on typed arrays, over the essential edges of edge-rules.ts:
 * Lengauer-Tarjan's semidominators (simple eval/link, as Chrome DevTools runs it), then Semi-NCA for the
 * immediate dominators: DevTools' tree, without LT's buckets and one working array smaller. Nodes the root
 * cannot reach are handled as DevTools does: first the subgraphs hanging from nodes with no retaining edge at
 * all (only weak ones), then each remaining node on its own, directly under the root.
 */
import { EdgeBits, essentialEdges } from './edge-rules.js';
import type { HeapSnapshot } from './snapshot.js';
import { Workspace } from './workspace.js';

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

function predecessors(snapshot: HeapSnapshot, essential: EdgeBits, workspace: Workspace): Predecessors {
  const { nodeCount, firstEdge, edgeTo, edgeCount } = snapshot;
  const bits = essential.words;
  // Counts, then running sums as fill cursors; after filling, each cursor has moved to the next row's start.
  let first = essential.incoming;
  essential.incoming = null;
  if (!first) {
    first = workspace.take();
    for (let e = 0; e < edgeCount; e++) if ((bits[e >>> 5]! & (1 << (e & 31))) !== 0) first[edgeTo[e]!]!++;
  }
  let total = 0;
  for (let n = 0; n < nodeCount; n++) {
    const count = first[n]!;
    first[n] = total;
    total += count;
  }
  first[nodeCount] = total;
  const nodes = new Uint32Array(total);
  for (let node = 0; node < nodeCount; node++) {
    for (let e = firstEdge[node]!, end = firstEdge[node + 1]!; e < end; e++) {
      if ((bits[e >>> 5]! & (1 << (e & 31))) !== 0) nodes[first[edgeTo[e]!]!++] = node;
    }
  }
  for (let n = nodeCount; n > 0; n--) first[n] = first[n - 1]!;
  first[0] = 0;
  return { first, nodes };
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
 * ```ts
 * ```
 */
export function computeDominators(
  snapshot: HeapSnapshot,
  essential: EdgeBits = essentialEdges(snapshot),
  selfSize: Float64Array = snapshot.nodeSelfSize,
  startsSubgraph?: (node: number) => boolean,
  workspace = new Workspace(snapshot.nodeCount),
): Dominators {
  const { nodeCount, firstEdge, edgeTo, rootOrdinal } = snapshot;
  const preds = predecessors(snapshot, essential, workspace);
  const bits = essential.words;
  // Vertices are numbered 1..nodeCount (ordinal + 1); 0 means "none", as in the paper. `semi` holds the
  // preorder number until the main loop replaces it with the semidominator's; `parent` holds the parent's
  // preorder number, and at the end the immediate dominator's.
  const parent = workspace.take();
  const ancestor = workspace.take();
  const vertex = workspace.take();
  const label = workspace.take();
  const semi = workspace.take();
  // During the DFS: the next edge to look at per vertex. Afterwards: the path-compression stack.
  const scratch = workspace.take();
  let n = 0;

  const dfs = (start: number): void => {
    scratch[start] = firstEdge[start - 1]!;
    let v = start;
    while (v !== 0) {
      if (semi[v] === 0) {
        semi[v] = ++n;
        vertex[n] = label[v] = v;
      }
      const back = vertex[parent[v]!]!;
      let next = back;
      const end = firstEdge[v]!; // firstEdge[ordinal + 1] for ordinal v - 1
      for (let e = scratch[v]!; e < end; e++) {
        if ((bits[e >>> 5]! & (1 << (e & 31))) === 0) continue;
        scratch[v] = e;
        const w = edgeTo[e]! + 1;
        if (semi[w] === 0) {
          parent[w] = semi[v]!;
          scratch[w] = firstEdge[w - 1]!;
          next = w;
          break;
        }
      }
      if (next === back) scratch[v] = end;
      v = next;
    }
  };

  const r = rootOrdinal + 1;
  dfs(r);
  const reachable = n;
  if (n < nodeCount) {
    // As DevTools: then the subgraphs hanging from nodes nothing retains (only weak references reach them).
    for (let v = 1; v <= nodeCount; v++) {
      const orphan = startsSubgraph ? startsSubgraph(v - 1) : preds.first[v - 1] === preds.first[v];
      if (semi[v] === 0 && orphan) {
        parent[v] = 1;
        dfs(v);
      }
    }
  }
  if (n < nodeCount) {
    // Then each node still unreached (garbage cycles) on its own, under the root.
    for (let v = 1; v <= nodeCount; v++) {
      if (semi[v] === 0) {
        parent[v] = 1;
        semi[v] = ++n;
        vertex[n] = label[v] = v;
      }
    }
  }

  const stack = scratch;
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

  // Semidominators in decreasing preorder: Lengauer-Tarjan's eval/link with path compression.
  const { first: predFirst, nodes: predNodes } = preds;
  for (let i = n; i >= 2; i--) {
    const w = vertex[i]!;
    const from = predFirst[w - 1]!;
    const to = predFirst[w]!;
    if (from === to) {
      semi[w] = 1; // an orphan hangs from the root
    } else {
      let best = semi[w]!;
      for (let k = from; k < to; k++) {
        const v = predNodes[k]! + 1;
        let u = v;
        if (ancestor[v] !== 0) {
          if (ancestor[ancestor[v]!] !== 0) compress(v);
          u = label[v]!;
        }
        if (semi[u]! < best) best = semi[u]!;
      }
      semi[w] = best;
    }
    ancestor[w] = vertex[parent[w]!]!; // link
  }
  // Immediate dominators in increasing preorder (Semi-NCA): the nearest dominator-tree ancestor of the DFS
  // parent numbered at most the semidominator. The same tree as DevTools' Lengauer-Tarjan, without buckets.
  for (let i = 2; i <= n; i++) {
    const w = vertex[i]!;
    const limit = semi[w]!;
    let d = parent[w]!;
    while (d > limit) d = parent[vertex[d]!]!;
    parent[w] = d;
  }

  // Results reuse the working arrays: `label` becomes the ordinal-indexed idom, `vertex` the order.
  const idom = label.subarray(0, nodeCount);
  for (let ordinal = 0; ordinal < nodeCount; ordinal++) idom[ordinal] = vertex[parent[ordinal + 1]!]! - 1;
  idom[rootOrdinal] = rootOrdinal;
  for (let i = 1; i <= n; i++) vertex[i - 1] = vertex[i]! - 1;
  const order = vertex.subarray(0, nodeCount);
  workspace.give(parent, ancestor, semi, scratch, preds.first);
  const retained = Float64Array.from(selfSize);
  for (let i = n - 1; i > 0; i--) {
    const ordinal = order[i]!;
    retained[idom[ordinal]!]! += retained[ordinal]!;
  }
  return { idom, order, retained, reachable };
}
