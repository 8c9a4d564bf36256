/**
 * memlab 2.0.5's retained sizes (@memlab/core dist/paths/TraceFinder.js, computeDominatorsAndRetainedSizes),
 * for `--rules memlab`. memlab runs the same Lengauer-Tarjan as DevTools, with three differences:
 * - its "page" flag (flagReachableNodesFromWindow) starts from every root edge except shortcuts, where DevTools
 *   starts from the shortcuts (the globals) only; so memlab skips far fewer "outside the page" edges;
 * - it keeps the WeakMap table -> value edge that DevTools drops;
 * - its second DFS pass starts from unreached nodes with no retainer other than weak or shortcut edges;
 * and it keeps the self sizes V8 wrote (no owned-size attribution).
 */
import { computeDominators, type Dominators } from './dominators.js';
import { EdgeBits } from './edge-rules.js';
import type { HeapSnapshot } from './snapshot.js';
import { Workspace } from './workspace.js';

/** memlab's flagReachableNodesFromWindow. */
function memlabFlags(snapshot: HeapSnapshot): Uint8Array {
  const { nodeCount, firstEdge, edgeType, edgeTo, rootOrdinal, nodeType } = snapshot;
  const { element, shortcut, weak } = snapshot.edgeKinds;
  const flags = new Uint8Array(nodeCount);
  const stack = new Uint32Array(nodeCount + (firstEdge[rootOrdinal + 1]! - firstEdge[rootOrdinal]!));
  let top = 0;
  for (let e = firstEdge[rootOrdinal]!, end = firstEdge[rootOrdinal + 1]!; e < end; e++) {
    const to = edgeTo[e]!;
    if (edgeType[e] === element) {
      if (nodeType[to] === snapshot.kinds.synthetic && snapshot.name(to) === '(Document DOM trees)') continue;
    } else if (edgeType[e] === shortcut) continue;
    stack[top++] = to;
    flags[to] = 1;
  }
  while (top > 0) {
    const node = stack[--top]!;
    for (let e = firstEdge[node]!, end = firstEdge[node + 1]!; e < end; e++) {
      const to = edgeTo[e]!;
      if (flags[to] || edgeType[e] === weak) continue;
      stack[top++] = to;
      flags[to] = 1;
    }
  }
  return flags;
}

function memlabEssentialEdges(snapshot: HeapSnapshot, workspace: Workspace): EdgeBits {
  const { nodeCount, firstEdge, edgeType, edgeTo, rootOrdinal } = snapshot;
  const { weak, shortcut } = snapshot.edgeKinds;
  const flags = memlabFlags(snapshot);
  const bits = new EdgeBits(snapshot.edgeCount);
  const incoming = workspace.take();
  for (let node = 0; node < nodeCount; node++) {
    const isRoot = node === rootOrdinal;
    for (let e = firstEdge[node]!, end = firstEdge[node + 1]!; e < end; e++) {
      const type = edgeType[e];
      const to = edgeTo[e]!;
      if (to === node || type === weak) continue;
      if (!isRoot && (type === shortcut || (flags[to] && !flags[node]))) continue;
      bits.set(e);
      incoming[to]!++;
    }
  }
  bits.incoming = incoming;
  return bits;
}

/** memlab's Utils.hasOnlyWeakReferrers: no retainer but weak and shortcut edges. */
function onlyWeakReferrers(snapshot: HeapSnapshot): Uint8Array {
  const { weak, shortcut } = snapshot.edgeKinds;
  const strong = new Uint8Array(snapshot.nodeCount);
  for (let e = 0; e < snapshot.edgeCount; e++) {
    const type = snapshot.edgeType[e];
    if (type !== weak && type !== shortcut) strong[snapshot.edgeTo[e]!] = 1;
  }
  for (let node = 0; node < strong.length; node++) strong[node] = strong[node] ? 0 : 1;
  return strong;
}

export function computeMemlabDominators(
  snapshot: HeapSnapshot,
  workspace = new Workspace(snapshot.nodeCount),
): Dominators {
  const orphans = onlyWeakReferrers(snapshot);
  const essential = memlabEssentialEdges(snapshot, workspace);
  return computeDominators(snapshot, essential, snapshot.nodeSelfSize, (node) => orphans[node] === 1, workspace);
}
