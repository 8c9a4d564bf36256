/**
 * DevTools' propagateDOMState: embedder (native) objects whose state is known pass it on to the native objects
 * they reference, attached first; detached ones are shown as 'Detached <name>'. JavaScript objects never
 * inherit a state. In Node, Node's own C++ objects (BindingData, Aliased*Array...) carry these states.
 */
import type { HeapSnapshot } from './snapshot.js';

const ATTACHED = 1;
const DETACHED = 2;

/**
 * Ordinals of the native nodes that show as detached, ascending. Null when the snapshot has no detachedness field
 * or no native node starts detached (nothing can become detached then: the common case in Node heaps).
 */
export function detachedNodes(snapshot: HeapSnapshot): number[] | null {
  const states = snapshot.nodeDetachedness;
  if (!states) return null;
  const { nodeCount, nodeType, firstEdge, edgeTo, edgeType } = snapshot;
  const native = snapshot.kinds.native;
  const { hidden, weak } = snapshot.edgeKinds;
  let seeds = false;
  for (let node = 0; node < nodeCount && !seeds; node++) seeds = states[node] === DETACHED && nodeType[node] === native;
  if (!seeds) return null;
  const visited = new Uint8Array(nodeCount);
  const attached: number[] = [];
  // Every native reached as detached: the detached pass's worklist, then the result.
  const detached: number[] = [];
  const visit = (node: number, next: number): void => {
    if (visited[node]) return;
    visited[node] = 1;
    if (nodeType[node] !== native) return;
    if (next === ATTACHED) attached.push(node);
    else if (next === DETACHED) detached.push(node);
  };
  const spread = (node: number, next: number): void => {
    for (let e = firstEdge[node]!, end = firstEdge[node + 1]!; e < end; e++) {
      const type = edgeType[e];
      if (type === hidden || type === weak) continue;
      visit(edgeTo[e]!, next);
    }
  };
  for (let node = 0; node < nodeCount; node++) if (states[node] !== 0) visit(node, states[node]!);
  while (attached.length > 0) spread(attached.pop()!, ATTACHED);
  // Every attached node is marked first; the detached ones reach only what is left, in whatever order.
  for (let i = 0; i < detached.length; i++) spread(detached[i]!, DETACHED);
  return detached.sort((a, b) => a - b);
}
