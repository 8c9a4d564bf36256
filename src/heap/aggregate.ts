/**
 * Per-class totals as DevTools' summary view computes them (buildAggregates + calculateClassesRetainedSize):
 * objects with a zero self size are left out, and a class's retained size adds an object only when no object
 * of the same class dominates it, so nested instances are not counted twice.
 */
import type { ClassIndex } from './classes.js';
import { cursorsToStarts, runningSums, type Dominators } from './dominators.js';
import type { HeapSnapshot } from './snapshot.js';
import { Workspace } from './workspace.js';

export interface ClassTotals {
  readonly name: string;
  readonly count: number;
  readonly selfSize: number;
  readonly retainedSize: number;
}

/** Children of each node in the dominator tree, in compressed rows. */
function dominatedRows(
  idom: Uint32Array,
  root: number,
  workspace: Workspace,
): { first: Uint32Array; nodes: Uint32Array } {
  const count = idom.length;
  const first = workspace.take();
  countChildren(idom, root, first);
  runningSums(first, count);
  const nodes = workspace.takeScratch();
  fillChildren(idom, root, first, nodes);
  cursorsToStarts(first, count);
  return { first, nodes };
}

// One loop a function (see dominators.ts).

function countChildren(idom: Uint32Array, root: number, counts: Uint32Array): void {
  for (let node = 0; node < idom.length; node++) if (node !== root) counts[idom[node]!]!++;
}

function fillChildren(idom: Uint32Array, root: number, cursor: Uint32Array, nodes: Uint32Array): void {
  for (let node = 0; node < idom.length; node++) if (node !== root) nodes[cursor[idom[node]!]!++] = node;
}

/** Every class, sorted by retained size (largest first), then by name. */
export function aggregateClasses(
  snapshot: HeapSnapshot,
  classes: ClassIndex,
  dominators: Dominators,
  nodeSelfSize: Float64Array = snapshot.nodeSelfSize,
  workspace = new Workspace(snapshot.nodeCount),
): ClassTotals[] {
  const { ofNode, names } = classes;
  const count = new Float64Array(names.length);
  const self = new Float64Array(names.length);
  countAndSelf(ofNode, nodeSelfSize, snapshot.nodeCount, count, self);
  const retained = classesRetained(snapshot, classes, dominators, nodeSelfSize, workspace);
  const result: ClassTotals[] = [];
  for (let c = 0; c < names.length; c++) {
    if (count[c] === 0) continue;
    result.push({ name: names[c]!, count: count[c]!, selfSize: self[c]!, retainedSize: retained[c]! });
  }
  return result.sort((a, b) => b.retainedSize - a.retainedSize || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Objects and their self sizes by class, leaving out objects of self size 0. */
function countAndSelf(
  ofNode: Uint32Array,
  nodeSelfSize: Float64Array,
  nodeCount: number,
  count: Float64Array,
  self: Float64Array,
): void {
  for (let node = 0; node < nodeCount; node++) {
    const size = nodeSelfSize[node]!;
    if (size === 0) continue;
    const c = ofNode[node]!;
    count[c]!++;
    self[c]! += size;
  }
}

/** Retained size by class: depth-first over the dominator tree, `open[c]` counting ancestors of class c on the path. */
function classesRetained(
  snapshot: HeapSnapshot,
  classes: ClassIndex,
  dominators: Dominators,
  nodeSelfSize: Float64Array,
  workspace: Workspace,
): Float64Array {
  const { rootOrdinal } = snapshot;
  const { ofNode, names } = classes;
  const retained = new Float64Array(names.length);
  const rows = dominatedRows(dominators.idom, rootOrdinal, workspace);
  const open = new Uint32Array(names.length);
  const stackNode = workspace.takeScratch();
  const stackNext = workspace.takeScratch();
  let top = 0;
  const enter = (node: number): void => {
    if (nodeSelfSize[node] !== 0) {
      const c = ofNode[node]!;
      if (open[c] === 0) retained[c]! += dominators.retained[node]!;
      open[c]!++;
    }
    stackNode[top] = node;
    stackNext[top] = rows.first[node]!;
    top++;
  };
  enter(rootOrdinal);
  while (top > 0) {
    const node = stackNode[top - 1]!;
    const next = stackNext[top - 1]!;
    if (next < rows.first[node + 1]!) {
      stackNext[top - 1] = next + 1;
      enter(rows.nodes[next]!);
    } else {
      top--;
      if (nodeSelfSize[node] !== 0) open[ofNode[node]!]!--;
    }
  }

  workspace.give(rows.first, rows.nodes, stackNode, stackNext);
  return retained;
}
