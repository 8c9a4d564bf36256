/**
 * merge(): joins the shard reports of one check into one CheckReport (compared with the history and appended
 * there once), or adds up the load reports of several generators. Refuses (MergeError) anything that is not
 * exactly one whole. Never prints; the CLI (src/cli/merge-command.ts) renders and writes.
 */
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CHECK_REPORT_FILE, DEFAULT_HISTORY_WINDOW, DEFAULT_OUT_DIR } from '../constants.js';
import { positiveInteger, take } from '../core/units.js';
import { MergeError, UsageError } from '../errors.js';
import { appendHistory, readHistory } from '../history/store.js';
import type { LoadReport } from '../load/types.js';
import { buildCheckReport, type CheckReport } from './check-report.js';
import { mergeCheckReports } from '../shard/merge-check.js';
import { mergeLoadReports } from '../shard/merge-load.js';
import { validateMerge, type MergeInput, type Sourced } from '../shard/validate.js';
import { compare } from './check.js';
import { checkOutDir } from '../settings/out-dir.js';

export interface MergeOptions {
  out?: string;
  history?: string;
  historyWindow?: string;
  failOnRegression?: boolean;
}

export type Merged =
  | { readonly kind: 'check'; readonly report: CheckReport; readonly outDir: string; readonly count: number }
  | { readonly kind: 'load'; readonly report: LoadReport };

/** A folder stands for the report.json inside it; a file that cannot be read is kept as its error. */
function readInput(arg: string, cwd: string): MergeInput {
  let file = resolve(cwd, arg);
  try {
    if (statSync(file).isDirectory()) file = join(file, CHECK_REPORT_FILE);
    return { source: arg, text: readFileSync(file, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const inFolder =
      file.endsWith(CHECK_REPORT_FILE) && file !== resolve(cwd, arg) ? ` (${CHECK_REPORT_FILE} in the folder)` : '';
    return {
      source: arg,
      error: code === 'ENOENT' ? `no such file${inFolder}` : `cannot be read (${code ?? (error as Error).message})`,
    };
  }
}

function mergeChecks(
  reports: readonly Sourced<CheckReport>[],
  options: MergeOptions,
  cwd: string,
  note: (line: string) => void,
): Merged {
  const problems: string[] = [];
  // The config's settings travel in the shards (the merge reads no config file); flags beat them.
  const fromShard = reports[0]?.report.shard;
  const window =
    options.historyWindow === undefined
      ? (fromShard?.historyWindow ?? DEFAULT_HISTORY_WINDOW)
      : (take(positiveInteger(options.historyWindow), '--history-window', problems) ?? DEFAULT_HISTORY_WINDOW);
  const failOnRegression = options.failOnRegression === true || fromShard?.failOnRegression === true;
  const outDir = resolve(cwd, options.out ?? DEFAULT_OUT_DIR);
  checkOutDir(outDir, '--out', problems);
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  const historyFile = options.history === undefined ? undefined : resolve(cwd, options.history);
  if (historyFile !== undefined) readHistory(historyFile); // unreadable: refused before anything is written
  const merged = mergeCheckReports(reports);
  const compared =
    historyFile === undefined
      ? undefined
      : compare(merged.soak, merged.commit, historyFile, window, failOnRegression, note);
  const report = buildCheckReport(merged.soak, {
    system: merged.system,
    commit: merged.commit,
    configFile: merged.configFile,
    suites: merged.suites,
    history: compared?.history ?? merged.history,
    loads: merged.loads,
    merged: merged.merged ?? undefined,
  });
  // One line for the whole check, however many runners it ran on; never for an interrupted one.
  if (compared && historyFile !== undefined && !report.interrupted) appendHistory(historyFile, compared.current);
  return { kind: 'check', report, outDir, count: reports.length };
}

export function merge(
  inputs: readonly string[],
  options: MergeOptions,
  cwd = process.cwd(),
  note: (line: string) => void = () => undefined,
): Merged {
  const set = validateMerge(inputs.map((arg) => readInput(arg, cwd)));
  switch (set.status) {
    case 'refused':
      throw new MergeError(set.reason);
    case 'check':
      return mergeChecks(set.reports, options, cwd, note);
    case 'load':
      if (options.history !== undefined)
        throw new UsageError('--history: load reports have no history (it is for check reports)');
      return { kind: 'load', report: mergeLoadReports(set.reports.map((r) => r.report)) };
  }
}
