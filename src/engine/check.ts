/**
 * check(): the nightly leak check as a library call. Runs the probes the config file names (or some of its
 * suites) through the same soak() runner as `memprobe soak`, then its programs and load runs, compares the run
 * with the history and appends it there, and returns the CheckReport. It never prints or exits: notes and
 * progress go to the hooks, and the CLI (src/cli/check-command.ts) renders and writes the report files.
 */
import { dirname, resolve } from 'node:path';
import { DEFAULT_HISTORY_WINDOW, DEFAULT_LISTEN_TIMEOUT_MS, DEFAULT_OUT_DIR } from '../constants.js';
import { positiveInteger, take } from '../core/units.js';
import { ConfigError, UsageError } from '../errors.js';
import { historyRunFromReport } from '../history/record.js';
import { compareWithHistory } from '../history/regressions.js';
import { appendHistory, gitCommit, readHistory } from '../history/store.js';
import type { HistoryRun } from '../history/types.js';
import { resolveLoadOptions, type LoadOptions } from '../load/options.js';
import type { LoadIo } from '../load/run-load.js';
import { loadWithOptions } from './load.js';
import type { LoadReport } from '../load/types.js';
import { buildCheckReport, type CheckHistory, type CheckReport } from './check-report.js';
import { collectSystemInfo } from './system-info.js';
import { resolveProbes } from '../runner/resolve-probes.js';
import { assembleReport, soak } from '../runner/soak.js';
import { loadConfig, type LoadedConfig } from '../settings/load-config.js';
import { parseShard, type ShardSpec } from '../shard/split.js';
import type { SoakReport } from '../types.js';
import { VERSION } from '../version.js';
import { chooseShard, type ShardChoice } from './check-shard.js';
import type { SoakHooks } from './hooks.js';
import { soakProgramReport } from './soak-program.js';
import { planTime } from '../core/time-plan.js';
import { checkOutDir } from '../settings/out-dir.js';
import { pruneSnapshots, soakOptions, soakSettings, type SharedSoakFlags, type SoakSettings } from './soak-settings.js';

/** What `memprobe check` takes, as the CLI's flags (strings, as a user writes them). */
export interface CheckInput extends SharedSoakFlags {
  config?: string;
  suites?: string[];
  out?: string;
  history?: string;
  historyWindow?: string;
  failOnRegression?: boolean;
  shard?: string;
  verbose?: boolean;
}

export interface CheckHooks extends SoakHooks {
  /** A progress sink for each load run. */
  readonly loadProgress?: () => LoadIo['progress'] & { done(): void };
}

export interface CheckRun {
  readonly report: CheckReport;
  /** The folder the report files belong in. */
  readonly outDir: string;
}

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
  const names = [
    ...new Set([
      ...(wanted.length > 0 ? [] : (config?.probes ?? [])),
      ...suiteNames.flatMap((name) => all[name] ?? []),
    ]),
  ];
  // Nothing named: every built-in probe, unless the config soaks programs or runs loads instead.
  if (names.length === 0)
    return { files: config?.programs.length || config?.loads.length ? [] : resolveProbes([], cwd), suites: {} };
  // One call, so every unknown name of every suite is reported at once.
  const files = resolveProbes(names, cwd);
  const fileOf = new Map(names.map((name, i) => [name, files[i]!]));
  const suites = Object.fromEntries(suiteNames.map((name) => [name, (all[name] ?? []).map((n) => fileOf.get(n)!)]));
  return { files: [...new Set(files)], suites };
}

function knownSuites(known: readonly string[], config: LoadedConfig | undefined): string {
  if (known.length > 0) return `known: ${known.join(', ')}`;
  return config ? `${config.file} defines no suites` : 'no config file';
}

function checkSuiteNames(config: LoadedConfig | undefined, wanted: readonly string[], problems: string[]): void {
  const known = Object.keys(config?.suites ?? {});
  for (const name of wanted) {
    if (known.includes(name)) continue;
    problems.push(`--suites: unknown suite '${name}' (${knownSuites(known, config)})`);
  }
}

