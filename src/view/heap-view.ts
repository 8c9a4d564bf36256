/**
 * The queries `memprobe view` answers on one analyzed snapshot: a page of the class summary, the instances of a
 * class, the children of a node in the dominator tree, one object with its edges, and its retainers. Each answer
 * is a few hundred rows at most, so the page never holds the heap; the heap engine's arrays are read as they are.
 */
import { aggregateClasses, type ClassTotals } from '../heap/aggregate.js';
import type { HeapAnalysis } from '../heap/analysis.js';
import { EphemeronNames } from '../heap/edge-rules.js';
import { edgeLabel, nodeLabel, pathLabels } from '../heap/labels.js';
import { edgeSource, retainerPath, shortestRetainers, type RetainerTree } from '../heap/paths.js';
import type { HeapSnapshot } from '../heap/snapshot.js';
import { DominatorChildren } from './dominator-children.js';
import { shownName } from './values.js';

/** Rows of a list answer when the page does not ask for fewer. */
export const PAGE_ROWS = 100;
const MAX_ROWS = 1000;

export interface ObjectRow {
  /** The snapshot's node id (`@id` in DevTools): stable across snapshots of one process. */
  readonly id: number;
  readonly className: string;
  readonly name: string;
  readonly type: string;
  readonly selfSize: number;
  readonly retainedSize: number;
  /** Children in the dominator tree (what expanding the node shows). */
  readonly dominated: number;
}

export interface EdgeRow {
  readonly edge: string;
  readonly edgeType: string;
  readonly node: ObjectRow;
}

export interface PathRow {
  readonly label: string;
  readonly id: number;
}

export interface ClassQuery {
  readonly filter?: string;
  readonly sort?: 'name' | 'count' | 'selfSize' | 'retainedSize';
  readonly descending?: boolean;
  readonly offset?: number;
  readonly limit?: number;
}

export interface Page<T> {
  readonly total: number;
  readonly offset: number;
  readonly rows: readonly T[];
}

const clampLimit = (limit: number | undefined): number => Math.min(Math.max(1, limit ?? PAGE_ROWS), MAX_ROWS);

export class HeapView {
  readonly snapshot: HeapSnapshot;
  private readonly analysis: HeapAnalysis;
  private readonly showValues: boolean;
  private readonly children: DominatorChildren;
  private readonly ephemerons: EphemeronNames;
  /** Computed on the first retainer query: a breadth-first search over the whole heap. */
  private tree: RetainerTree | null = null;
  readonly classTotals: readonly ClassTotals[];
  private readonly ordinals = new Map<number, number>();

  /** `known`: the retainer tree and ephemeron names when the leak method computed them already. */
  constructor(
    analysis: HeapAnalysis,
    options: { showValues: boolean },
    known?: { readonly tree: RetainerTree; readonly ephemerons: EphemeronNames },
  ) {
    this.analysis = analysis;
    this.snapshot = analysis.snapshot;
    this.showValues = options.showValues;
    this.classTotals = aggregateClasses(
      this.snapshot,
      analysis.classes,
      analysis.dominators,
      analysis.selfSize,
      analysis.workspace,
    );
    this.children = new DominatorChildren(analysis.dominators.idom, this.snapshot.rootOrdinal);
    this.ephemerons = known?.ephemerons ?? new EphemeronNames(this.snapshot);
    this.tree = known?.tree ?? null;
  }

  get rootId(): number {
    return this.snapshot.nodeId[this.snapshot.rootOrdinal]!;
  }

  totals(): { nodes: number; edges: number; retainedSize: number; classes: number } {
    const { snapshot } = this;
    const retainedSize = this.analysis.dominators.retained[snapshot.rootOrdinal]!;
    return { nodes: snapshot.nodeCount, edges: snapshot.edgeCount, retainedSize, classes: this.classTotals.length };
  }

  classes(query: ClassQuery): Page<ClassTotals> {
    const needle = (query.filter ?? '').toLowerCase();
    let rows = needle ? this.classTotals.filter((c) => c.name.toLowerCase().includes(needle)) : [...this.classTotals];
    const key = query.sort ?? 'retainedSize';
    const sign = query.descending === false ? 1 : -1;
    if (key === 'name') rows.sort((a, b) => sign * -a.name.localeCompare(b.name));
    else rows.sort((a, b) => sign * (a[key] - b[key]) || a.name.localeCompare(b.name));
    const offset = Math.max(0, query.offset ?? 0);
    const total = rows.length;
    rows = rows.slice(offset, offset + clampLimit(query.limit));
    return { total, offset, rows };
  }

