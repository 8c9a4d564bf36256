/**
 * The leak question's last step, where snapshots were taken and the samples did not rule a leak out: it is a leak
 * only when objects made in the soak stayed (object identity across three snapshots) and the store that holds them
 * grew. V8's own growth (feedback, shapes, code the sampler cannot tell apart) leaves no such objects; a cache
 * turning over keeps new entries too, but its store does not grow (old entries go). The objects name the holder.
 */
import { HOLDER_GROWTH_SHARE } from '../constants.js';
import { formatBytes, formatDuration, formatSignedBytes } from '../core/format.js';
import { rateMeaning } from '../analyze/leak-evidence.js';
import { leakClustersOf } from '../runner/leak-clusters.js';
import { VALUES_SHOWN_NOTE } from '../core/values-note.js';
import type { LeakEvidence, ProbeReport } from '../types.js';

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
  const span = formatDuration(spanMs);
  // A store that grew between the first and the last snapshot by at least half of what its new entries retain.
  const growing = leakClusters.findIndex((c, i) => {
    const h = holders[i];
    return h !== undefined && h.after - (h.before ?? 0) >= HOLDER_GROWTH_SHARE * c.retainedSize;
  });
  const grown = leakClusters[growing];
  if (grown) {
    const h = holders[growing]!;
    const holder = `${grown.path.slice(-3).join(' -> ')}: +${grown.count.toLocaleString('en-US')} entries`;
    const grewBytes = h.after - (h.before ?? 0);
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
    const notes = showValues ? [...probe.notes, VALUES_SHOWN_NOTE] : probe.notes;
    return { ...probe, leak: confirmed, leakClusters, notes, verdict: leakVerdict(probe, confirmed) };
  }
  const first = leakClusters[0];
  const why = first
    ? `bounded: ${first.path.slice(-3).join(' -> ')} holds ${formatBytes(first.retainedSize)} of entries made in ` +
      `the soak but did not grow in ${span} (${formatBytes(holders[0]?.before ?? 0)} -> ` +
      `${formatBytes(holders[0]?.after ?? 0)}): old entries go as new ones come`
    : `no object made in the soak stayed (${span} of snapshots): what grew is V8's own (feedback, shapes, code)`;
  const settled: LeakEvidence = { ...evidence, status: 'no-leak', reason: why };
  return { ...probe, leak: settled, verdict: leakVerdict(probe, settled) };
}

const signed = formatSignedBytes;

function leakVerdict(probe: ProbeReport, evidence: LeakEvidence): ProbeReport['verdict'] {
  return evidence.status === 'leak' && (probe.verdict === 'pass' || probe.verdict === 'inconclusive')
    ? 'fail'
    : probe.verdict;
}
