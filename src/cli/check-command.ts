/**
 * `memprobe check`: the nightly leak check. Runs the probes the config file names (or some of its suites)
 * through the same soak() engine as `memprobe soak`, writes report.json, junit.xml, summary.md and
 * report.html into the out folder, and compares the run with a history file.
 */
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig, type LoadedConfig } from '../settings/load-config.js';
import { DEFAULT_DURATION_MS, DEFAULT_LISTEN_TIMEOUT_MS, DEFAULT_OUT_DIR } from '../constants.js';
import { ConfigError, UsageError } from '../errors.js';
import { historyRunFromReport } from '../history/record.js';
import { compareWithHistory, DEFAULT_HISTORY_WINDOW } from '../history/regressions.js';
import { appendHistory, gitCommit, readHistory } from '../history/store.js';
import { resolveLoadOptions, type LoadOptions } from '../load/options.js';
import { runLoad } from '../load/run-load.js';
import type { LoadReport } from '../load/types.js';
import { buildCheckReport, type CheckHistory, type CheckReport } from '../report/check-report.js';
import { renderCheckText } from '../report/check-text.js';
import { renderHtml } from '../report/html.js';
import { renderJunit } from '../report/junit.js';
import { renderMarkdown } from '../report/markdown.js';
import { collectSystemInfo } from '../report/system-info.js';
import { resolveProbes } from '../runner/resolve-probes.js';
import { assembleReport, soak, splitTime } from '../runner/soak.js';
import { VERSION } from '../version.js';
import { soakProgramReport } from './soak-program.js';
import type { HistoryRun } from '../history/types.js';
import type { SoakReport } from '../types.js';
import { exitCodeFor } from './exit.js';
import { withInterrupt } from './interrupt.js';
import { createLoadProgress, QUIET_LOAD } from './load-progress.js';
import { createProgress } from './progress.js';
import { checkOutDir, collect, positiveInteger, pruneSnapshots, soakOptions, soakSettings, take, type SharedSoakFlags, type SoakSettings } from './soak-options.js';
import { writeReportFile } from './write-file.js';
import { terminalSafe } from '../report/terminal-safe.js';
import { parseShard, type ShardSpec } from '../shard/split.js';
import { chooseShard, type ShardChoice } from './check-shard.js';

interface CheckFlags extends SharedSoakFlags {
  config?: string;
  suites?: string[];
  out?: string;
  history?: string;
  historyWindow?: string;
  failOnRegression?: boolean;
  json?: string;
  shard?: string;
  progress: boolean;
  verbose?: boolean;
}

/** The files written into the out folder, in the order they are written. */
export const CHECK_FILES = { json: 'report.json', junit: 'junit.xml', markdown: 'summary.md', html: 'report.html' } as const;

interface Selection {
  /** Probe files to run, in order, without duplicates. */
  readonly files: string[];
  /** The suites that ran: name -> probe files. */
  readonly suites: Record<string, string[]>;
}

/** `--suites a b`: those suites; none: `probes` then every suite's probes; nothing configured: every built-in probe. */
function selectProbes(config: LoadedConfig | undefined, wanted: readonly string[], cwd: string): Selection {
  const all = config?.suites ?? {};
  const suiteNames = wanted.length > 0 ? wanted : Object.keys(all);
  const names = [...new Set([...(wanted.length > 0 ? [] : (config?.probes ?? [])), ...suiteNames.flatMap((name) => all[name] ?? [])])];
  // Nothing named: every built-in probe, unless the config soaks programs or runs loads instead.
  if (names.length === 0) return { files: config?.programs.length || config?.loads.length ? [] : resolveProbes([], cwd), suites: {} };
  // One call, so every unknown name of every suite is reported at once.
  const files = resolveProbes(names, cwd);
  const fileOf = new Map(names.map((name, i) => [name, files[i]!]));
  const suites = Object.fromEntries(suiteNames.map((name) => [name, (all[name] ?? []).map((n) => fileOf.get(n)!)]));
  return { files: [...new Set(files)], suites };
}

