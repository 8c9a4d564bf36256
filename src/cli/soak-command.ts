/**
 * `memprobe soak [probe...]` and `memprobe soak -- node server.js`: check every option, run, print and write the
 * report.
 */
import type { Command } from 'commander';
import { DEFAULT_DRIVE_RATE, DEFAULT_LISTEN_TIMEOUT_MS, DEFAULT_OUT_DIR } from '../constants.js';
import type { CheckReport } from '../engine/check-report.js';
import { soak, soakReportForFormats, type SoakInput } from '../engine/soak.js';
import { UsageError } from '../errors.js';
import { CHECK_FORMATS, type ReportFormat } from '../report/formats.js';
import { renderJson } from '../report/json.js';
import { terminalSafe } from '../report/terminal-safe.js';
import { renderSoakText } from '../report/text.js';
import { exitCodeFor } from './exit.js';
import { withInterrupt } from './interrupt.js';
import { addSoakSettings, collect } from './options.js';
import { createProgress } from './progress.js';
import { writeReportFile } from './write-file.js';
import { checkOutputFile } from '../settings/out-dir.js';

interface SoakFlags extends Omit<SoakInput, 'probes' | 'program'> {
  json?: string;
  report: string[];
  progress: boolean;
  verbose?: boolean;
}

/** Program mode: everything after `--` on the command line, or null. */
function programAfterDashes(argv: readonly string[]): string[] | null {
  const soakAt = argv.indexOf('soak');
  const dashes = argv.indexOf('--', soakAt);
  return soakAt >= 0 && dashes > soakAt ? argv.slice(dashes + 1) : null;
}

/** `--report html=report.html`: a format of the registry and its file; a usage error names the known ones. */
function reportRequests(values: readonly string[]): Array<{ format: ReportFormat<CheckReport>; file: string }> {
  return values.map((value) => {
    const eq = value.indexOf('=');
    const format = CHECK_FORMATS.find((f) => f.name === value.slice(0, eq));
    if (eq <= 0 || eq === value.length - 1 || !format) {
      const known = CHECK_FORMATS.map((f) => f.name).join(', ');
      throw new UsageError(`--report '${value}': expected format=file with format one of ${known}`);
    }
    return { format, file: value.slice(eq + 1) };
  });
}

export async function runSoak(names: string[], flags: SoakFlags, program: string[] | null = null): Promise<number> {
  const requested = reportRequests(flags.report);
  const problems: string[] = [];
  checkOutputFile(flags.json, '--json', problems);
  for (const { file } of requested) checkOutputFile(file, '--report', problems);
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  const report = await withInterrupt((signal) =>
    soak(
      { ...flags, probes: names, program },
      {
        signal,
        verbose: flags.verbose,
        progress: flags.progress ? (plan) => createProgress(plan.windowMs, process.stderr, plan) : undefined,
      },
    ),
  );
  process.stdout.write(`${terminalSafe(renderSoakText(report))}\n`);
  if (flags.json !== undefined) {
    const path = writeReportFile(flags.json, renderJson(report));
    process.stderr.write(`report written to ${path}\n`);
  }
  if (requested.length > 0) {
    const asCheck = soakReportForFormats(report);
    for (const { format, file } of requested) {
      process.stderr.write(`report written to ${writeReportFile(file, format.render(asCheck))}\n`);
    }
  }
  return exitCodeFor(report.verdict, report.interrupted);
}

export function registerSoak(program: Command): void {
  const command = program
    .command('soak')
    .summary('soak probes in a controlled child and check memory budgets')
    .description(
      [
        'Runs each probe in its own child process (node --expose-gc --no-concurrent-array-buffer-sweeping,',
        'so external memory is exact after a GC; V8 inlining off under --profile heap): setup, warm-up, a',
        'forced-GC baseline, iterations back to back with a forced-GC sample every interval, teardown, and a',
        'final sample. Then checks growth of the post-GC JS heap and external memory (bytes/s with a 95%',
        'interval; a fail needs the 99.9% interval to clear the bar), memory per held item and GC recovery',
        'against budgets.',
        '',
        'Probes are built-in names or files (.js, .mjs, .ts) whose default export is defineProbe({...}).',
        'With no probe, every built-in probe runs against the embedded reference notification service.',
        '',
        '--duration is the TOTAL time, shared equally between the probes, warm-up included:',
        '`soak --duration 30s` with 3 probes gives each 10 s (2 s warm-up + 8 s of samples); at the end the',
        'samples are weighed once, and when they prove growth three snapshots 10 s apart name what stays.',
        'Without --duration each probe, or the program (`soak -- node server.js`), runs until its evidence',
        'decides whether it leaks (each at most --max-duration): the warm-up is found in the samples, and',
        'snapshots name a leak.',
        '',
        'A running process (--pid PID or --attach HOST:PORT) is soaked the same way under the traffic it already',
        'gets (or --drive URL): it is left as found, at the end, on Ctrl-C, and (by a watchdog memprobe puts into',
        'it) when memprobe is killed. --gentle forces no GC and takes no snapshot unless --snapshots: for',
        'production. See docs/guides/running-process.md.',
        '',
        'Exit codes: 0 all budgets met and no leak; 1 a leak found, a budget broken, out of memory, or no',
        'verdict (too few samples);',
        '2 bad usage, a broken probe, a crash or a hang; 130 interrupted (the partial report is still written).',
      ].join('\n'),
    )
    .argument('[probes...]', 'built-in probe names or probe files (default: all built-in probes)');
  addSoakSettings(command)
    .option('--json <file>', 'write the report as JSON to this file')
    .option(
      '--report <format=file>',
      `also write the report in a format of memprobe check (${CHECK_FORMATS.map((f) => f.name).join(', ')}` +
        `), repeatable`,
      collect,
      [],
    )
    .option('-c, --config <file>', 'config file (default: memprobe.config.mjs/.js/.json in this folder)')
    .option('--out <dir>', `folder for profiles and heap snapshots (default ${DEFAULT_OUT_DIR})`)
    .option(
      '--drive <url|module>',
      'program mode: traffic from its own process: GET http://127.0.0.1:{port}/path at --rate, or a driver' +
        ' module: export default async ({ port, baseUrl, signal }) => ...',
    )
    .option(
      '--rate <n/s>',
      `program mode with --drive URL: requests per second, open model (default ${DEFAULT_DRIVE_RATE}/s)`,
    )
    .option(
      '--listen-timeout <time>',
      `program mode with --drive: how long the program may take to listen on PORT (default ` +
        `${DEFAULT_LISTEN_TIMEOUT_MS / 1000}s)`,
    )
    .option(
      '--pid <pid>',
      'soak a running Node process under its own traffic: its inspector is opened with SIGUSR1 (127.0.0.1:9229) and' +
        ' closed afterwards when memprobe opened it; memprobe removes all it put in the process',
    )
    .option(
      '--attach <host:port|ws-url>',
      'soak the running process whose inspector listens there (started with --inspect, or a port forwarded to' +
        ' 127.0.0.1 from a container); its inspector stays open, memprobe removes all it put in the process',
    )
    .option('--no-progress', 'no progress line on stderr')
    .action(async (names: string[], flags: SoakFlags, command: Command) => {
      const globals = command.optsWithGlobals<{ verbose?: boolean }>();
      const program = programAfterDashes(process.argv);
      const probeNames = program === null ? names : names.slice(0, Math.max(0, names.length - program.length));
      process.exitCode = await runSoak(probeNames, { ...flags, verbose: globals.verbose ?? false }, program);
    });
}
