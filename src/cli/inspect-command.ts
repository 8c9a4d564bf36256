/**
 * `memprobe inspect FILE`: what a heap snapshot holds, by class and by object.
 */
import type { Command } from 'commander';
import { inspect, parseRules } from '../engine/heap-inspect.js';
import { UsageError } from '../errors.js';
import { refuseInputAsOutput } from '../output-file.js';
import { renderJson } from '../report/json.js';
import { renderInspectText } from '../report/heap-text.js';
import { heapProgress } from './heap-progress.js';
import { writeReportFile } from './write-file.js';
import { terminalSafe } from '../report/terminal-safe.js';

/** The help of every command's --show-values. */
export const SHOW_VALUES_HELP =
  'show heap keys and string values (cut short) in samples and paths; by default only their kind and length ' +
  '(string(24)), as reports end up in CI logs';

/** Rows per table in the text output when `--top` is not given. */
export const DEFAULT_HEAP_TOP = 20;

export interface HeapFlags {
  json?: string;
  top?: string;
  rules?: string;
  /** `--show-values`: keys and string values as their characters, not their kind and length. */
  showValues?: boolean;
  /** The program's --verbose: a line per phase on stderr. */
  verbose?: boolean;
}

export function parseTop(text: string | undefined): number {
  if (text === undefined) return DEFAULT_HEAP_TOP;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new UsageError(`--top: '${text}' is not a positive whole number`);
  return value;
}

/** Heap reports hold strings from the heap (tokens, passwords): private to the user, like the snapshots. */
export function writeHeapJson(file: string, report: unknown): void {
  const path = writeReportFile(file, renderJson(report), { private: true });
  process.stderr.write(`report written to ${path}\n`);
}

export function runInspect(file: string, flags: HeapFlags): number {
  const top = parseTop(flags.top);
  const rules = parseRules(flags.rules);
  refuseInputAsOutput(flags.json, [file], '--json');
  const progress = heapProgress(flags.verbose === true);
  let report;
  try {
    report = inspect(file, { rules, phases: progress.phases, showValues: flags.showValues === true });
  } finally {
    progress.done();
  }
  process.stdout.write(`${terminalSafe(renderInspectText(report, { top }))}\n`);
  if (flags.json !== undefined) writeHeapJson(flags.json, report);
  return 0;
}

export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .summary('summarize a heap snapshot: classes and largest objects by retained size')
    .description(
      [
        'Reads a .heapsnapshot (any size: it is streamed, never parsed as one string) and prints totals,',
        'the constructors that retain the most memory and the largest objects with the shortest path',
        'from a root that keeps each alive. Retained sizes follow Chrome DevTools (--rules memlab: memlab 2.0.5).',
        '',
        '--json holds every constructor {name, count, selfSize, retainedSize} and the 50 largest objects',
        '{id, name, type, selfSize, retainedSize, path}. Strings are named by kind and length (string(24)) unless',
        '--show-values; the file is written 0600 all the same.',
        '',
        'Exit codes: 0 read; 2 bad usage or a file that is not a readable heap snapshot.',
      ].join('\n'),
    )
    .argument('<file>', 'a .heapsnapshot file')
    .option('--json <file>', 'write the report as JSON to this file')
    .option('--top <n>', `rows per table (default ${DEFAULT_HEAP_TOP})`)
    .option('--rules <rules>', 'retained-size rules: devtools (default) or memlab')
    .option('--show-values', SHOW_VALUES_HELP)
    .action((file: string, flags: HeapFlags, command: Command) => {
      process.exitCode = runInspect(file, { ...flags, verbose: command.optsWithGlobals<HeapFlags>().verbose });
    });
}
