/**
 * DevTools' propagateDOMState: embedder (native) objects whose state is known pass it on to the native objects
 * they reference, attached first; detached ones are shown as 'Detached <name>'. JavaScript objects never
 * inherit a state. In Node, Node's own C++ objects (BindingData, Aliased*Array...) carry these states.
 */
import type { HeapSnapshot } from './snapshot.js';

const ATTACHED = 1;
const DETACHED = 2;

/** A byte per node: 1 when the node shows as detached. Null when the snapshot has no detachedness field. */
export function detachedNodes(snapshot: HeapSnapshot): Uint8Array | null {
  const states = snapshot.nodeDetachedness;
  if (!states) return null;
  const { nodeCount, nodeType, firstEdge, edgeTo, edgeType } = snapshot;
  const native = snapshot.kinds.native;
  const { hidden, weak } = snapshot.edgeKinds;
  const state = Uint8Array.from(states);
  const visited = new Uint8Array(nodeCount);
  const attached: number[] = [];
  const detached: number[] = [];
  const visit = (node: number, next: number): void => {
    if (visited[node]) return;
    visited[node] = 1;
    if (nodeType[node] !== native) return;
    state[node] = next;
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
  for (let node = 0; node < nodeCount; node++) if (state[node] !== 0) visit(node, state[node]!);
  while (attached.length > 0) spread(attached.pop()!, ATTACHED);
  while (detached.length > 0) {
    const node = detached.pop()!;
    if (state[node] !== ATTACHED) spread(node, DETACHED);
  }
  const result = new Uint8Array(nodeCount);
  for (let node = 0; node < nodeCount; node++)
    if (nodeType[node] === native && state[node] === DETACHED) result[node] = 1;
  return result;
}
