/**
 * `memprobe diff BASE TARGET [FINAL]`: two snapshots give DevTools' comparison per class; three give the
 * leak method (objects new in TARGET that FINAL still holds, grouped by the shape of their retainer path).
 */
import type { Command } from 'commander';
import { diff, parseRules } from '../engine/heap.js';
import { EXIT } from '../errors.js';
import { refuseInputAsOutput } from '../output-file.js';
import { renderComparisonText, renderLeakText } from '../report/heap-text.js';
import { terminalSafe } from '../report/terminal-safe.js';
import { heapProgress } from './heap-progress.js';
import { parseTop, SHOW_VALUES_HELP, writeHeapJson, type HeapFlags } from './inspect-command.js';

export function runDiff(base: string, target: string, final: string | undefined, flags: HeapFlags): number {
  const top = parseTop(flags.top);
  const rules = parseRules(flags.rules);
  refuseInputAsOutput(flags.json, [base, target, ...(final === undefined ? [] : [final])], '--json');
  const progress = heapProgress(flags.verbose === true);
  let result;
  try {
    result = diff(base, target, final, { rules, phases: progress.phases, showValues: flags.showValues === true });
  } finally {
    progress.done();
  }
  const text =
    result.kind === 'comparison'
      ? renderComparisonText(result.report, { top })
      : renderLeakText(result.report, { top });
  process.stdout.write(`${terminalSafe(text)}\n`);
  if (flags.json !== undefined) writeHeapJson(flags.json, result.report);
  return result.kind === 'leaks' && result.report.status === 'leaks' ? EXIT.fail : EXIT.pass;
}

export function registerDiff(program: Command): void {
  program
    .command('diff')
    .summary('compare two heap snapshots, or find leaks with three')
    .description(
      [
        'Two snapshots (BASE TARGET): per class, objects new in TARGET and deleted since BASE, matched by',
        "node id (Chrome DevTools' Comparison view).",
        '',
        'Three snapshots of one process (BASE, then the suspect workload, TARGET, then more of it or idle, FINAL):',
        'objects allocated between BASE and TARGET that are still alive in FINAL, grouped by the shape of their',
        'shortest retainer path in FINAL (indexes, hash-table slots and dictionary keys as [*]: one store, one',
        'cluster, with sample entries by shape: string(24), Object{cookie, user}; --show-values: their characters)',
        'and ranked by retained size. Node and V8 internals (code, feedback,',
        'shapes, internal arrays, system objects, literals, stack-held objects) are ignored.',
        '',
        'Exit codes: 0 compared, or no leak found; 1 leak clusters found (three snapshots);',
        '2 bad usage or a file that is not a readable heap snapshot.',
      ].join('\n'),
    )
    .argument('<base>', 'the first .heapsnapshot')
    .argument('<target>', 'the second .heapsnapshot')
    .argument('[final]', 'a third .heapsnapshot: switches to the leak method')
    .option('--json <file>', 'write the report as JSON to this file')
    .option('--top <n>', 'rows per table (default 20)')
    .option('--rules <rules>', 'retained-size rules: devtools (default) or memlab')
    .option('--show-values', SHOW_VALUES_HELP)
    .action((base: string, target: string, final: string | undefined, flags: HeapFlags, command: Command) => {
      const { verbose } = command.optsWithGlobals<HeapFlags>();
      process.exitCode = runDiff(base, target, final, { ...flags, verbose });
    });
}
