/**
 * The three-snapshot leak method: objects that are new in TARGET (their id is not in BASE) and still alive in
 * FINAL. Of those, only "leak roots" are reported: objects no other reported object dominates, so an object
 * and everything it holds count once, under the object. Leak roots are grouped by the *shape* of their
 * shortest retainer path in FINAL (indexes, hash-table slots and dictionary keys as `[*]`, backing stores folded
 * into their owner: see path-shape.ts), so one store is one cluster however many keys it has, and ranked by
 * retained size in FINAL.
 */
import { MIN_CLUSTER_BYTES, TOP_LEAK_CLUSTERS } from '../constants.js';
import { analyzeHeap, type HeapAnalysis, type RetainerRules } from './analysis.js';
import type { EphemeronNames } from './edge-rules.js';
import { IdSet } from './id-set.js';
import { collectRoots, finishCluster, groupRoots } from './cluster-roots.js';
import { MAY_LEAK, NEW_NOISE, NoiseFilter, type NoiseReason } from './noise.js';
import { dictionaryKeys, type ShapeContext } from './path-shape.js';
import { shortestRetainers, type RetainerTree } from './paths.js';
import { phase, type Phases } from '../core/phases.js';
import { newBackingStores } from './store-growth.js';
import { dominatedData, stableStore } from './store-contents.js';
import type { LeakClusterSummary } from '../types.js';
import type { HeapSnapshot } from './snapshot.js';

/** A report's leak cluster (constructor, count, retained size in FINAL, path shape, samples), plus detail. */
export interface LeakCluster extends LeakClusterSummary {
  readonly selfSize: number;
  /** Node ids of the largest members, for finding them in DevTools. */
  readonly sampleIds: readonly number[];
  /** The store that holds the entries: its node id and retained size in FINAL. */
  readonly holder: { readonly id: number; readonly retainedSize: number };
}

export interface LeakSummary {
  /** Objects in FINAL whose id is in TARGET but not in BASE. */
  readonly newAndAlive: number;
  readonly newAndAliveSize: number;
  /** Of those, ignored as Node/V8 noise, by reason. */
  readonly ignored: Readonly<Record<Exclude<NoiseReason, null>, number>>;
  /** Objects dominated by another new, non-internal object (counted in that one's retained size). */
  readonly heldByLeaks: number;
  readonly leakRoots: number;
}

export interface LeakReport {
  readonly kind: 'leaks';
  /** `leaks` when any cluster was found. */
  readonly status: 'leaks' | 'clean';
  readonly files: { readonly base: string; readonly target: string; readonly final: string };
  readonly rules: RetainerRules;
  /** `--show-values`: the samples and paths hold heap values (keys, string characters), not only their shape. */
  readonly showValues: boolean;
  readonly summary: LeakSummary;
  readonly clusters: readonly LeakCluster[];
  /** With `stores`: what the stores of the top clusters hold, to compare with an earlier snapshot of the process. */
  readonly stores?: readonly StoreContents[];
}

/**
 * The stores of one cluster (every store of its shape, each the nearest object BASE already had: see
 * store-contents.ts), their node ids, what they retain together and the sorted ids of the data they dominate.
 */
export interface StoreContents {
  readonly ids: readonly number[];
  readonly retainedSize: number;
  readonly data: Uint32Array;
}

export interface LeakInputs {
  readonly files: { readonly base: string; readonly target: string; readonly final: string };
  readonly baseIds: Uint32Array;
  readonly targetIds: Uint32Array;
  readonly final: HeapSnapshot;
  readonly rules?: RetainerRules;
  /** Show keys and string values in samples and paths (`--show-values`); by default only their kind and length. */
  readonly showValues?: boolean | undefined;
  /** Times each phase (`--verbose`, the progress line). */
  readonly phases?: Phases | undefined;
  /** Describe the stores of the top TOP_LEAK_CLUSTERS clusters (LeakReport.stores). */
  readonly stores?: boolean | undefined;
}

/**
 * @example
 * ```ts
 * const report = findLeaks({ files, baseIds: readNodeIds(a), targetIds: readNodeIds(b), final: readHeapSnapshot(c) });
 * report.clusters[0]?.constructor; // 'LeakedSession'
 * ```
 */
export function findLeaks(inputs: LeakInputs): LeakReport {
  return analyzeLeaks(inputs).report;
}

/** The leak report with the graph work behind it, for a caller that explores FINAL further (`memprobe view`). */
export interface LeakAnalysis {
  readonly report: LeakReport;
  readonly analysis: HeapAnalysis;
  readonly tree: RetainerTree;
  readonly ephemerons: EphemeronNames;
}

