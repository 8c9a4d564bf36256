/**
 * After a failing soak with --snapshots: the three-snapshot leak method on the child's baseline, mid-soak and
 * final snapshots, so the report names what leaked and the retainer path that holds it.
 */
import { findLeaks } from '../heap/leaks.js';
import { readHeapSnapshot, readNodeIds } from '../heap/reader.js';
import { TOP_LEAK_CLUSTERS } from '../constants.js';
import type { ProbeReport } from '../types.js';

/** Adds the top leak clusters to a failed probe's report entry; other entries come back unchanged. */
export function withLeakClusters(probe: ProbeReport): ProbeReport {
  if (probe.verdict !== 'fail' || !probe.snapshots) return probe;
  const { baseline, target, final } = probe.snapshots;
  try {
    const report = findLeaks({
      files: { base: baseline, target, final },
      baseIds: readNodeIds(baseline),
      targetIds: readNodeIds(target),
      final: readHeapSnapshot(final),
    });
    const leakClusters = report.clusters
      .slice(0, TOP_LEAK_CLUSTERS)
      .map(({ constructor, count, retainedSize, path, samples, members }) => ({ constructor, count, retainedSize, path, samples, ...(members ? { members } : {}) }));
    return { ...probe, leakClusters };
  } catch (error) {
    return { ...probe, notes: [...probe.notes, `leak analysis of the snapshots failed: ${(error as Error).message}`] };
  }
}
