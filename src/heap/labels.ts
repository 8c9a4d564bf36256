/**
 * Human labels for nodes and edges on retainer paths, exact (for one object) or normalized (for a cluster:
 * indexes collapsed to [], WeakMap entry names stripped of ids).
 */
import type { ClassIndex } from './classes.js';
import type { EphemeronNames } from './edge-rules.js';
import type { PathStep } from './paths.js';
import type { HeapSnapshot } from './snapshot.js';

const DIGITS = /^\d+$/;
/**
 * The global object: `global` on Node 20, `global / ` on 22-24, `global (global*) / ` on 26 (V8 appends the context
 * URL).
 */
const GLOBAL_TAG = /^global( \(global\*?\))?( \/ .*)?$/;
const MAX_LABEL = 80;

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > MAX_LABEL ? `${line.slice(0, MAX_LABEL - 1)}…` : line;
}

/** `name`, `[12]` (or `[]` normalized), `WeakMap entry`. */
export function edgeLabel(
  snapshot: HeapSnapshot,
  ephemerons: EphemeronNames,
  edge: number,
  normalized: boolean,
): string {
  if (snapshot.hasIndexName(edge)) return normalized ? '[]' : `[${snapshot.edgeName[edge]}]`;
  const name = snapshot.strings.get(snapshot.edgeName[edge]!);
  if (DIGITS.test(name)) return normalized ? '[]' : `[${name}]`;
  if (ephemerons.tableId(snapshot.edgeName[edge]!) >= 0) return 'WeakMap entry';
  return clip(name);
}

/** The class name, with a function's own name: `Function handleRequest`. */
export function nodeLabel(snapshot: HeapSnapshot, classes: ClassIndex, node: number): string {
  const className = classes.names[classes.ofNode[node]!] ?? '?';
  if (snapshot.nodeType[node] === snapshot.kinds.closure) {
    const name = snapshot.name(node);
    return name ? `Function ${clip(name)}` : 'Function';
  }
  if (snapshot.nodeType[node] === snapshot.kinds.synthetic) return clip(snapshot.name(node));
  return className;
}

/** The first node of a path by its own name (`global` on every Node, `(GC roots)`), else its class. */
export function rootLabel(snapshot: HeapSnapshot, classes: ClassIndex, node: number): string {
  return clip(snapshot.name(node).replace(GLOBAL_TAG, 'global') || nodeLabel(snapshot, classes, node));
}

/**
 * A path as strings: the first node by its own name (`global`, `(GC roots)`), then `edge (Class)` per step.
 */
export function pathLabels(
  snapshot: HeapSnapshot,
  classes: ClassIndex,
  ephemerons: EphemeronNames,
  steps: readonly PathStep[],
  normalized: boolean,
): string[] {
  const labels: string[] = [];
  steps.forEach((step, i) => {
    if (i === 0) {
      labels.push(rootLabel(snapshot, classes, step.node));
    } else {
      const node = nodeLabel(snapshot, classes, step.node).replace(/^\((.*)\)$/, '$1');
      labels.push(`${edgeLabel(snapshot, ephemerons, step.edge, normalized)} (${node})`);
    }
  });
  return labels;
}