/** findLeaks, keeping FINAL's analysis and retainer tree: the view explores them without computing them again. */
export function analyzeLeaks(inputs: LeakInputs): LeakAnalysis {
  const { final: snapshot } = inputs;
  const rules = inputs.rules ?? 'devtools';
  const base = new IdSet(inputs.baseIds);
  const target = new IdSet(inputs.targetIds);
  const { phases } = inputs;
  const stores = phase(phases, 'new backing stores', () => newBackingStores(snapshot, base, target));
  const analysis = analyzeHeap(snapshot, { rules, phases });
  const { ephemerons } = analysis;
  const tree = phase(phases, 'retainer paths', () => shortestRetainers(snapshot, ephemerons, analysis.workspace));
  const report = phase(phases, 'leak clusters', () =>
    clustersOf(inputs, analysis, tree, ephemerons, base, target, stores),
  );
  return { report, analysis, tree, ephemerons };
}

/** New-and-alive objects, their leak roots, grouped into clusters by path shape. */
function clustersOf(
  inputs: LeakInputs,
  analysis: HeapAnalysis,
  tree: RetainerTree,
  ephemerons: EphemeronNames,
  base: IdSet,
  target: IdSet,
  stores: ReturnType<typeof newBackingStores>,
): LeakReport {
  const { final: snapshot } = inputs;
  const { classes, selfSize, rules } = analysis;
  const { idom, order, retained } = analysis.dominators;

  const noise = new NoiseFilter(snapshot);
  const { nodeCount, nodeId, rootOrdinal } = snapshot;

  // 1 = new and alive, may leak; 2 = new and alive, ignored as noise.
  const state = new Uint8Array(nodeCount);
  const ignored = {
    'internal type': 0,
    'system object': 0,
    'node internal': 0,
    'internalized string': 0,
    'transient root': 0,
    'owned by code': 0,
    'weakly held': 0,
    'tiny cluster': 0,
  };
  let newAndAlive = 0;
  let newAndAliveSize = 0;
  for (let node = 0; node < nodeCount; node++) {
    const id = nodeId[node]!;
    if (!target.has(id) || base.has(id)) continue;
    newAndAlive++;
    newAndAliveSize += selfSize[node]!;
    const reason = noise.ofNode(node);
    if (reason) {
      ignored[reason]++;
      state[node] = NEW_NOISE;
    } else state[node] = MAY_LEAK;
  }

  // Top-down over the dominator tree: a node is held by a leak when a may-leak node dominates it.
  const held = new Uint8Array(nodeCount);
  for (let i = 0; i < order.length; i++) {
    const node = order[i]!;
    if (node === rootOrdinal) continue;
    const dominator = idom[node]!;
    held[node] = held[dominator]! | (state[dominator] === MAY_LEAK ? 1 : 0);
  }

  const roots = collectRoots(snapshot, tree, noise, state, held, ignored);
  const keyEdge = dictionaryKeys(snapshot, classes, tree, roots.onPath, state);
  const showValues = inputs.showValues ?? false;
  const shapes: ShapeContext = { snapshot, classes, ephemerons, keyEdge, tree, showValues };
  const clusters = groupRoots(shapes, tree, roots.list, state, retained, selfSize, stores);
  let leakRoots = roots.list.length;
  for (const [key, cluster] of clusters) {
    if (cluster.retainedSize >= MIN_CLUSTER_BYTES) continue;
    clusters.delete(key);
    ignored['tiny cluster'] += cluster.roots;
    leakRoots -= cluster.roots;
  }
  const sorted = [...clusters.values()]
    .map((building) => ({ building, cluster: finishCluster(shapes, building, retained) }))
    .sort(
      ({ cluster: a }, { cluster: b }) =>
        b.retainedSize - a.retainedSize || b.count - a.count || a.constructor.localeCompare(b.constructor),
    );
  const contents = (stores: ReadonlySet<number>): StoreContents => {
    const stable = [...new Set([...stores].map((owner) => stableStore(snapshot, idom, base, owner)))];
    const retainedSize = stable.reduce((sum, node) => sum + retained[node]!, 0);
    return {
      ids: stable.map((node) => nodeId[node]!),
      retainedSize,
      data: dominatedData(snapshot, analysis.dominators, stable),
    };
  };
  const described = inputs.stores ? sorted.slice(0, TOP_LEAK_CLUSTERS).map((c) => contents(c.building.stores)) : null;
  return {
    kind: 'leaks',
    status: sorted.length > 0 ? 'leaks' : 'clean',
    files: inputs.files,
    rules,
    showValues,
    summary: { newAndAlive, newAndAliveSize, ignored, heldByLeaks: roots.heldByLeaks, leakRoots },
    clusters: sorted.map((c) => c.cluster),
    ...(described ? { stores: described } : {}),
  };
}
