/**
 * The heap commands as library calls: inspect() (heap-inspect.ts), diff() (two snapshots: DevTools' comparison
 * per class; three: the leak method), redact() and snapshot(). Each returns its report and never prints or exits;
 * `phases` (core/phases.ts) receives the timing and bytes read of every phase.
 */
import type { Phases } from '../core/phases.js';
import { phase } from '../core/phases.js';
import { compareSnapshots, objectTable, type ComparisonReport, type ObjectTable } from '../heap/compare.js';
import { readNodeIdsPair } from '../heap/ids-pair.js';
import { checkMemoryFor } from '../heap/memory-needed.js';
import { findLeaks, type LeakReport } from '../heap/leaks.js';
import { readHeapSnapshot } from '../heap/reader.js';
import { redactSnapshotFile, type RedactSummary } from '../heap/redact-file.js';
import type { HeapOptions } from './heap-inspect.js';

export { inspect, parseRules, type HeapOptions } from './heap-inspect.js';

export type DiffReport =
  | { readonly kind: 'comparison'; readonly report: ComparisonReport }
  | { readonly kind: 'leaks'; readonly report: LeakReport };

/**
 * Two snapshots: per class, objects new in TARGET and deleted since BASE. Three: objects new in TARGET that
 * FINAL still holds, grouped into leak clusters by the shape of their retainer path.
 */
export function diff(base: string, target: string, final?: string, options: HeapOptions = {}): DiffReport {
  const { phases } = options;
  if (final === undefined) {
    for (const file of [base, target]) checkMemoryFor(file);
    // One snapshot in memory at a time: each is reduced to an object table before the next is read.
    const table = (file: string): ObjectTable => {
      const snapshot = readHeapSnapshot(file, { phases });
      return phase(phases, 'object table', () => objectTable(snapshot));
    };
    return { kind: 'comparison', report: compareSnapshots(table(base), table(target)) };
  }
  // BASE and TARGET only contribute ids: their reads stop after the nodes array.
  checkMemoryFor(final, [base, target]);
  const [baseIds, targetIds] = readNodeIdsPair(base, target, { phases });
  const finalSnapshot = readHeapSnapshot(final, { phases, forAnalysis: true });
  const rules = options.rules ?? 'devtools';
  return {
    kind: 'leaks',
    report: findLeaks({
      files: { base, target, final },
      baseIds,
      targetIds,
      final: finalSnapshot,
      rules,
      phases,
      showValues: options.showValues,
    }),
  };
}

/** A copy of a snapshot with its string values replaced (names kept), safe to share. */
export function redact(input: string, output: string, keepValues: readonly RegExp[] = []): RedactSummary {
  return redactSnapshotFile(input, output, keepValues);
}

export type SnapshotResult =
  | { readonly redacted: false; readonly file: string; readonly bytes: number }
  | { readonly redacted: true; readonly file: string; readonly summary: RedactSummary };

/** A heap snapshot of a running Node process (its inspector opened with SIGUSR1), streamed to `file` (0600). */
export async function snapshot(
  pid: number,
  file: string,
  options: { readonly redact?: boolean } = {},
): Promise<SnapshotResult> {
  // Loaded here, not at the top: `inspect` and `diff` start faster without the inspector client.
  const [{ observe }, { writeSnapshot }, { writeRedacted }] = await Promise.all([
    import('../inspector/program.js'),
    import('../inspector/heap-snapshot.js'),
    import('../heap/redacted-output.js'),
  ]);
  const program = await observe({ pid });
  try {
    if (options.redact === true) {
      const summary = await writeRedacted(file, (raw) => writeSnapshot(program.client, raw));
      return { redacted: true, file, summary };
    }
    return { redacted: false, file, bytes: await writeSnapshot(program.client, file) };
  } finally {
    await program.release();
  }
}
