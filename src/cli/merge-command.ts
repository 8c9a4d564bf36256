/**
 * `memprobe merge`: joins the shard reports of one check (report.json files, or folders holding one) into
 * the four reports of one run, compares it with the history and appends it once; or adds up the load
 * reports of several generators. Refuses (exit 2, one line) anything that is not exactly one whole.
 */
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_HISTORY_WINDOW, DEFAULT_OUT_DIR } from '../constants.js';
import { merge, type MergeOptions } from '../engine/merge.js';
import { renderCheckText } from '../report/check-text.js';
import { CHECK_FORMATS, writeFormats } from '../report/formats.js';
import { renderJson } from '../report/json.js';
import { renderLoadText } from '../report/load-text.js';
import { terminalSafe } from '../report/terminal-safe.js';
import { exitCodeFor, exitCodeForLoad } from './exit.js';
import { writeReportFile } from './write-file.js';

interface MergeFlags extends MergeOptions {
  json?: string;
}

export function runMerge(inputs: readonly string[], flags: MergeFlags): number {
  const cwd = process.cwd();
  const merged = merge(inputs, flags, cwd, (line) => process.stderr.write(`${terminalSafe(line)}\n`));
  if (merged.kind === 'check') {
    const { report, outDir, count } = merged;
    process.stdout.write(`${terminalSafe(renderCheckText(report))}\n`);
    const written = writeFormats(outDir, CHECK_FORMATS, report, writeReportFile);
    if (flags.json !== undefined) writeReportFile(flags.json, renderJson(report));
    process.stderr.write(`merged ${count} report${count === 1 ? '' : 's'} into ${outDir}: ${written.join(', ')}\n`);
    return exitCodeFor(report.verdict, report.interrupted);
  }
  process.stdout.write(`${terminalSafe(renderLoadText(merged.report))}\n`);
  const files = [flags.json, flags.out === undefined ? undefined : join(resolve(cwd, flags.out), 'load.json')].filter(
    (f): f is string => f !== undefined,
  );
  for (const file of files)
    process.stderr.write(`report written to ${writeReportFile(file, renderJson(merged.report))}\n`);
  return exitCodeForLoad(merged.report.status);
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
        "appends it there once. The exit code is the whole check's (0/1/2 as check).",
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
