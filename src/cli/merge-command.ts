/**
 * `memprobe merge`: joins the shard reports of one check (report.json files, or folders holding one) into
 * the four reports of one run, compares it with the history and appends it once; or adds up the load
 * reports of several generators. Refuses (exit 2, one line) anything that is not exactly one whole.
 */
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_OUT_DIR } from '../constants.js';
import { MergeError, UsageError } from '../errors.js';
import { DEFAULT_HISTORY_WINDOW } from '../history/regressions.js';
import { appendHistory, readHistory } from '../history/store.js';
import { buildCheckReport } from '../report/check-report.js';
import { renderCheckText } from '../report/check-text.js';
import { renderLoadText } from '../report/load-text.js';
import { terminalSafe } from '../report/terminal-safe.js';
import { mergeCheckReports } from '../shard/merge-check.js';
import { mergeLoadReports } from '../shard/merge-load.js';
import { validateMerge, type MergeInput, type Sourced } from '../shard/validate.js';
import type { CheckReport } from '../report/check-report.js';
import type { LoadReport } from '../load/types.js';
import { CHECK_FILES, compare, writeReports } from './check-command.js';
import { exitCodeFor } from './exit.js';
import { exitCodeForLoad } from './load-command.js';
import { checkOutDir, positiveInteger, take } from './soak-options.js';
import { writeReportFile } from './write-file.js';

interface MergeFlags {
  out?: string;
  history?: string;
  historyWindow?: string;
  failOnRegression?: boolean;
  json?: string;
}

/** A folder stands for the report.json inside it; a file that cannot be read is kept as its error. */
function readInput(arg: string, cwd: string): MergeInput {
  let file = resolve(cwd, arg);
  try {
    if (statSync(file).isDirectory()) file = join(file, CHECK_FILES.json);
    return { source: arg, text: readFileSync(file, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { source: arg, error: code === 'ENOENT' ? `no such file${file.endsWith(CHECK_FILES.json) && file !== resolve(cwd, arg) ? ` (${CHECK_FILES.json} in the folder)` : ''}` : `cannot be read (${code ?? (error as Error).message})` };
  }
}

function mergeChecks(reports: readonly Sourced<CheckReport>[], flags: MergeFlags, cwd: string): number {
  const problems: string[] = [];
  // The config's settings travel in the shards (the merge reads no config file); flags beat them.
  const fromShard = reports[0]?.report.shard;
  const window = flags.historyWindow === undefined
    ? (fromShard?.historyWindow ?? DEFAULT_HISTORY_WINDOW)
    : (take(positiveInteger(flags.historyWindow), '--history-window', problems) ?? DEFAULT_HISTORY_WINDOW);
  const failOnRegression = flags.failOnRegression === true || fromShard?.failOnRegression === true;
  const outDir = resolve(cwd, flags.out ?? DEFAULT_OUT_DIR);
  checkOutDir(outDir, '--out', problems);
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  const historyFile = flags.history === undefined ? undefined : resolve(cwd, flags.history);
  if (historyFile !== undefined) readHistory(historyFile); // unreadable: refused before anything is written
  const merged = mergeCheckReports(reports);
  const compared = historyFile === undefined ? undefined : compare(merged.soak, merged.commit, historyFile, window, failOnRegression);
  const report = buildCheckReport(merged.soak, {
    system: merged.system,
    commit: merged.commit,
    configFile: merged.configFile,
    suites: merged.suites,
    history: compared?.history ?? merged.history,
    loads: merged.loads,
    merged: merged.merged ?? undefined,
  });
  process.stdout.write(`${terminalSafe(renderCheckText(report))}\n`);
  writeReports(outDir, report);
  // One line for the whole check, however many runners it ran on; never for an interrupted one.
  if (compared && historyFile !== undefined && !report.interrupted) appendHistory(historyFile, compared.current);
  if (flags.json !== undefined) writeReportFile(flags.json, `${JSON.stringify(report, null, 2)}\n`);
  process.stderr.write(`merged ${reports.length} report${reports.length === 1 ? '' : 's'} into ${outDir}: ${Object.values(CHECK_FILES).join(', ')}\n`);
  return exitCodeFor(report.verdict, report.interrupted);
}

function mergeLoads(reports: readonly Sourced<LoadReport>[], flags: MergeFlags, cwd: string): number {
  if (flags.history !== undefined) throw new UsageError('--history: load reports have no history (it is for check reports)');
  const report = mergeLoadReports(reports.map((r) => r.report));
  process.stdout.write(`${terminalSafe(renderLoadText(report))}\n`);
  const files = [flags.json, flags.out === undefined ? undefined : join(resolve(cwd, flags.out), 'load.json')].filter((f): f is string => f !== undefined);
  for (const file of files) process.stderr.write(`report written to ${writeReportFile(file, `${JSON.stringify(report, null, 2)}\n`)}\n`);
  return exitCodeForLoad(report.status);
}

export function runMerge(inputs: readonly string[], flags: MergeFlags): number {
  const cwd = process.cwd();
  const set = validateMerge(inputs.map((arg) => readInput(arg, cwd)));
  switch (set.status) {
    case 'refused':
      throw new MergeError(set.reason);
    case 'check':
      return mergeChecks(set.reports, flags, cwd);
    case 'load':
      return mergeLoads(set.reports, flags, cwd);
  }
}

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .summary('join the shard reports of a check (or the load reports of several generators) into one run')
    .description(
      [
        'Reads the report.json of every shard of a check (`memprobe check --shard i/n`;',
        'files, or folders holding one) and writes report.json, junit.xml, summary.md and',
        'report.html of the whole check into --out, then compares it with --history and',
        'appends it there once. The exit code is the whole check\'s (0/1/2 as check).',
        '',
        'Load reports (`memprobe load --json`, one per generator, or --shard i/n) of one',
        'scenario are added up: their HDR histograms are added, so the percentiles are',
        'exact; counts and throughput are summed. Written with --json (or --out/load.json).',
        '',
        'Refused with exit 2: a missing or duplicate shard, shards of different configs',
        'or commits, files that are unreadable, truncated or not memprobe reports.',
      ].join('\n'),
    )
    .argument('<reports...>', 'report.json files or folders holding one (check shards), or load --json files')
    .option('--out <dir>', `folder for the merged reports (default ${DEFAULT_OUT_DIR})`)
    .option('--history <file>', 'compare the merged check with this JSON-lines history, then append it once')
    .option('--history-window <n>', `earlier runs to compare with (default ${DEFAULT_HISTORY_WINDOW})`)
    .option('--fail-on-regression', 'a regression against the history fails the merged check (exit 1)')
    .option('--json <file>', 'also write the merged report as JSON to this file')
    .action((inputs: string[], flags: MergeFlags) => {
      process.exitCode = runMerge(inputs, flags);
    });
}
