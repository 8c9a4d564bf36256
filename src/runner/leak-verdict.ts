/**
 * The leak question's last step, where snapshots were taken and the samples did not rule a leak out: it is a leak
 * only when objects made in the soak stayed (object identity across three snapshots), the store that holds them
 * grew, and it kept what it held in the first snapshot. V8's own growth (feedback, shapes, code the sampler cannot
 * tell apart) leaves no such objects; a cache turning over keeps new entries too, but its store does not grow; a
 * queue that fills and drains can grow between two moments, but lets its old entries go. The objects name the
 * holder.
 */
import { rmSync } from 'node:fs';
import {
  CONFIRM_HEAP_MAX_BYTES,
  CONFIRM_WINDOW_MS,
  FIRST_LOOK_MS,
  HOLDER_GROWTH_SHARE,
  HOLDER_KEPT_SHARE,
  LOOK_EVERY_MS,
} from '../constants.js';
import { formatBytes, formatCount, formatDuration, formatSignedBytes } from '../core/format.js';
import { rateMeaning, weighEvidence } from '../analyze/leak-evidence.js';
import type { ChildRun } from './controller.js';
import { leakClustersOf } from './leak-clusters.js';
import type { SnapshotFiles } from './protocol.js';
import type { Evidence } from './soak-window.js';
import { VALUES_SHOWN_NOTE } from '../core/values-note.js';
import type { LeakClusterSummary, LeakEvidence, ProbeReport } from '../types.js';

/**
 * How a soak asks the leak question: until decided (looks from FIRST_LOOK_MS every LOOK_EVERY_MS) or once at the
 * end of a fixed-length window; with `confirmFiles`, the snapshots that name a leak the samples did not rule out.
 */
export function leakQuestion(
  untilDecided: boolean,
  confirmFiles: SnapshotFiles | undefined,
  soaked: keyof typeof CONFIRM_HEAP_MAX_BYTES,
): Evidence {
  const heapMaxBytes = CONFIRM_HEAP_MAX_BYTES[soaked];
  return {
    schedule: untilDecided ? { firstMs: FIRST_LOOK_MS, everyMs: LOOK_EVERY_MS } : null,
    confirm: confirmFiles ? { files: confirmFiles, windowMs: CONFIRM_WINDOW_MS, heapMaxBytes } : null,
  };
}

/**
 * A finished run's leak question, settled: the samples weighed as the look that ended its window saw them (the
 * snapshots' samples come after), then the snapshots that name it. Snapshots taken for a question that was no leak
 * are deleted (they can be hundreds of MB).
 */
export function settleRun(
  probe: ProbeReport,
  run: ChildRun,
  named: { confirmFiles: SnapshotFiles | undefined; snapshots: SnapshotFiles | null; showValues?: boolean | undefined },
): ProbeReport {
  const stop = run.windowEnd;
  const confirmed = stop?.confirmed ?? null;
  const seen = stop ? run.samples.filter((s) => s.timeMs <= stop.atMs) : run.samples;
  const look = { index: Math.max(1, stop?.looks ?? 1), of: stop?.of ?? 1 };
  const samples = weighEvidence(seen, look, run.heapLimit);
  // Growth the samples prove is a leak once a holder is named: where the snapshots could not be taken it stays open
  // (V8's own growth on a big heap, a few hundred B/s, is proven too, and only the objects tell it apart).
  const unnamed = stop?.heapTooBig !== undefined && samples.status === 'leak' && !named.snapshots;
  const weighed: LeakEvidence = unnamed
    ? { ...samples, status: 'undecided', reason: `${samples.reason}, but not named: the heap is too big to snapshot` }
    : samples;
  const lastMs = run.samples.at(-1)?.timeMs ?? null;
  const spanMs = confirmed ? confirmed.toMs - confirmed.fromMs : named.snapshots ? lastMs : null;
  const settled = settleLeak({ ...probe, ...(stop ? { stop } : {}) }, weighed, {
    spanMs,
    heapLimit: run.heapLimit,
    showValues: named.showValues ?? false,
  });
  return confirmed && settled.leak?.status !== 'leak' ? withoutSnapshots(settled) : settled;
}

