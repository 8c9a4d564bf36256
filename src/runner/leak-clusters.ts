/**
 * After a failing soak with --snapshots: the three-snapshot leak method on the child's baseline, mid-soak and
 * final snapshots, so the report names what leaked and the retainer path that holds it. When it finds no
 * cluster, the baseline and final snapshots are compared per class (DevTools' Comparison view), so the report
 * says what did grow instead of guessing why nothing was found.
 */
import { compareSnapshots, objectTable } from '../heap/compare.js';
import { findLeaks } from '../heap/leaks.js';
import { checkMemoryFor } from '../heap/memory-needed.js';
import { readHeapSnapshot, readNodeIds } from '../heap/reader.js';
import { TOP_LEAK_CLUSTERS } from '../constants.js';
import type { ProbeReport, SnapshotGrowth } from '../types.js';
import { VALUES_SHOWN_NOTE } from '../report/values-note.js';

/** Classes listed when no cluster was found. */
const TOP_GROWING_CLASSES = 5;

/**
 * Adds the top leak clusters to a failed probe's report entry; other entries come back unchanged. Their samples
 * show heap keys and string values only with `showValues` (`--show-values`), and then the entry says so.
 */
export function withLeakClusters(probe: ProbeReport, showValues = false): ProbeReport {
  if (probe.verdict !== 'fail' || !probe.snapshots) return probe;
  const { baseline, target, final } = probe.snapshots;
  try {
    checkMemoryFor(final, [baseline, target]);
    const report = findLeaks({
      files: { base: baseline, target, final },
      baseIds: readNodeIds(baseline),
      targetIds: readNodeIds(target),
      final: readHeapSnapshot(final),
      showValues,
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
    const notes = showValues ? [...probe.notes, VALUES_SHOWN_NOTE] : probe.notes;
    if (leakClusters.length > 0) return { ...probe, notes, leakClusters };
    return { ...probe, leakClusters, snapshotGrowth: snapshotGrowth(baseline, final, report.summary.newAndAliveSize) };
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
