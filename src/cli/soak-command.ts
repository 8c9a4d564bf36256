/**
 * `memprobe soak [probe...]` and `memprobe soak -- node server.js`: check every option, run, print and write the report.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config/load-config.js';
import { parseDuration, parseRequestRate } from '../config/units.js';
import { DEFAULT_DRIVE_RATE, DEFAULT_DURATION_MS, DEFAULT_LISTEN_TIMEOUT_MS, DEFAULT_OUT_DIR, DEFAULT_SAMPLE_INTERVAL_MS, DEFAULT_STALL_TIMEOUT_MS, GC_SHARE_TARGET } from '../constants.js';
import { ConfigError } from '../errors.js';
import { renderSoakText } from '../report/text.js';
import { resolveProbes } from '../runner/resolve-probes.js';
import { soak, splitTime } from '../runner/soak.js';
import { exitCodeFor } from './exit.js';
import { withInterrupt } from './interrupt.js';
import { createProgress } from './progress.js';
import { checkOutDir, collect, pruneSnapshots, soakOptions, soakSettings, take, type SharedSoakFlags } from './soak-options.js';
import { resolveDriver, soakProgramReport } from './soak-program.js';
import { writeReportFile } from './write-file.js';
import { terminalSafe } from '../report/terminal-safe.js';

interface SoakFlags extends SharedSoakFlags {
  json?: string;
  config?: string;
  out?: string;
  drive?: string;
  rate?: string;
  listenTimeout?: string;
  progress: boolean;
  verbose?: boolean;
}

/** Program mode: everything after `--` on the command line, or null. */
function programAfterDashes(argv: readonly string[]): string[] | null {
  const soakAt = argv.indexOf('soak');
  const dashes = argv.indexOf('--', soakAt);
  return soakAt >= 0 && dashes > soakAt ? argv.slice(dashes + 1) : null;
}

