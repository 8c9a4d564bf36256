/**
 * `memprobe check`: the nightly leak check's command line. Parses the flags, calls the engine's check(), prints
 * the text report, writes the report formats into the out folder and exits with the verdict's code.
 */
import type { Command } from 'commander';
import { DEFAULT_DURATION_MS, DEFAULT_HISTORY_WINDOW, DEFAULT_OUT_DIR } from '../constants.js';
import { check, type CheckInput } from '../engine/check.js';
import { renderCheckText } from '../report/check-text.js';
import { CHECK_FORMATS, writeFormats } from '../report/formats.js';
import { renderJson } from '../report/json.js';
import { terminalSafe } from '../report/terminal-safe.js';
import { exitCodeFor } from './exit.js';
import { withInterrupt } from './interrupt.js';
import { createLoadProgress } from './load-progress.js';
import { addSoakSettings } from './options.js';
import { createProgress } from './progress.js';
import { writeReportFile } from './write-file.js';

interface CheckFlags extends CheckInput {
  json?: string;
  progress: boolean;
}

export async function runCheck(flags: CheckFlags): Promise<number> {
  const show = flags.progress;
  const { report, outDir } = await withInterrupt((signal) =>
    check(flags, {
      signal,
      verbose: flags.verbose,
      note: (line) => process.stderr.write(`${terminalSafe(line)}\n`),
      progress: show ? (plan) => createProgress(plan.windowMs, process.stderr, plan) : undefined,
      loadProgress: show ? () => createLoadProgress() : undefined,
    }),
  );
  process.stdout.write(`${terminalSafe(renderCheckText(report))}\n`);
  const written = writeFormats(outDir, CHECK_FORMATS, report, writeReportFile);
  if (flags.json !== undefined) writeReportFile(flags.json, renderJson(report));
  process.stderr.write(`reports written to ${outDir}: ${written.join(', ')}\n`);
  return exitCodeFor(report.verdict, report.interrupted);
}

export function registerCheck(program: Command): void {
  const command = program
    .command('check')
    .summary('nightly leak check: config file, suites, JUnit/JSON/Markdown/HTML reports, history and regressions')
    .description(
      [
        'Runs the probes of the config file (memprobe.config.mjs/.js/.json here, or',
        '--config FILE), or those of the suites named with --suites, through the same',
        'engine as `memprobe soak`, then the programs (`programs`) and load runs (`load`)',
        'it names, and writes into the out folder (default',
        `${DEFAULT_OUT_DIR}): report.json, junit.xml, summary.md (for $GITHUB_STEP_SUMMARY)`,
        'and report.html (one self-contained page with charts).',
        '',
        '--history FILE compares each probe metric with the median of the last runs',
        `(--history-window, default ${DEFAULT_HISTORY_WINDOW}); a rise beyond their noise is a regression,`,
        'reported, and failing the check with --fail-on-regression. Then the run is',
        'appended to FILE (JSON lines).',
        '',
        '--duration is the TOTAL time, shared equally between the probes',
        `(default: the config's, else ${DEFAULT_DURATION_MS / 1000}s).`,
        '',
        '--shard i/n runs share i of n on this runner: probes, programs and loads are',
        'split by expected time (longest first), each probe keeping its share of the',
        'whole --duration, so a shard takes about 1/n of the time. A shard writes its',
        'reports (report.json carries shard, configHash and commit) and never touches',
        'the history: `memprobe merge` joins the shards and appends the history once.',
        '',
        'Exit codes: 0 all budgets met; 1 a budget broken, out of memory, no verdict,',
        'a load run failed, or a regression with --fail-on-regression; 2 bad usage or config, a broken',
        'probe, a crash or a hang; 130 interrupted (the partial reports are still',
        'written; the run is not added to the history).',
      ].join('\n'),
    )
    .option('-c, --config <file>', 'config file (default: memprobe.config.mjs/.js/.json in this folder)')
    .option('-s, --suites <names...>', 'run only these suites of the config file')
    .option('--out <dir>', `folder for the reports (default: the config's outDir, else ${DEFAULT_OUT_DIR})`)
    .option('--history <file>', 'append this run to a JSON-lines history file and compare it with the earlier runs')
    .option('--history-window <n>', `earlier runs to compare with (default ${DEFAULT_HISTORY_WINDOW})`)
    .option('--fail-on-regression', 'a regression against the history fails the check (exit 1)')
    .option('--json <file>', 'also write report.json to this file')
    .option(
      '--shard <i/n>',
      'run share i of n (split by expected time), write its reports, never touch the history; join them with' +
        ' memprobe merge',
    );
  addSoakSettings(command)
    .option('--no-progress', 'no progress line on stderr')
    .action(async (flags: CheckFlags, command: Command) => {
      const globals = command.optsWithGlobals<{ verbose?: boolean }>();
      process.exitCode = await runCheck({ ...flags, verbose: globals.verbose ?? false });
    });
}
