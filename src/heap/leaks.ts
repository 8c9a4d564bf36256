/**
 * The three-snapshot leak method: objects that are new in TARGET (their id is not in BASE) and still alive in
 * FINAL. Of those, only "leak roots" are reported: objects no other reported object dominates, so an object
 * and everything it holds count once, under the object. Leak roots are grouped by their shortest retainer
 * path in FINAL (edge names and classes, indexes collapsed) and ranked by retained size in FINAL.
 */
import { MIN_CLUSTER_BYTES } from '../constants.js';
import { analyzeHeap, type RetainerRules } from './analysis.js';
import { EphemeronNames } from './edge-rules.js';
import { IdSet } from './id-set.js';
import { nodeLabel, pathLabels } from './labels.js';
import { NoiseFilter, type NoiseReason } from './noise.js';
import { retainerPath, shortestRetainers } from './paths.js';
import type { LeakClusterSummary } from '../types.js';
import type { HeapSnapshot } from './snapshot.js';

/** A report's leak cluster (constructor, count, retained size in FINAL, normalized retainer path), plus detail. */
export interface LeakCluster extends LeakClusterSummary {
  readonly selfSize: number;
  /** Node ids of the largest members, for finding them in DevTools. */
  readonly sampleIds: readonly number[];
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
  readonly summary: LeakSummary;
  readonly clusters: readonly LeakCluster[];
}

export interface LeakInputs {
  readonly files: { readonly base: string; readonly target: string; readonly final: string };
  readonly baseIds: Uint32Array;
  readonly targetIds: Uint32Array;
  readonly final: HeapSnapshot;
  readonly rules?: RetainerRules;
}

const SAMPLE_IDS = 5;

interface Building {
  constructor: string;
  count: number;
  retainedSize: number;
  selfSize: number;
  path: string[];
  samples: Array<[number, number]>;
}

/**
 * @example
 * ```ts
 * const report = findLeaks({ files, baseIds: readNodeIds(a), targetIds: readNodeIds(b), final: readHeapSnapshot(c) });
 * report.clusters[0]?.constructor; // 'LeakedSession'
 * ```
 */
export function findLeaks(inputs: LeakInputs): LeakReport {
  const { final: snapshot } = inputs;
  const rules = inputs.rules ?? 'devtools';
  const base = new IdSet(inputs.baseIds);
  const target = new IdSet(inputs.targetIds);
  const analysis = analyzeHeap(snapshot, { rules });
  const { classes, selfSize } = analysis;
  const { idom, order, retained } = analysis.dominators;
  const ephemerons = new EphemeronNames(snapshot);
  const tree = shortestRetainers(snapshot, ephemerons, analysis.workspace);
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
      state[node] = 2;
    } else state[node] = 1;
  }

  // Top-down over the dominator tree: a node is held by a leak when a may-leak node dominates it.
  const held = new Uint8Array(nodeCount);
  for (let i = 0; i < order.length; i++) {
    const node = order[i]!;
    if (node === rootOrdinal) continue;
    const dominator = idom[node]!;
    held[node] = held[dominator]! | (state[dominator] === 1 ? 1 : 0);
  }

  const clusters = new Map<string, Building>();
  let heldByLeaks = 0;
  let leakRoots = 0;
  for (let node = 0; node < nodeCount; node++) {
    if (state[node] !== 1) continue;
    if (held[node]) {
      heldByLeaks++;
      continue;
    }
    const steps = retainerPath(snapshot, tree, node);
    // No path over strong edges: only weak references (or skipped internal links) reach it.
    const reason = steps.length === 0 ? 'weakly held' : noise.ofPath(steps);
    if (reason) {
      ignored[reason]++;
      continue;
    }
    leakRoots++;
    const path = pathLabels(snapshot, classes, ephemerons, steps, true);
    const constructor = nodeLabel(snapshot, classes, node);
    const key = `${constructor}\u0000${path.join('\u0000')}`;
    let cluster = clusters.get(key);
    if (!cluster) {
      cluster = { constructor, count: 0, retainedSize: 0, selfSize: 0, path, samples: [] };
      clusters.set(key, cluster);
    }
    cluster.count++;
    cluster.retainedSize += retained[node]!;
    cluster.selfSize += selfSize[node]!;
    keepLargest(cluster.samples, nodeId[node]!, retained[node]!);
  }

  for (const [key, cluster] of clusters) {
    if (cluster.retainedSize >= MIN_CLUSTER_BYTES) continue;
    clusters.delete(key);
    ignored['tiny cluster'] += cluster.count;
    leakRoots -= cluster.count;
  }
  const sorted = [...clusters.values()]
    .map((c) => ({
      constructor: c.constructor,
      count: c.count,
      retainedSize: c.retainedSize,
      selfSize: c.selfSize,
      path: c.path,
      sampleIds: c.samples.map(([id]) => id),
    }))
    .sort((a, b) => b.retainedSize - a.retainedSize || b.count - a.count || a.constructor.localeCompare(b.constructor));
  return {
    kind: 'leaks',
    status: sorted.length > 0 ? 'leaks' : 'clean',
    files: inputs.files,
    rules,
    summary: { newAndAlive, newAndAliveSize, ignored, heldByLeaks, leakRoots },
    clusters: sorted,
  };
}

function keepLargest(samples: Array<[number, number]>, id: number, size: number): void {
  if (samples.length === SAMPLE_IDS && samples[SAMPLE_IDS - 1]![1] >= size) return;
  samples.push([id, size]);
  samples.sort((a, b) => b[1] - a[1]);
  if (samples.length > SAMPLE_IDS) samples.length = SAMPLE_IDS;
}
