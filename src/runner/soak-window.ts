/**
 * The soak window of a probe's child and of a program, the same steps for both: samples until the duration ends
 * or, with looks, until a look decides the leak question; then, when the samples did not rule a leak out, three
 * snapshots that settle and name it, with samples going on between them.
 */
import { weighEvidence } from '../analyze/leak-evidence.js';
import type { LeakEvidence, Sample, SoakStop } from '../types.js';
import type { SnapshotFiles } from './protocol.js';

/** How the leak question is asked during the window (plain data: it travels to the probe's child). */
export interface Evidence {
  /**
   * Stop when the evidence decides: from `firstMs`, every `everyMs`, the samples are weighed, and the soak window
   * ends at the first look that is not undecided (the window's length is then the longest it may run). Null: one
   * look at the end of the window.
   */
  readonly schedule: { readonly firstMs: number; readonly everyMs: number } | null;
  /**
   * Snapshots that name a leak: when a look does not rule a leak out (or the one look of a fixed-length run proves
   * growth), three snapshots `windowMs` apart; the objects that stayed decide. Null: none.
   */
  readonly confirm: {
    readonly files: SnapshotFiles;
    readonly windowMs: number;
    /** Not of a heap bigger than this (by the last snapshot, at the rate it grows). */
    readonly heapMaxBytes: number;
  } | null;
}

/** What the window needs of the process under soak. */
export interface WindowSteps {
  /** Samples until `untilMs` since the window began, or until `stop` says so after a sample. */
  sampleUntil(untilMs: number, stop?: () => boolean): Promise<void>;
  snapshot(file: string): Promise<unknown> | void;
  /** Time since the window began. */
  elapsedMs(): number;
  /** The program exited or the user interrupted. */
  over(): boolean;
  samples(): readonly Sample[];
}

/** How many looks a run of `maxMs` takes (each spends its Bonferroni share); one without a schedule. */
export function looksIn(schedule: Evidence['schedule'], maxMs: number): number {
  return schedule ? Math.max(1, Math.floor((maxMs - schedule.firstMs) / schedule.everyMs) + 1) : 1;
}

/** The post-GC heap `aheadMs` after the last sample, at the rate it grew over the window so far. */
function heapBy(samples: readonly Sample[], aheadMs: number): number {
  const soak = samples.filter((s) => s.phase === 'soak');
  const first = soak[0];
  const last = soak.at(-1);
  if (!first || !last) return 0;
  const span = last.timeMs - first.timeMs;
  const perMs = span > 0 ? Math.max(0, (last.heapUsed - first.heapUsed) / span) : 0;
  return last.heapUsed + perMs * aheadMs;
}

/** The window's end: why and when, the looks taken, and the span of the snapshots that name a leak. */
export async function soakWindow(steps: WindowSteps, durationMs: number, evidence: Evidence | null): Promise<SoakStop> {
  const schedule = evidence?.schedule ?? null;
  const confirm = evidence?.confirm ?? null;
  const of = looksIn(schedule, durationMs);
  const weigh = (index: number): LeakEvidence['status'] => weighEvidence(steps.samples(), { index, of }, null).status;
  let looks = 0;
  let status = 'undecided' as LeakEvidence['status'];
  let nextLook = schedule?.firstMs ?? Number.POSITIVE_INFINITY;
  // The heap the naming snapshots would see, when over their limit (then the looks go on without them).
  let heapTooBig: number | undefined;
  const nameable = (): boolean => {
    if (!confirm) return false;
    const heap = heapBy(steps.samples(), 2 * confirm.windowMs);
    heapTooBig = heap > confirm.heapMaxBytes ? heap : undefined;
    return heapTooBig === undefined;
  };
  await steps.sampleUntil(durationMs, () => {
    if (!schedule || steps.elapsedMs() < nextLook) return false;
    nextLook += schedule.everyMs;
    status = weigh(++looks);
    if (status === 'no-leak') return true;
    // With snapshots to take, the first look that does not rule a leak out hands the question to them.
    return nameable() || status === 'leak';
  });
  const atMs = steps.elapsedMs();
  if (steps.over()) return { reason: 'stopped', atMs, looks, of, confirmed: null };
  if (evidence && !schedule) status = weigh(++looks);
  // A fixed-length run (a CI gate) takes them only when its samples prove growth: it keeps its length otherwise.
  const named = status !== 'no-leak' && (schedule !== null || status === 'leak') && nameable();
  const reason = !schedule ? 'duration' : status === 'undecided' && !named ? 'max-duration' : 'decided';
  const end = { reason, atMs, looks, of, ...(heapTooBig === undefined ? {} : { heapTooBig }) } as const;
  if (!confirm || !named) return { ...end, confirmed: null };
  const fromMs = steps.elapsedMs();
  const files = [confirm.files.baseline, confirm.files.target, confirm.files.final];
  for (const [i, file] of files.entries()) {
    if (i > 0) await steps.sampleUntil(fromMs + i * confirm.windowMs);
    if (steps.over()) return { ...end, confirmed: null };
    await steps.snapshot(file);
  }
  return { ...end, confirmed: { fromMs, toMs: steps.elapsedMs() } };
}
