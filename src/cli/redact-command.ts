/**
 * `memprobe redact IN OUT`: a heap snapshot safe to attach to a bug report, with its string values replaced.
 */
import type { Command } from 'commander';
import { formatBytes } from '../core/format.js';
import { EXIT, UsageError } from '../errors.js';
import { redact } from '../engine/heap.js';
import { refuseInputAsOutput } from '../output-file.js';
import { collect } from './options.js';

interface RedactFlags {
  keepValues: string[];
}

function patterns(texts: readonly string[]): RegExp[] {
  return texts.map((text) => {
    try {
      return new RegExp(text);
    } catch (error) {
      throw new UsageError(`--keep-values: '${text}' is not a regular expression (${(error as Error).message})`);
    }
  });
}

export function runRedact(input: string, output: string, flags: RedactFlags): number {
  const keep = patterns(flags.keepValues);
  refuseInputAsOutput(output, [input], 'OUT');
  const summary = redact(input, output, keep);
  process.stdout.write(
    `${output}: ${summary.replaced.toLocaleString('en-US')} of ${summary.strings.toLocaleString('en-US')}` +
      ` strings replaced ` +
      `(${summary.keptAsNames.toLocaleString('en-US')} values kept because they are also names); ` +
      `${formatBytes(summary.bytesIn)} -> ${formatBytes(summary.bytesOut)}\n`,
  );
  return EXIT.pass;
}

export function registerRedact(program: Command): void {
  program
    .command('redact')
    .summary('copy a heap snapshot with its string values replaced, safe to share')
    .description(
      [
        'Writes OUT: the same snapshot (graph, node ids, sizes, retained sizes) with every string value (string,',
        'concatenated and sliced string nodes, which include script sources) replaced by a placeholder of its length',
        'class (<redacted>*** of the next power of two). Names are kept so leak analysis still works: classes,',
        'functions, properties, variables, and a value that is also used as a name (a dictionary keyed by it).',
        'Exit codes: 0 written; 2 bad usage, an unreadable snapshot, or an output that cannot be written.',
      ].join('\n'),
    )
    .argument('<in>', 'the heap snapshot to redact')
    .argument('<out>', 'where to write the redacted copy (not the input)')
    .option('--keep-values <regexp>', 'keep values matching this regular expression; repeatable', collect, [])
    .action((input: string, output: string, flags: RedactFlags) => {
      process.exitCode = runRedact(input, output, flags);
    });
}