function checkSuiteNames(config: LoadedConfig | undefined, wanted: readonly string[], problems: string[]): void {
  const known = Object.keys(config?.suites ?? {});
  for (const name of wanted) {
    if (known.includes(name)) continue;
    problems.push(`--suites: unknown suite '${name}' (${known.length > 0 ? `known: ${known.join(', ')}` : config ? `${config.file} defines no suites` : 'no config file'})`);
  }
}

export function compare(report: SoakReport, commit: string | null, file: string, window: number, failOnRegression: boolean): { history: CheckHistory; current: HistoryRun } {
  const { runs, skipped } = readHistory(file);
  if (skipped.length > 0) process.stderr.write(`memprobe: ${file}: skipped line${skipped.length === 1 ? '' : 's'} ${skipped.join(', ')} (not a memprobe run)\n`);
  const current = historyRunFromReport(report, commit);
  const history: CheckHistory = {
    file,
    window,
    earlierRuns: runs.length,
    failOnRegression,
    comparisons: compareWithHistory(current, runs, window),
    appended: !report.interrupted,
  };
  return { history, current };
}

export function writeReports(outDir: string, report: CheckReport): void {
  writeReportFile(resolve(outDir, CHECK_FILES.json), `${JSON.stringify(report, null, 2)}\n`);
  writeReportFile(resolve(outDir, CHECK_FILES.junit), renderJunit(report));
  writeReportFile(resolve(outDir, CHECK_FILES.markdown), renderMarkdown(report));
  writeReportFile(resolve(outDir, CHECK_FILES.html), renderHtml(report));
}

/** `--shard i/n`, or a one-line usage error (exit 2) before anything is read. */
function shardFlag(text: string | undefined): ShardSpec | undefined {
  if (text === undefined) return undefined;
  const parsed = parseShard(text);
  if (!parsed.ok) throw new UsageError(parsed.problem);
  return parsed.shard;
}

function describeShard(choice: ShardChoice): string {
  const seconds = (ms: number): string => `${Math.round(ms / 100) / 10}s`;
  const { index, count } = choice.spec;
  return `memprobe check: shard ${index}/${count}: ${choice.runs.length} of ${choice.plan.shares.flat().length} runs, ~${seconds(choice.plan.expectedMs[index - 1] ?? 0)} of ${seconds(choice.plan.expectedMs.reduce((a, b) => a + b, 0))} (${choice.configHash})\n`;
}

interface WorkInput {
  readonly config: LoadedConfig | undefined;
  readonly wanted: readonly string[];
  readonly cwd: string;
  readonly settings: SoakSettings;
  readonly loads: readonly LoadOptions[];
  readonly shardSpec: ShardSpec | undefined;
  readonly history: { readonly window: number; readonly failOnRegression: boolean };
}

/** The whole check's probes and programs, and what this process runs of them (all, or its shard's share). */
function chooseWork(input: WorkInput) {
  const { config, wanted, cwd, settings, loads, shardSpec } = input;
  const whole = selectProbes(config, wanted, cwd);
  // Programs run after the probes, unless suites were picked; everything shares the duration equally.
  const allPrograms = wanted.length > 0 ? [] : (config?.programs ?? []);
  const shard = shardSpec === undefined ? undefined : chooseShard({ files: whole.files, programs: allPrograms, loads, settings, config, suites: wanted, cwd, history: input.history }, shardSpec);
  if (shard) process.stderr.write(describeShard(shard));
  return {
    whole,
    allPrograms,
    shard,
    selection: shard ? { files: shard.files, suites: whole.suites } : whole,
    programs: shard ? shard.programs : allPrograms,
    myLoads: shard ? shard.loads : loads,
  };
}

