/**
 * soak(): `memprobe soak` as a library call. Probes (built-in names or files) each soak in a controlled child,
 * or one program (`program: ['node', 'server.js']`) soaks over the inspector; returns the SoakReport. Never
 * prints or exits: the CLI (src/cli/soak-command.ts) renders and writes.
 */
import { resolve } from 'node:path';
import { DEFAULT_LISTEN_TIMEOUT_MS, DEFAULT_OUT_DIR } from '../constants.js';
import { parseDuration, parseRequestRate, take } from '../core/units.js';
import { ConfigError } from '../errors.js';
import { resolveProbes } from '../runner/resolve-probes.js';
import { soak as soakProbes } from '../runner/soak.js';
import { loadConfig } from '../settings/load-config.js';
import { checkOutDir } from '../settings/out-dir.js';
import type { SoakReport } from '../types.js';
import { gitCommit } from '../history/store.js';
import { soakAsCheckReport, type CheckReport } from './check-report.js';
import { collectSystemInfo } from './system-info.js';
import type { SoakHooks } from './hooks.js';
import { resolveDriver, soakProgramReport } from './soak-program.js';
import { parseAttachAddress, type RunningTarget } from '../inspector/running-process.js';
import { planTime } from '../core/time-plan.js';
import { pruneSnapshots, soakOptions, soakSettings, type SharedSoakFlags } from './soak-settings.js';

/** What `memprobe soak` takes, as the CLI's flags (strings, as a user writes them). */
export interface SoakInput extends SharedSoakFlags {
  /** Built-in probe names or probe files; none: the config's probes, else every built-in probe. */
  probes?: string[];
  /** Program mode: the command to soak (everything after `--`). */
  program?: string[] | null;
  config?: string;
  out?: string;
  drive?: string;
  rate?: string;
  listenTimeout?: string;
  /** `--pid`: soak this running Node process (its inspector opened with SIGUSR1). */
  pid?: string;
  /** `--attach HOST:PORT|ws://...`: soak the process whose inspector listens there. */
  attach?: string;
}

/** `--pid` or `--attach` as a target, after checking them; undefined when neither is given. */
function runningTarget(input: SoakInput, names: readonly string[], problems: string[]): RunningTarget | undefined {
  const given = [input.pid !== undefined && '--pid', input.attach !== undefined && '--attach'].filter(Boolean);
  if (given.length === 0) {
    if (input.gentle === true) problems.push('--gentle goes with --pid or --attach (a process already running)');
    return undefined;
  }
  if (given.length > 1) problems.push('give --pid or --attach, not both');
  if (input.program != null) problems.push(`${given[0]} soaks a running process: no program after --`);
  if (names.length > 0) problems.push(`${given[0]} soaks a running process, not probes (${names.join(' ')})`);
  if (input.drive !== undefined && (!/^https?:\/\//.test(input.drive) || input.drive.includes('{port}')))
    problems.push(`--drive with ${given[0]}: a full URL of the process (http://127.0.0.1:3000/path), not a module`);
  if (input.attach !== undefined) {
    try {
      parseAttachAddress(input.attach);
    } catch (error) {
      problems.push((error as Error).message);
    }
    return { kind: 'attach', address: input.attach };
  }
  const pid = Number(input.pid);
  if (!Number.isInteger(pid) || pid <= 0) problems.push(`--pid: '${input.pid}' is not a process id`);
  if (pid === process.pid) problems.push('--pid: that is memprobe itself');
  return { kind: 'pid', pid };
}

function checkProgramFlags(input: SoakInput, names: readonly string[], problems: string[]): void {
  const { program } = input;
  if (program != null && program.length === 0)
    problems.push('name the program to soak after -- (memprobe soak -- node server.js)');
  if (program != null && names.length > 0)
    problems.push(`give probes or a program after --, not both (${names.join(' ')})`);
  if (program == null && input.drive !== undefined)
    problems.push('--drive needs a program after -- (memprobe soak --drive ./driver.mjs -- node server.js)');
}

/** The soak's report in the shape of a check's, for the report formats (`--report html=FILE`). */
export function soakReportForFormats(report: SoakReport, cwd = process.cwd()): CheckReport {
  return soakAsCheckReport(report, collectSystemInfo(), gitCommit(cwd));
}

export async function soak(input: SoakInput, hooks: SoakHooks = {}, cwd = process.cwd()): Promise<SoakReport> {
  const names = input.probes ?? [];
  const config = await loadConfig(cwd, input.config);
  const problems: string[] = [];
  const settings = soakSettings(input, config, cwd, problems);
  const listenTimeoutMs =
    input.listenTimeout === undefined
      ? DEFAULT_LISTEN_TIMEOUT_MS
      : take(parseDuration(input.listenTimeout), '--listen-timeout', problems);
  const running = runningTarget(input, names, problems);
  if (running === undefined) checkProgramFlags(input, names, problems);
  const rate = input.rate === undefined ? undefined : take(parseRequestRate(input.rate), '--rate', problems);
  if (rate !== undefined && !/^https?:\/\//.test(input.drive ?? '')) problems.push('--rate goes with --drive URL');
  const outDir = resolve(cwd, input.out ?? DEFAULT_OUT_DIR);
  const writes = settings.snapshots !== false || settings.profile.heap || settings.profile.cpu;
  checkOutDir(outDir, '--out', problems, writes);
  if (problems.length > 0) throw new ConfigError(problems, 'invalid options');
  const driver = input.drive === undefined ? undefined : resolveDriver(input.drive, cwd);
  let program: string[] | null = running
    ? [running.kind === 'pid' ? `pid ${running.pid}` : `attach ${running.address}`]
    : null;
  if (!running && input.program != null) program = input.program;
  const probes = program !== null ? [] : resolveProbes(names.length > 0 ? names : (config?.probes ?? []), cwd);

  const plan = planTime(settings.durationMs, probes.length, settings.warmupMs);
  // Without a duration (and without the fixed --snapshots schedule), each probe or the program runs until its
  // evidence decides.
  const maxDurationMs = settings.durationGiven || settings.snapshots !== false ? undefined : settings.maxDurationMs;
  const progress = hooks.progress?.({
    windowMs: maxDurationMs ?? plan.windowMs,
    warmupMs: plan.warmupMs,
    probes: Math.max(1, probes.length),
  });
  const signal = hooks.signal ?? new AbortController().signal;
  try {
    const report =
      program !== null
        ? await soakProgramReport({
            command: program,
            running,
            gentle: settings.gentle,
            durationMs: settings.durationMs,
            maxDurationMs,
            warmupMs: settings.warmupMs,
            sampleIntervalMs: settings.sampleIntervalMs,
            listenTimeoutMs: listenTimeoutMs ?? DEFAULT_LISTEN_TIMEOUT_MS,
            driver,
            rate,
            snapshotDir: settings.snapshots !== false ? outDir : undefined,
            redactSnapshots: settings.redactSnapshots,
            showValues: settings.showValues,
            profile: settings.profile,
            outDir,
            layers: settings.layers,
            signal,
            onMessage: (message) => progress?.onMessage(program.join(' '), message),
          })
        : await soakProbes({
            ...soakOptions(probes, settings, {
              outDir: input.out,
              signal,
              onMessage: progress?.onMessage,
              verbose: hooks.verbose,
            }),
            untilDecidedMaxMs: maxDurationMs,
          });
    return settings.snapshots === 'on-fail' ? pruneSnapshots(report) : report;
  } finally {
    progress?.done();
  }
}