export function compare(
  report: SoakReport,
  commit: string | null,
  file: string,
  window: number,
  failOnRegression: boolean,
  note: (line: string) => void,
): { history: CheckHistory; current: HistoryRun } {
  const { runs, skipped } = readHistory(file);
  if (skipped.length > 0)
    note(
      `memprobe: ${file}: skipped line${skipped.length === 1 ? '' : 's'} ${skipped.join(', ')} (not a memprobe run)`,
    );
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
  return (
    `memprobe check: shard ${index}/${count}: ${choice.runs.length} of ${choice.plan.shares.flat().length} runs, ~` +
    `${seconds(choice.plan.expectedMs[index - 1] ?? 0)} of ` +
    `${seconds(choice.plan.expectedMs.reduce((a, b) => a + b, 0))} (${choice.configHash})`
  );
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
function chooseWork(input: WorkInput, note: (line: string) => void) {
  const { config, wanted, cwd, settings, loads, shardSpec } = input;
  const whole = selectProbes(config, wanted, cwd);
  // Programs run after the probes, unless suites were picked; everything shares the duration equally.
  const allPrograms = wanted.length > 0 ? [] : (config?.programs ?? []);
  const shard =
    shardSpec === undefined
      ? undefined
      : chooseShard(
          {
            files: whole.files,
            programs: allPrograms,
            loads,
            settings,
            config,
            suites: wanted,
            cwd,
            history: input.history,
          },
          shardSpec,
        );
  if (shard) note(describeShard(shard));
  return {
    whole,
    allPrograms,
    shard,
    selection: shard ? { files: shard.files, suites: whole.suites } : whole,
    programs: shard ? shard.programs : allPrograms,
    myLoads: shard ? shard.loads : loads,
  };
}

/** Everything a check needs, read and validated before anything runs (one ConfigError with every problem). */
async function prepare(input: CheckInput, cwd: string) {
  const shardSpec = shardFlag(input.shard);
  const config = await loadConfig(cwd, input.config);
  const problems: string[] = [];
  const settings = soakSettings(input, config, cwd, problems);
  if (settings.gentle) problems.push('gentle: for soak --pid/--attach (a process already running), not check');
  const wanted = input.suites ?? [];
  checkSuiteNames(config, wanted, problems);
  const window =
    input.historyWindow === undefined
      ? (config?.historyWindow ?? DEFAULT_HISTORY_WINDOW)
      : (take(positiveInteger(input.historyWindow), '--history-window', problems) ?? DEFAULT_HISTORY_WINDOW);
  const loads = await checkLoads(config, wanted, cwd, problems);
  const outDir = input.out !== undefined ? resolve(cwd, input.out) : (config?.outDir ?? resolve(cwd, DEFAULT_OUT_DIR));
  checkOutDir(outDir, input.out !== undefined ? '--out' : 'outDir', problems, true);
  if (problems.length > 0) throw new ConfigError(problems, 'invalid options');
  const failOnRegression = input.failOnRegression === true || config?.failOnRegression === true;
  return { shardSpec, config, settings, wanted, window, loads, outDir, failOnRegression };
}

/** Loads are checked in full (URLs, rates, scenario files) before anything runs, like the rest. */
async function checkLoads(
  config: LoadedConfig | undefined,
  wanted: readonly string[],
  cwd: string,
  problems: string[],
): Promise<LoadOptions[]> {
  const configLoads = wanted.length > 0 ? [] : (config?.loads ?? []);
  const loads: LoadOptions[] = [];
  for (const [i, loadFlags] of configLoads.entries()) {
    const resolved = await resolveLoadOptions(loadFlags, config?.file === undefined ? cwd : dirname(config.file));
    problems.push(...resolved.problems.map((p) => `load${configLoads.length > 1 ? `[${i}]` : ''}: ${p}`));
    if (resolved.options !== null) loads.push(resolved.options);
  }
  return loads;
}

interface Work {
  readonly files: readonly string[];
  readonly programs: NonNullable<LoadedConfig['programs']>;
  readonly loads: readonly LoadOptions[];
  /** Probes and programs of the whole check (all shards): each soaks duration / runs. */
  readonly runs: number;
}

/** This process's probes, then programs, then load runs; a partial SoakReport when interrupted. */
async function runWork(work: Work, settings: SoakSettings, outDir: string, hooks: CheckHooks) {
  const signal = hooks.signal ?? new AbortController().signal;
  const plan = planTime(settings.durationMs, work.runs, settings.warmupMs);
  const progress = hooks.progress?.({
    windowMs: plan.windowMs,
    warmupMs: plan.warmupMs,
    probes: work.files.length + work.programs.length,
  });
  try {
    const share = { ...settings, durationMs: plan.perRunMs * work.files.length };
    const probesReport = await soak(
      soakOptions(work.files, share, { outDir, signal, onMessage: progress?.onMessage, verbose: hooks.verbose }),
    );
    const programReports: SoakReport[] = [];
    for (const program of work.programs) {
      if (signal?.aborted) break;
      programReports.push(
        await soakProgramReport({
          command: program.command,
          durationMs: plan.perRunMs,
          warmupMs: settings.warmupMs,
          sampleIntervalMs: settings.sampleIntervalMs,
          listenTimeoutMs: DEFAULT_LISTEN_TIMEOUT_MS,
          driver: program.drive,
          rate: program.rate,
          snapshotDir: settings.snapshots !== false ? outDir : undefined,
          redactSnapshots: settings.redactSnapshots,
          showValues: settings.showValues,
          profile: settings.profile,
          outDir,
          layers: settings.layers,
          signal,
          onMessage: (message) => progress?.onMessage(program.command.join(' '), message),
        }),
      );
    }
    if (work.loads.length > 0) progress?.done(); // the loads draw their own progress lines
    const loads = await runLoads(work.loads, hooks);
    const all = [...probesReport.probes, ...programReports.flatMap((r) => r.probes)];
    const notRun = [
      ...probesReport.notRun,
      ...work.programs.slice(programReports.length).map((p) => p.command.join(' ')),
    ];
    const runSettings = { ...share, durationMs: settings.durationMs, signal, version: VERSION };
    const soaked = assembleReport(runSettings, probesReport.startedAt, plan.warmupMs, all, notRun);
    return { soaked: settings.snapshots === 'on-fail' ? pruneSnapshots(soaked) : soaked, loads };
  } finally {
    progress?.done();
  }
}

async function runLoads(loads: readonly LoadOptions[], hooks: CheckHooks): Promise<LoadReport[]> {
  const reports: LoadReport[] = [];
  for (const options of loads) {
    if (hooks.signal?.aborted) break;
    const progress = hooks.loadProgress?.();
    try {
      reports.push(await loadWithOptions(options, { signal: hooks.signal, verbose: hooks.verbose, progress }));
    } finally {
      progress?.done();
    }
  }
  return reports;
}

/**
 * Runs a check and returns its report; the history (when one is named and this is no shard) is compared and appended.
 */
export async function check(input: CheckInput, hooks: CheckHooks = {}, cwd = process.cwd()): Promise<CheckRun> {
  const note = hooks.note ?? (() => undefined);
  const { shardSpec, config, settings, wanted, window, loads, outDir, failOnRegression } = await prepare(input, cwd);
  const chosen = chooseWork(
    { config, wanted, cwd, settings, loads, shardSpec, history: { window, failOnRegression } },
    note,
  );
  const { whole, allPrograms, selection, programs, myLoads, shard } = chosen;
  // A shard never touches the history: `memprobe merge --history` compares and appends the whole check once.
  const configuredHistory = input.history !== undefined ? resolve(cwd, input.history) : config?.history;
  if (shard && configuredHistory !== undefined)
    note(`memprobe check: shard ${shard.spec.index}/${shard.spec.count}: the history is left to memprobe merge`);
  const historyFile = shard ? undefined : configuredHistory;
  if (historyFile !== undefined) readHistory(historyFile); // an unreadable history fails now, not after the soak

  const work = { files: selection.files, programs, loads: myLoads, runs: whole.files.length + allPrograms.length };
  const { soaked, loads: loadReports } = await runWork(work, settings, outDir, hooks);
  const commit = gitCommit(cwd);
  const compared =
    historyFile === undefined ? undefined : compare(soaked, commit, historyFile, window, failOnRegression, note);
  const report = buildCheckReport(soaked, {
    system: collectSystemInfo(),
    commit,
    configFile: config?.file ?? null,
    suites: selection.suites,
    history: compared?.history,
    loads: loadReports,
    shard: shard ? shardRecord(shard, window, failOnRegression) : undefined,
  });
  // A partial run would drag the medians down: only complete runs join the history.
  if (compared && historyFile !== undefined && !report.interrupted) appendHistory(historyFile, compared.current);
  return { report, outDir };
}

function shardRecord(shard: ShardChoice, historyWindow: number, failOnRegression: boolean) {
  const runs = shard.runs.map(({ kind, index, key }) => ({ kind, index, key }));
  return {
    index: shard.spec.index,
    count: shard.spec.count,
    configHash: shard.configHash,
    runs,
    historyWindow,
    failOnRegression,
  };
}