export async function runCheck(flags: CheckFlags): Promise<number> {
  const shardSpec = shardFlag(flags.shard);
  const cwd = process.cwd();
  const config = await loadConfig(cwd, flags.config);
  const problems: string[] = [];
  const settings = soakSettings(flags, config, cwd, problems);
  const wanted = flags.suites ?? [];
  checkSuiteNames(config, wanted, problems);
  const window = flags.historyWindow === undefined
    ? (config?.historyWindow ?? DEFAULT_HISTORY_WINDOW)
    : take(positiveInteger(flags.historyWindow), '--history-window', problems);
  // Loads are checked in full (URLs, rates, scenario files) before anything runs, like the rest.
  const configLoads = wanted.length > 0 ? [] : (config?.loads ?? []);
  const loads: LoadOptions[] = [];
  for (const [i, loadFlags] of configLoads.entries()) {
    const resolved = await resolveLoadOptions(loadFlags, config?.file === undefined ? cwd : dirname(config.file));
    problems.push(...resolved.problems.map((p) => `load${configLoads.length > 1 ? `[${i}]` : ''}: ${p}`));
    if (resolved.options !== null) loads.push(resolved.options);
  }
  const outDir = flags.out !== undefined ? resolve(cwd, flags.out) : (config?.outDir ?? resolve(cwd, DEFAULT_OUT_DIR));
  checkOutDir(outDir, flags.out !== undefined ? '--out' : 'outDir', problems);
  if (problems.length > 0) throw new ConfigError(problems, 'invalid options');
  const failOnRegression = flags.failOnRegression === true || config?.failOnRegression === true;
  const { whole, allPrograms, selection, programs, myLoads, shard } = chooseWork({ config, wanted, cwd, settings, loads, shardSpec, history: { window: window ?? DEFAULT_HISTORY_WINDOW, failOnRegression } });
  // A shard never touches the history: `memprobe merge --history` compares and appends the whole check once.
  const configuredHistory = flags.history !== undefined ? resolve(cwd, flags.history) : config?.history;
  if (shard && configuredHistory !== undefined) process.stderr.write(`memprobe check: shard ${shard.spec.index}/${shard.spec.count}: the history is left to memprobe merge\n`);
  const historyFile = shard ? undefined : configuredHistory;
  if (historyFile !== undefined) readHistory(historyFile); // an unreadable history fails now, not after the soak

  // Each probe and program soaks duration / (all of the check's), sharded or not (see check-shard.ts).
  const runs = whole.files.length + allPrograms.length;
  const split = splitTime(settings.durationMs, runs, settings.warmupMs);
  const progress = flags.progress ? createProgress(split.windowMs, process.stderr, { probes: selection.files.length + programs.length, warmupMs: split.warmupMs }) : undefined;
  const loadReports: LoadReport[] = [];
  try {
    const soaked = await withInterrupt(async (signal) => {
      const share = { ...settings, durationMs: runs > 0 ? (settings.durationMs * selection.files.length) / runs : 0 };
      const probesReport = await soak(soakOptions(selection.files, share, { outDir, signal, onMessage: progress?.onMessage, verbose: flags.verbose }));
      const programReports: SoakReport[] = [];
      for (const program of programs) {
        if (signal.aborted) break;
        programReports.push(
          await soakProgramReport({
            command: program.command,
            durationMs: settings.durationMs / runs,
            warmupMs: settings.warmupMs,
            sampleIntervalMs: settings.sampleIntervalMs,
            listenTimeoutMs: DEFAULT_LISTEN_TIMEOUT_MS,
            driver: program.drive,
            rate: program.rate,
            snapshotDir: settings.snapshots !== false ? outDir : undefined,
            profile: settings.profile,
            outDir,
            layers: settings.layers,
            signal,
            onMessage: (message) => progress?.onMessage(program.command.join(' '), message),
          }),
        );
      }
      if (myLoads.length > 0) progress?.done(); // the loads draw their own progress lines
      for (const options of myLoads) {
        if (signal.aborted) break;
        const loadProgress = flags.progress ? createLoadProgress() : QUIET_LOAD;
        try {
          loadReports.push(await runLoad(options, { signal, verbose: flags.verbose ?? false, progress: loadProgress, version: VERSION }));
        } finally {
          loadProgress.done();
        }
      }
      const all = [...probesReport.probes, ...programReports.flatMap((r) => r.probes)];
      const notRun = [...probesReport.notRun, ...programs.slice(programReports.length).map((p) => p.command.join(' '))];
      return assembleReport({ ...share, durationMs: settings.durationMs, signal, version: VERSION }, probesReport.startedAt, split.warmupMs, all, notRun);
    });
    const soakReport = settings.snapshots === 'on-fail' ? pruneSnapshots(soaked) : soaked;
    progress?.done();
    const commit = gitCommit(cwd);
    const compared = historyFile === undefined ? undefined : compare(soakReport, commit, historyFile, window ?? DEFAULT_HISTORY_WINDOW, failOnRegression);
    const report = buildCheckReport(soakReport, {
      system: collectSystemInfo(),
      commit,
      configFile: config?.file ?? null,
      suites: selection.suites,
      history: compared?.history,
      loads: loadReports,
      shard: shard
        ? {
            index: shard.spec.index,
            count: shard.spec.count,
            configHash: shard.configHash,
            runs: shard.runs.map(({ kind, index, key }) => ({ kind, index, key })),
            historyWindow: window ?? DEFAULT_HISTORY_WINDOW,
            failOnRegression,
          }
        : undefined,
    });
    process.stdout.write(`${terminalSafe(renderCheckText(report))}\n`);
    writeReports(outDir, report);
    // A partial run would drag the medians down: only complete runs join the history.
    if (compared && historyFile !== undefined && !report.interrupted) appendHistory(historyFile, compared.current);
    if (flags.json !== undefined) writeReportFile(flags.json, `${JSON.stringify(report, null, 2)}\n`);
    process.stderr.write(`reports written to ${outDir}: ${Object.values(CHECK_FILES).join(', ')}\n`);
    return exitCodeFor(report.verdict, report.interrupted);
  } finally {
    progress?.done();
  }
}