/** Settles a probe's leak evidence against the snapshots taken to name it; the verdict fails on a confirmed leak. */
export function settleLeak(
  probe: ProbeReport,
  evidence: LeakEvidence,
  { spanMs, heapLimit, showValues }: { spanMs: number | null; heapLimit: number | null; showValues: boolean },
): ProbeReport {
  if (evidence.status === 'no-leak' || !probe.snapshots || spanMs === null)
    return { ...probe, leak: evidence, verdict: leakVerdict(probe, evidence) };
  let found: ReturnType<typeof leakClustersOf>;
  try {
    found = leakClustersOf(probe.snapshots, { holders: true, showValues });
  } catch (error) {
    const note = `leak analysis of the snapshots failed: ${(error as Error).message}`;
    return { ...probe, leak: evidence, verdict: leakVerdict(probe, evidence), notes: [...probe.notes, note] };
  }
  const { leakClusters, holders } = found;
  const notes = showValues ? [...probe.notes, VALUES_SHOWN_NOTE] : probe.notes;
  const span = formatDuration(spanMs);
  // A store that grew between the first and the last snapshot by at least half of what its new entries retain, and
  // kept the entries it held in the first.
  const grew = (i: number): number => (holders[i] ? holders[i].after - (holders[i].before ?? 0) : 0);
  const grows = (c: LeakClusterSummary, i: number): boolean => grew(i) >= HOLDER_GROWTH_SHARE * c.retainedSize;
  const growing = leakClusters.findIndex(grows);
  const growingKept = leakClusters.findIndex((c, i) => grows(c, i) && (holders[i]?.kept ?? 0) >= HOLDER_KEPT_SHARE);
  const grown = leakClusters[growingKept];
  if (grown) {
    const holder = `${grown.path.slice(-3).join(' -> ')}: +${formatCount(grown.count)} entries`;
    const grewBytes = grew(growingKept);
    const reason = `objects made in the soak stay, held by ${holder}; the store grew ${signed(grewBytes)} in ${span}`;
    const heapNow = probe.samples.at(-1)?.heapUsed ?? 0;
    const store = {
      path: grown.path,
      entries: grown.count,
      grewBytes,
      overMs: spanMs,
      ...rateMeaning(grewBytes / (spanMs / 1000), heapNow, heapLimit),
    };
    const confirmed: LeakEvidence = { ...evidence, status: 'leak', reason, store };
    return { ...probe, leak: confirmed, leakClusters, notes, verdict: leakVerdict(probe, confirmed) };
  }
  const turning = leakClusters[growing];
  const first = leakClusters[0];
  const shown = (c: LeakClusterSummary): string => c.path.slice(-3).join(' -> ');
  const why = turning
    ? `turns over: ${shown(turning)} grew ${signed(grew(growing))} in ${span} but let ` +
      `${Math.round((1 - holders[growing]!.kept!) * 100)}% of the entries it held go: old entries go as new ones come`
    : first
      ? `bounded: ${shown(first)} holds ${formatBytes(first.retainedSize)} of entries made in ` +
        `the soak but did not grow in ${span} (${formatBytes(holders[0]?.before ?? 0)} -> ` +
        `${formatBytes(holders[0]?.after ?? 0)}): old entries go as new ones come`
      : `no object made in the soak stayed (${span} of snapshots): what grew is V8's own (feedback, shapes, code)`;
  const settled: LeakEvidence = { ...evidence, status: 'no-leak', reason: why };
  // A budget that failed lists the clusters found here (withLeakClusters would run the method again).
  const listed = probe.verdict === 'fail' && leakClusters.length > 0 ? { leakClusters, notes } : {};
  return { ...probe, ...listed, leak: settled, verdict: leakVerdict(probe, settled) };
}

const signed = formatSignedBytes;

function leakVerdict(probe: ProbeReport, evidence: LeakEvidence): ProbeReport['verdict'] {
  return evidence.status === 'leak' && (probe.verdict === 'pass' || probe.verdict === 'inconclusive')
    ? 'fail'
    : probe.verdict;
}

/** The probe's snapshot files deleted, and the entry without them. */
export function withoutSnapshots(probe: ProbeReport): ProbeReport {
  if (!probe.snapshots) return probe;
  for (const file of Object.values(probe.snapshots)) rmSync(file, { force: true });
  return { ...probe, snapshots: null };
}