export async function runSoak(names: string[], flags: SoakFlags, program: string[] | null = null): Promise<number> {
  const cwd = process.cwd();
  const config = await loadConfig(cwd, flags.config);
  const problems: string[] = [];
  const settings = soakSettings(flags, config, cwd, problems);
  const listenTimeoutMs = flags.listenTimeout === undefined ? DEFAULT_LISTEN_TIMEOUT_MS : take(parseDuration(flags.listenTimeout), '--listen-timeout', problems);
  if (program !== null && program.length === 0) problems.push('name the program to soak after -- (memprobe soak -- node server.js)');
  if (program !== null && names.length > 0) problems.push(`give probes or a program after --, not both (${names.join(' ')})`);
  if (program === null && flags.drive !== undefined) problems.push('--drive needs a program after -- (memprobe soak --drive ./driver.mjs -- node server.js)');
  const rate = flags.rate === undefined ? undefined : take(parseRequestRate(flags.rate), '--rate', problems);
  if (rate !== undefined && !/^https?:\/\//.test(flags.drive ?? '')) problems.push('--rate goes with --drive URL');
  const outDir = resolve(flags.out ?? DEFAULT_OUT_DIR);
  checkOutDir(outDir, '--out', problems);
  if (problems.length > 0) throw new ConfigError(problems, 'invalid options');
  const driver = flags.drive === undefined ? undefined : resolveDriver(flags.drive, cwd);
  const probes = program !== null ? [] : resolveProbes(names.length > 0 ? names : (config?.probes ?? []), cwd);

  const split = splitTime(settings.durationMs, probes.length, settings.warmupMs);
  const progress = flags.progress ? createProgress(split.windowMs, process.stderr, { probes: Math.max(1, probes.length), warmupMs: split.warmupMs }) : undefined;
  try {
    let report = await withInterrupt((signal) =>
      program !== null
        ? soakProgramReport({
            command: program,
            durationMs: settings.durationMs,
            warmupMs: settings.warmupMs,
            sampleIntervalMs: settings.sampleIntervalMs,
            listenTimeoutMs: listenTimeoutMs ?? DEFAULT_LISTEN_TIMEOUT_MS,
            driver,
            rate,
            snapshotDir: settings.snapshots !== false ? outDir : undefined,
            redactSnapshots: settings.redactSnapshots,
            profile: settings.profile,
            outDir,
            layers: settings.layers,
            signal,
            onMessage: (message) => progress?.onMessage(program.join(' '), message),
          })
        : soak(soakOptions(probes, settings, { outDir: flags.out, signal, onMessage: progress?.onMessage, verbose: flags.verbose })),
    );
    if (settings.snapshots === 'on-fail') report = pruneSnapshots(report);
    progress?.done();
    process.stdout.write(`${terminalSafe(renderSoakText(report))}\n`);
    if (flags.json !== undefined) {
      const path = writeReportFile(flags.json, `${JSON.stringify(report, null, 2)}\n`);
      process.stderr.write(`report written to ${path}\n`);
    }
    return exitCodeFor(report.verdict, report.interrupted);
  } finally {
    progress?.done();
  }
}

export function registerSoak(program: Command): void {
  program
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
        '`soak --duration 30s` with 3 probes gives each 10 s (2 s warm-up + 8 s of samples).',
        '',
        'Exit codes: 0 all budgets met; 1 a budget broken, out of memory, or no verdict (too few samples);',
        '2 bad usage, a broken probe, a crash or a hang; 130 interrupted (the partial report is still written).',
      ].join('\n'),
    )
    .argument('[probes...]', 'built-in probe names or probe files (default: all built-in probes)')
    .option('-d, --duration <time>', `total soak time, shared between probes (default ${DEFAULT_DURATION_MS / 1000}s)`)
    .option('--warmup <time>', 'warm-up per probe before the baseline (default 2s, at most a fifth of its share)')
    .option('--interval <time>', `time between forced-GC samples, stretched to keep forced GC under ${GC_SHARE_TARGET * 100}% of wall time (default ${DEFAULT_SAMPLE_INTERVAL_MS}ms)`)
    .option('-b, --budget <name=value>', 'override a budget, repeatable: growthRate=16KB/s, perItem=2KB, gcRecovery=20%', collect, [])
    .option('--json <file>', 'write the report as JSON to this file')
    .option('-c, --config <file>', 'config file (default: memprobe.config.mjs/.js/.json in this folder)')
    .option('--max-old-space-size <MB>', "the child's V8 old-space limit, as node's flag")
    .option('--timeout <time>', `kill a child that sends nothing for this long (default ${DEFAULT_STALL_TIMEOUT_MS / 1000}s)`)
    .option('--target <module>', 'run the built-in probes against this service module instead of the reference one')
    .option('--connections <n>', 'WebSocket connections for the ws-fanout probe (default 100)')
    .option('-o, --option <key=value>', 'an option for the probes (context.options), repeatable', collect, [])
    .option('--snapshots', 'write baseline, mid-soak and final heap snapshots (mode 0600) into --out')
    .option('--redact', 'with --snapshots: write them redacted (string values replaced, as memprobe redact)')
    .option('--profile <kinds>', 'record profiles over the soak window: heap (allocation sites of memory that survives), cpu; repeatable or comma-separated', collect, [])
    .option('--out <dir>', `folder for profiles (default ${DEFAULT_OUT_DIR})`)
    .option('--drive <url|module>', 'program mode: traffic from its own process: GET http://127.0.0.1:{port}/path at --rate, or a driver module: export default async ({ port, baseUrl, signal }) => ...')
    .option('--rate <n/s>', `program mode with --drive URL: requests per second, open model (default ${DEFAULT_DRIVE_RATE}/s)`)
    .option('--listen-timeout <time>', `program mode with --drive: how long the program may take to listen on PORT (default ${DEFAULT_LISTEN_TIMEOUT_MS / 1000}s)`)
    .option('--no-progress', 'no progress line on stderr')
    .action(async (names: string[], flags: SoakFlags, command: Command) => {
      const globals = command.optsWithGlobals<{ verbose?: boolean }>();
      const program = programAfterDashes(process.argv);
      const probeNames = program === null ? names : names.slice(0, Math.max(0, names.length - program.length));
      process.exitCode = await runSoak(probeNames, { ...flags, verbose: globals.verbose ?? false }, program);
    });
}