export function registerCheck(program: Command): void {
  program
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
    .option('--shard <i/n>', 'run share i of n (split by expected time), write its reports, never touch the history; join them with memprobe merge')
    .option('-d, --duration <time>', 'total soak time, shared between probes (overrides the config)')
    .option('--warmup <time>', 'warm-up per probe (default 2s, at most a fifth of its share)')
    .option('--interval <time>', 'time between forced-GC samples (default 250ms)')
    .option('-b, --budget <name=value>', 'override a budget, repeatable: growthRate=16KB/s, perItem=2KB, gcRecovery=20%', collect, [])
    .option('--max-old-space-size <MB>', "the child's V8 old-space limit")
    .option('--timeout <time>', 'kill a child that sends nothing for this long (default 30s)')
    .option('--target <module>', 'run the built-in probes against this service module')
    .option('--connections <n>', 'WebSocket connections for the ws-fanout probe (default 100)')
    .option('-o, --option <key=value>', 'an option for the probes (context.options), repeatable', collect, [])
    .option('--profile <kinds>', 'record heap and/or cpu profiles into the out folder; repeatable or comma-separated', collect, [])
    .option('--snapshots [when]', 'write baseline, mid-soak and final heap snapshots (mode 0600) into the out folder; --snapshots on-fail keeps them only for probes that do not pass')
    .option('--no-progress', 'no progress line on stderr')
    .action(async (flags: CheckFlags, command: Command) => {
      const globals = command.optsWithGlobals<{ verbose?: boolean }>();
      process.exitCode = await runCheck({ ...flags, verbose: globals.verbose ?? false });
    });
}
