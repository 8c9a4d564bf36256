/**
 * What `memprobe view` was given, loaded once before the page is served: one snapshot (inspect), two
 * (DevTools' comparison, then the second one explored), three (the leak method, the third explored), or a soak or
 * check report (report.json, or the folder holding it) with, when its probes kept snapshots, the leak method on
 * the first such probe. Everything is read through the heap engine's public functions.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { CHECK_REPORT_FILE } from '../constants.js';
import type { Phases } from '../core/phases.js';
import { phase } from '../core/phases.js';
import { UsageError } from '../errors.js';
import { analyzeHeap, type RetainerRules } from '../heap/analysis.js';
import { compareSnapshots, objectTable, type ComparisonReport } from '../heap/compare.js';
import { readNodeIdsPair } from '../heap/ids-pair.js';
import { analyzeLeaks, type LeakReport } from '../heap/leaks.js';
import { readHeapSnapshot } from '../heap/reader.js';
import { HeapView } from './heap-view.js';
import { readReport, type ViewReport } from './report-view.js';

export type ViewMode = 'inspect' | 'diff' | 'leaks' | 'report';

export interface ViewSession {
  readonly mode: ViewMode;
  readonly files: readonly string[];
  readonly showValues: boolean;
  /** The snapshot the page explores (the only one, the second of two, the third of three); null: a report alone. */
  readonly heap: HeapView | null;
  readonly comparison: ComparisonReport | null;
  readonly leaks: LeakReport | null;
  readonly report: ViewReport | null;
}

export interface LoadOptions {
  readonly showValues: boolean;
  readonly rules: RetainerRules;
  readonly phases?: Phases | undefined;
}

function isReport(file: string): boolean {
  if (file.endsWith('.json')) return true;
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** report.json itself, or the one inside a soak's or check's output folder. */
function reportFile(input: string): string {
  if (!statSync(input).isDirectory()) return input;
  const inside = join(input, CHECK_REPORT_FILE);
  if (!existsSync(inside)) throw new UsageError(`${input}: a folder given to view must hold a ${CHECK_REPORT_FILE}`);
  return inside;
}

export function loadSession(inputs: readonly string[], options: LoadOptions): ViewSession {
  if (inputs.length === 0 || inputs.length > 3) throw new UsageError('view takes 1 to 3 snapshots, or one report');
  for (const input of inputs) if (!existsSync(input)) throw new UsageError(`${input}: no such file or folder`);
  const first = inputs[0]!;
  if (inputs.length === 1 && isReport(first)) return loadReport(reportFile(first), options);
  if (inputs.some(isReport)) throw new UsageError('view takes either snapshots or one report, not both');
  return loadSnapshots(inputs, 'inspect', options, null);
}

function loadSnapshots(
  files: readonly string[],
  mode: ViewMode,
  options: LoadOptions,
  report: ViewReport | null,
): ViewSession {
  const { phases, rules, showValues } = options;
  const base = { files, showValues, report };
  // The analysis' own phases are timed apart from the view's index, so each shows once per computation.
  const explore = (file: string, snapshot = readHeapSnapshot(file, { phases, forAnalysis: true })): HeapView => {
    const analysis = analyzeHeap(snapshot, { rules, phases });
    return phase(phases, 'view index', () => new HeapView(analysis, { showValues }));
  };
  const [a, b, c] = files;
  if (b === undefined) return { ...base, mode, heap: explore(a!), comparison: null, leaks: null };
  if (c === undefined) {
    const baseTable = phase(phases, 'object table', () => objectTable(readHeapSnapshot(a!, { phases })));
    const target = readHeapSnapshot(b, { phases, forAnalysis: true });
    const targetTable = phase(phases, 'object table', () => objectTable(target));
    const comparison = compareSnapshots(baseTable, targetTable);
    return { ...base, mode: 'diff', heap: explore(b, target), comparison, leaks: null };
  }
  const [baseIds, targetIds] = readNodeIdsPair(a!, b, { phases });
  const final = readHeapSnapshot(c, { phases, forAnalysis: true });
  const found = analyzeLeaks({
    files: { base: a!, target: b, final: c },
    baseIds,
    targetIds,
    final,
    rules,
    phases,
    showValues,
  });
  // The page explores FINAL with the leak method's analysis and retainer tree: each is computed once.
  const heap = phase(phases, 'view index', () => new HeapView(found.analysis, { showValues }, found));
  return { ...base, mode: report ? 'report' : 'leaks', heap, comparison: null, leaks: found.report };
}

function loadReport(file: string, options: LoadOptions): ViewSession {
  const report = readReport(file, readFileSync(file, 'utf8'), options.showValues);
  // Snapshot paths in a report are as the soak wrote them: relative ones are taken from the report's folder.
  const at = (path: string): string => (isAbsolute(path) ? path : resolve(dirname(file), path));
  const probe = report.probes.find((p) => p.snapshots && Object.values(p.snapshots).every((s) => existsSync(at(s))));
  if (probe?.snapshots) {
    const { baseline, target, final } = probe.snapshots;
    return loadSnapshots([at(baseline), at(target), at(final)], 'report', options, { ...report, explored: probe.name });
  }
  return {
    mode: 'report',
    files: [file],
    showValues: options.showValues,
    heap: null,
    comparison: null,
    leaks: null,
    report,
  };
}
