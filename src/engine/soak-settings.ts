/**
 * The settings `memprobe soak` and `memprobe check` share, resolved: the flags of the settings table
 * (src/settings/table.ts) over the config file over the defaults, every problem collected before anything
 * runs, and the SoakOptions both hand to the one soak() runner.
 */
import { pathToFileURL } from 'node:url';
import { parseBudgetFlags, resolveBudgets } from '../budgets/resolve.js';
import type { LoadedConfig } from '../settings/load-config.js';
import type { SnapshotMode } from '../settings/validate.js';
import { positiveInteger, take } from '../core/units.js';
import { resolveValue, valueSetting, type Setting, type ValueSetting } from '../settings/table.js';
import { GC_SHARE_TARGET } from '../constants.js';
import { MemprobeError } from '../errors.js';
import { resolveTarget } from '../modules/resolve-target.js';
import type { SoakOptions } from '../runner/soak.js';
import { withoutSnapshots } from '../runner/leak-verdict.js';
import type { BudgetSpec, ProbeReport, SoakReport } from '../types.js';
import { VERSION } from '../version.js';

/** The flags of the settings table (src/settings/table.ts), by commander's names; a repeated one may be absent. */
type ListKey = 'budget' | 'option' | 'profile';

type SwitchKey = 'snapshots' | 'redact' | 'showValues' | 'gentle';

export type SharedSoakFlags = { [key in Exclude<Setting['key'], ListKey | SwitchKey>]?: string } & {
  [key in ListKey]?: string[];
} & {
  /** `--snapshots` (always) or `--snapshots on-fail`. */
  snapshots?: boolean | string;
  /** `--redact`: the snapshots are written redacted. */
  redact?: boolean;
  /** `--show-values`: heap keys and string values in the leak samples. */
  showValues?: boolean;
  /** `--gentle`: a running process is read after its own major GCs, with no forced GC. */
  gentle?: boolean;
};

export type BudgetLayers = (probeName: string) => Array<{ source: string; spec: BudgetSpec }>;

/** Everything soak() needs besides the probes and the run's own plumbing (signal, progress, outDir). */
export interface SoakSettings {
  readonly durationMs: number;
  /** Whether --duration (or the config's duration) was given: a program without it stops when its evidence decides. */
  readonly durationGiven: boolean;
  readonly maxDurationMs: number;
  readonly warmupMs: number | undefined;
  readonly sampleIntervalMs: number;
  readonly stallTimeoutMs: number;
  readonly maxOldSpaceSizeMb: number | undefined;
  readonly cliBudgets: BudgetSpec;
  readonly probeOptions: Record<string, string>;
  readonly profile: { readonly heap: boolean; readonly cpu: boolean };
  /** `--target` (or the config's `target`) as a file URL. */
  readonly target: string | undefined;
  readonly layers: BudgetLayers;
  /** Heap snapshots: none, all, or kept only for probes that do not pass (the caller prunes). */
  readonly snapshots: SnapshotMode;
  /** `--redact`: snapshots are redacted as they are written (the unredacted file never stays on disk). */
  readonly redactSnapshots?: boolean | undefined;
  /** `--show-values` (or the config's `showValues`): heap keys and string values in the leak samples. */
  readonly showValues?: boolean | undefined;
  /** `--gentle` (or the config's `gentle`): no forced GC in a running process. */
  readonly gentle?: boolean | undefined;
}