  /** The largest instances of a class by retained size (a scan of the class column: tens of ms on 30M nodes). */
  instances(className: string, limit?: number): Page<ObjectRow> {
    const classId = this.analysis.classes.names.indexOf(className);
    if (classId < 0) return { total: 0, offset: 0, rows: [] };
    const { ofNode } = this.analysis.classes;
    const { selfSize } = this.analysis;
    // Only the largest `limit` are kept while scanning: a class of 10M strings is never one array of 10M numbers.
    const { retained } = this.analysis.dominators;
    const ids = this.snapshot.nodeId;
    const before = (a: number, b: number): boolean =>
      retained[a]! > retained[b]! || (retained[a] === retained[b] && ids[a]! < ids[b]!);
    const max = clampLimit(limit);
    const picked: number[] = [];
    let total = 0;
    for (let node = 0; node < this.snapshot.nodeCount; node++) {
      if (ofNode[node] !== classId || selfSize[node] === 0) continue;
      total++;
      if (picked.length === max && !before(node, picked[max - 1]!)) continue;
      let at = Math.min(picked.length, max - 1);
      while (at > 0 && before(node, picked[at - 1]!)) at--;
      picked.splice(at, 0, node);
      if (picked.length > max) picked.length = max;
    }
    return { total, offset: 0, rows: picked.map((node) => this.row(node)) };
  }

  /** Ordinal of a node id, or -1. A linear scan (the id column is not sorted); answers are cached. */
  find(id: number): number {
    const cached = this.ordinals.get(id);
    if (cached !== undefined) return cached;
    const ids = this.snapshot.nodeId;
    const ordinal = ids.indexOf(id);
    if (this.ordinals.size > 10_000) this.ordinals.clear();
    this.ordinals.set(id, ordinal);
    return ordinal;
  }

  row(node: number): ObjectRow {
    const { snapshot, analysis } = this;
    return {
      id: snapshot.nodeId[node]!,
      className: analysis.classes.names[analysis.classes.ofNode[node]!] ?? '?',
      name: shownName(snapshot, node, this.showValues),
      type: snapshot.typeName(node),
      selfSize: analysis.selfSize[node]!,
      retainedSize: analysis.dominators.retained[node]!,
      dominated: this.children.count(node),
    };
  }

  /** Children of a node in the dominator tree, largest retained size first. */
  dominated(node: number, offset = 0, limit?: number): Page<ObjectRow> {
    const sorted = this.children.sorted(node, this.analysis.dominators.retained);
    const start = Math.max(0, offset);
    const rows = Array.from(sorted.subarray(start, start + clampLimit(limit)), (n) => this.row(n));
    return { total: sorted.length, offset: start, rows };
  }

  /** The chain of dominators from the root down to the node (what the tree expands to reach it). */
  dominatorChain(node: number): ObjectRow[] {
    const { idom } = this.analysis.dominators;
    const chain: ObjectRow[] = [];
    let current = node;
    while (current !== this.snapshot.rootOrdinal && chain.length < 10_000) {
      chain.push(this.row(current));
      current = idom[current]!;
    }
    chain.push(this.row(this.snapshot.rootOrdinal));
    return chain.reverse();
  }

  /** Outgoing edges of a node, in the snapshot's order. */
  edges(node: number, limit?: number): Page<EdgeRow> {
    const { snapshot } = this;
    const first = snapshot.firstEdge[node]!;
    const end = snapshot.firstEdge[node + 1]!;
    const rows: EdgeRow[] = [];
    for (let e = first; e < end && rows.length < clampLimit(limit); e++)
      rows.push(this.edgeRow(e, snapshot.edgeTo[e]!));
    return { total: end - first, offset: 0, rows };
  }

  /**
   * Who holds a node: the shortest path from a GC root (as in the reports), and the objects with an edge to it
   * (a scan of the edge targets: about 100 ms on 80M edges).
   */
  retainers(node: number, limit?: number): { path: PathRow[]; direct: Page<EdgeRow> } {
    const { snapshot } = this;
    this.tree ??= shortestRetainers(snapshot, this.ephemerons, this.analysis.workspace);
    const steps = retainerPath(snapshot, this.tree, node);
    const labels = pathLabels(snapshot, this.analysis.classes, this.ephemerons, steps, false);
    const path = steps.map((step, i) => ({ label: labels[i] ?? '?', id: snapshot.nodeId[step.node]! }));
    const { edgeTo, edgeCount } = snapshot;
    const max = clampLimit(limit);
    const direct: EdgeRow[] = [];
    let total = 0;
    for (let e = 0; e < edgeCount; e++) {
      if (edgeTo[e] !== node) continue;
      total++;
      if (direct.length < max) direct.push(this.edgeRow(e, edgeSource(snapshot, e)));
    }
    return { path, direct: { total, offset: 0, rows: direct } };
  }

  /** A short label of a node as the retainer paths name it: `Function handleRequest`, `Map`. */
  label(node: number): string {
    return nodeLabel(this.snapshot, this.analysis.classes, node);
  }

  private edgeRow(edge: number, node: number): EdgeRow {
    return {
      edge: edgeLabel(this.snapshot, this.ephemerons, edge, false),
      edgeType: this.snapshot.edgeTypeName(edge),
      node: this.row(node),
    };
  }
}
