/**
 * After a failing soak with --snapshots: the three-snapshot leak method on the child's baseline, mid-soak and
 * final snapshots, so the report names what leaked and the retainer path that holds it. When it finds no
 * cluster, the baseline and final snapshots are compared per class (DevTools' Comparison view), so the report
 * says what did grow instead of guessing why nothing was found.
 */
import { compareSnapshots, objectTable } from '../heap/compare.js';
import { analyzeHeap } from '../heap/analysis.js';
import { findLeaks, type StoreContents } from '../heap/leaks.js';
import { checkMemoryFor } from '../heap/memory-needed.js';
import { readHeapSnapshot, readNodeIds } from '../heap/reader.js';
import { TOP_LEAK_CLUSTERS } from '../constants.js';
import type { LeakClusterSummary, ProbeReport, SnapshotGrowth } from '../types.js';
import { dominatedData, keptShare, ordinalsOf } from '../heap/store-contents.js';
import { VALUES_SHOWN_NOTE } from '../core/values-note.js';

/** Classes listed when no cluster was found. */
const TOP_GROWING_CLASSES = 5;

/**
 * A cluster's stores in the first and the last snapshot: what they retained in each (null: not there yet), and the
 * share of the data they held in the first that they still hold in the last (null: they held none).
 */
export interface HolderGrowth {
  readonly before: number | null;
  readonly after: number;
  readonly kept: number | null;
}

/**
 * The top clusters of the three-snapshot method, and what all its clusters retain together. Their samples show heap
 * keys and string values only with `showValues` (`--show-values`).
 */
export function leakClustersOf(
  snapshots: NonNullable<ProbeReport['snapshots']>,
  options: { holders?: boolean; showValues?: boolean } = {},
): {
  leakClusters: LeakClusterSummary[];
  clusteredBytes: number;
  newAndAliveSize: number;
  /** With `holders`: each top cluster's store in BASE and FINAL, by node id (V8 keeps ids across snapshots). */
  holders: HolderGrowth[];
} {
  const { baseline, target, final } = snapshots;
  checkMemoryFor(final, [baseline, target]);
  const report = findLeaks({
    files: { base: baseline, target, final },
    baseIds: readNodeIds(baseline),
    targetIds: readNodeIds(target),
    final: readHeapSnapshot(final, { forAnalysis: true }),
    showValues: options.showValues ?? false,
    stores: options.holders ?? false,
  });
  const leakClusters = report.clusters
    .slice(0, TOP_LEAK_CLUSTERS)
    .map(({ constructor, count, retainedSize, path, samples, members }) => ({
      constructor,
      count,
      retainedSize,
      path,
      samples,
      ...(members ? { members } : {}),
    }));
  const clusteredBytes = report.clusters.reduce((sum, c) => sum + c.retainedSize, 0);
  const stores = report.stores ?? [];
  const holders = stores.length > 0 ? holdersBefore(baseline, stores) : [];
  return { leakClusters, clusteredBytes, newAndAliveSize: report.summary.newAndAliveSize, holders };
}

/**
 * What each cluster's stores retained in BASE, and the share of the data they held there that they still hold in
 * FINAL (read after FINAL is dropped: one snapshot in memory at a time).
 */
function holdersBefore(baseline: string, stores: readonly StoreContents[]): HolderGrowth[] {
  const snapshot = readHeapSnapshot(baseline, { forAnalysis: true });
  const { dominators } = analyzeHeap(snapshot);
  // One scan of the nodes finds every cluster's stores.
  const ordinals = ordinalsOf(
    snapshot,
    stores.flatMap((s) => s.ids),
  );
  let next = 0;
  return stores.map((after) => {
    const found = ordinals.slice(next, (next += after.ids.length)).filter((node) => node >= 0);
    const before = found.length > 0 ? found.reduce((sum, node) => sum + dominators.retained[node]!, 0) : null;
    const kept = found.length > 0 ? keptShare(dominatedData(snapshot, dominators, found), after.data) : null;
    return { before, after: after.retainedSize, kept };
  });
}

/**
 * Adds the top leak clusters to a failed probe's report entry; other entries come back unchanged. With
 * `showValues`, the entry says that its samples hold values.
 */
export function withLeakClusters(probe: ProbeReport, showValues = false): ProbeReport {
  if (probe.verdict !== 'fail' || !probe.snapshots || probe.leakClusters) return probe;
  const { baseline, final } = probe.snapshots;
  try {
    const { leakClusters, newAndAliveSize } = leakClustersOf(probe.snapshots, { showValues });
    const notes = showValues ? [...probe.notes, VALUES_SHOWN_NOTE] : probe.notes;
    if (leakClusters.length > 0) return { ...probe, notes, leakClusters };
    return { ...probe, leakClusters, snapshotGrowth: snapshotGrowth(baseline, final, newAndAliveSize) };
  } catch (error) {
    return { ...probe, notes: [...probe.notes, `leak analysis of the snapshots failed: ${(error as Error).message}`] };
  }
}

/** One snapshot in memory at a time: each is reduced to its object table before the next is read. */
function snapshotGrowth(baseline: string, final: string, newAndAliveSize: number): SnapshotGrowth {
  const comparison = compareSnapshots(objectTable(readHeapSnapshot(baseline)), objectTable(readHeapSnapshot(final)));
  const { baseSize, targetSize } = comparison.totals;
  const grew = comparison.classes
    .filter((c) => c.sizeDelta > 0)
    .slice(0, TOP_GROWING_CLASSES)
    .map(({ name, countDelta, sizeDelta }) => ({ name, countDelta, sizeDelta }));
  return { heapDelta: targetSize - baseSize, newAndAliveSize, grew };
}