function probeOptions(
  flags: SharedSoakFlags,
  config: LoadedConfig | undefined,
  problems: string[],
): Record<string, string> {
  const options: Record<string, string> = { ...config?.options };
  for (const pair of flags.option ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) problems.push(`--option '${pair}': expected key=value`);
    else options[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  if (flags.connections !== undefined) {
    const connections = take(positiveInteger(flags.connections), '--connections', problems);
    if (connections !== undefined) options.connections = String(connections);
  }
  return options;
}

/** Budget layers above the probe file's own: config budgets, config probeBudgets[name], then --budget. */
export function budgetLayers(config: LoadedConfig | undefined, cliBudgets: BudgetSpec): BudgetLayers {
  return (probeName) => [
    { source: 'config budgets.', spec: config?.budgets ?? {} },
    { source: `config probeBudgets.${probeName}.`, spec: config?.probeBudgets[probeName] ?? {} },
    { source: '--budget ', spec: cliBudgets },
  ];
}

/**
 * Parses the shared flags; a flag beats the config file, which beats the default.
 * Every problem is pushed to `problems` (the caller throws one ConfigError with all of them).
 */
export function soakSettings(
  flags: SharedSoakFlags,
  config: LoadedConfig | undefined,
  cwd: string,
  problems: string[],
): SoakSettings {
  const value = (key: ValueSetting['key']): number | undefined =>
    resolveValue(valueSetting(key), flags[key], config, problems);
  const durationMs = value('duration')!;
  const durationGiven = flags.duration !== undefined || config?.durationMs !== undefined;
  const warmupMs = value('warmup');
  if (warmupMs !== undefined && warmupMs >= durationMs) problems.push('--warmup: must be shorter than --duration');
  const maxOldSpaceSizeMb = value('maxOldSpaceSize');
  const cliBudgets = parseBudgetFlags(flags.budget ?? []);
  problems.push(...cliBudgets.problems, ...resolveBudgets([{ source: '--budget ', spec: cliBudgets.spec }]).problems);
  const profiles = flags.profile ?? [];
  const kinds =
    profiles.length > 0 ? profiles.flatMap((p) => p.split(',')).map((p) => p.trim()) : [...(config?.profile ?? [])];
  for (const kind of kinds)
    if (kind !== 'heap' && kind !== 'cpu') problems.push(`--profile: '${kind}' is not heap or cpu`);
  let target: string | undefined;
  const targetName = flags.target ?? config?.target;
  if (targetName !== undefined) {
    try {
      target = pathToFileURL(resolveTarget(targetName, cwd)).href;
    } catch (error) {
      if (!(error instanceof MemprobeError)) throw error;
      problems.push(error.message);
    }
  }
  let snapshots: SnapshotMode = config?.snapshots ?? false;
  if (flags.snapshots === true || flags.snapshots === 'always') snapshots = true;
  else if (flags.snapshots === 'on-fail') snapshots = 'on-fail';
  else if (flags.snapshots !== undefined && flags.snapshots !== false)
    problems.push(`--snapshots: '${flags.snapshots}' is not on-fail (or give no value for always)`);
  if (flags.redact === true && snapshots === false) problems.push('--redact goes with --snapshots');
  return {
    durationMs,
    durationGiven,
    maxDurationMs: value('maxDuration')!,
    warmupMs,
    sampleIntervalMs: value('interval')!,
    stallTimeoutMs: value('timeout')!,
    maxOldSpaceSizeMb,
    cliBudgets: cliBudgets.spec,
    probeOptions: probeOptions(flags, config, problems),
    profile: { heap: kinds.includes('heap'), cpu: kinds.includes('cpu') },
    target,
    layers: budgetLayers(config, cliBudgets.spec),
    snapshots,
    redactSnapshots: flags.redact === true,
    showValues: flags.showValues === true || config?.showValues === true,
    gentle: flags.gentle === true || config?.gentle === true,
  };
}

/** The SoakOptions for soak(): the settings plus this run's probes and plumbing. */
export function soakOptions(
  probes: readonly string[],
  settings: SoakSettings,
  run: Pick<SoakOptions, 'outDir' | 'signal' | 'onMessage' | 'verbose'>,
): SoakOptions {
  return {
    probes,
    durationMs: settings.durationMs,
    warmupMs: settings.warmupMs,
    sampleIntervalMs: settings.sampleIntervalMs,
    gcShareTarget: GC_SHARE_TARGET,
    stallTimeoutMs: settings.stallTimeoutMs,
    maxOldSpaceSizeMb: settings.maxOldSpaceSizeMb,
    verbose: run.verbose,
    budgetLayers: settings.layers,
    target: settings.target,
    probeOptions: settings.probeOptions,
    profile: settings.profile,
    outDir: run.outDir,
    snapshots: settings.snapshots !== false,
    redactSnapshots: settings.redactSnapshots,
    showValues: settings.showValues,
    signal: run.signal,
    onMessage: run.onMessage,
    version: VERSION,
  };
}

/** `snapshots: 'on-fail'`: the snapshots of probes that passed are deleted (they can be hundreds of MB). */
export function pruneSnapshots(report: SoakReport): SoakReport {
  const probes = report.probes.map((probe) => (probe.verdict === 'pass' ? withoutSnapshots(probe) : probe));
  return { ...report, probes };
}
