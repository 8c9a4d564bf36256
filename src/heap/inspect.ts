/**
 * `memprobe inspect`: totals, every class with its count, self and retained size, and the largest objects
 * with the shortest path that keeps each alive.
 */
import { aggregateClasses, type ClassTotals } from './aggregate.js';
import { analyzeHeap, type RetainerRules } from './analysis.js';
import { pathLabels } from './labels.js';
import { retainerPath, shortestRetainers } from './paths.js';
import { stringShape } from './samples.js';
import { phase, type Phases } from '../core/phases.js';
import type { HeapSnapshot } from './snapshot.js';

/** How many of the largest objects the report lists. */
export const LARGEST_OBJECTS = 50;

export interface LargestObject {
  /** The snapshot's node id (stable across snapshots of one process; `@id` in DevTools). */
  readonly id: number;
  readonly name: string;
  readonly type: string;
  readonly className: string;
  readonly selfSize: number;
  readonly retainedSize: number;
  /** Shortest retainer path from a root, e.g. `global`, `__cache (Map)`, `table (array)`. */
  readonly path: readonly string[];
}

export interface InspectReport {
  readonly kind: 'inspect';
  readonly file: string;
  readonly rules: RetainerRules;
  /** `--show-values`: string objects are named by their characters, not only their kind and length. */
  readonly showValues: boolean;
  readonly totals: {
    readonly nodes: number;
    readonly edges: number;
    readonly strings: number;
    /** Sum of all self sizes: the heap the snapshot describes. */
    readonly selfSize: number;
    /** Objects the root does not reach over retaining edges (DevTools hangs them from the root). */
    readonly unreachable: number;
  };
  /** Every class, largest retained size first. */
  readonly constructors: readonly ClassTotals[];
  readonly largestObjects: readonly LargestObject[];
}

const MAX_NAME = 120;

/**
 * The node's name as a person reads it, on one line: a string is its kind and length (`string(24)`), or with
 * `showValues` its characters quoted and cut; other nodes are named by code (classes, functions).
 */
export function displayName(snapshot: HeapSnapshot, node: number, showValues = false): string {
  if (snapshot.isString(node) && !showValues) return stringShape(snapshot, node);
  const raw = snapshot.name(node).replace(/\s+/g, ' ');
  const cut = raw.length > MAX_NAME ? `${raw.slice(0, MAX_NAME - 1)}…` : raw;
  return snapshot.isString(node) ? JSON.stringify(cut) : cut;
}

/**
 * @example
 * ```ts
 * const report = inspectHeap(readHeapSnapshot('app.heapsnapshot'));
 * report.constructors.find((c) => c.name === 'LeakedThing')?.count;
 * ```
 */
export function inspectHeap(
  snapshot: HeapSnapshot,
  options: { rules?: RetainerRules; phases?: Phases | undefined; showValues?: boolean | undefined } = {},
): InspectReport {
  const { phases } = options;
  const showValues = options.showValues ?? false;
  const analysis = analyzeHeap(snapshot, options);
  const { selfSize, classes } = analysis;
  const { retained } = analysis.dominators;
  const constructors = phase(phases, 'class totals', () =>
    aggregateClasses(snapshot, classes, analysis.dominators, selfSize, analysis.workspace),
  );
  const { ephemerons } = analysis;
  const picked = phase(phases, 'largest objects', () => largest(snapshot, retained, LARGEST_OBJECTS));
  // Paths are only needed for the largest objects: the search stops once it has reached them all.
  const tree = phase(phases, 'retainer paths', () =>
    shortestRetainers(snapshot, ephemerons, analysis.workspace, picked),
  );

  let totalSelf = 0;
  for (let node = 0; node < snapshot.nodeCount; node++) totalSelf += snapshot.nodeSelfSize[node]!;
  const unreachable = snapshot.nodeCount - analysis.dominators.reachable;
  const largestObjects = picked.map((node) => ({
    id: snapshot.nodeId[node]!,
    name: displayName(snapshot, node, showValues),
    type: snapshot.typeName(node),
    className: classes.names[classes.ofNode[node]!] ?? '?',
    selfSize: selfSize[node]!,
    retainedSize: retained[node]!,
    path: pathLabels(snapshot, classes, ephemerons, retainerPath(snapshot, tree, node), false, showValues),
  }));
  return {
    kind: 'inspect',
    file: snapshot.file,
    rules: analysis.rules,
    showValues,
    totals: {
      nodes: snapshot.nodeCount,
      edges: snapshot.edgeCount,
      strings: snapshot.strings.length,
      selfSize: totalSelf,
      unreachable,
    },
    constructors,
    largestObjects,
  };
}

/** The `count` largest non-synthetic, non-hidden nodes by retained size (ties: smaller id first). */
function largest(snapshot: HeapSnapshot, retained: Float64Array, count: number): number[] {
  const { synthetic, hidden } = snapshot.kinds;
  const { nodeType, nodeId } = snapshot;
  const picked: number[] = [];
  let floor = -1; // retained size of the smallest picked node once `count` are picked
  const better = (a: number, b: number): boolean =>
    retained[a]! > retained[b]! || (retained[a] === retained[b] && nodeId[a]! < nodeId[b]!);
  for (let node = 0; node < snapshot.nodeCount; node++) {
    if (retained[node]! < floor) continue;
    const type = nodeType[node];
    if (type === synthetic || type === hidden) continue;
    if (picked.length === count && !better(node, picked[count - 1]!)) continue;
    let i = Math.min(picked.length, count - 1);
    while (i > 0 && better(node, picked[i - 1]!)) i--;
    picked.splice(i, 0, node);
    if (picked.length > count) picked.length = count;
    if (picked.length === count) floor = retained[picked[count - 1]!]!;
  }
  return picked;
}
