/**
 * `memprobe check --shard i/n`: which of the check's runs this runner takes, and the fingerprint every shard
 * of the check shares. The split itself is pure (src/shard/split.ts); this file only names the runs.
 *
 * Time per run under sharding: `duration` stays the TOTAL of the whole check, so every probe and program
 * soaks duration / (probes + programs), exactly as in the unsharded check (its figures stay comparable with
 * the history), and a shard's wall time is about 1/n of the whole. A load run takes its own warm-up and
 * duration wherever it runs.
 */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadedConfig } from '../settings/load-config.js';
import type { LoadOptions } from '../load/options.js';
import { configHash } from '../shard/config-hash.js';
import { planShards, type ShardPlan, type ShardRun, type ShardSpec } from '../shard/split.js';
import type { SoakSettings } from './soak-settings.js';
import type { ValidProgram } from '../settings/validate.js';
import { planTime } from '../core/time-plan.js';

export interface ShardInput {
  readonly files: readonly string[];
  readonly programs: readonly ValidProgram[];
  readonly loads: readonly LoadOptions[];
  readonly settings: SoakSettings;
  readonly config: LoadedConfig | undefined;
  readonly suites: readonly string[];
  readonly cwd: string;
  /** Carried to `memprobe merge` in the shard, so part of what the shards must agree on. */
  readonly history?: { readonly window: number; readonly failOnRegression: boolean } | undefined;
}

export interface ShardChoice {
  readonly spec: ShardSpec;
  readonly plan: ShardPlan;
  readonly configHash: string;
  /** What this shard runs, in check order. */
  readonly files: string[];
  readonly programs: ValidProgram[];
  readonly loads: LoadOptions[];
  /** Check-order index of each probe report this shard will produce (probes, then programs), then of each load. */
  readonly runs: readonly ShardRun[];
}

/** Every run of the check with its expected time; keys are relative paths so runners in other folders agree. */
export function checkRuns(input: ShardInput): ShardRun[] {
  const soaked = input.files.length + input.programs.length;
  const perSoakMs = planTime(input.settings.durationMs, soaked).perRunMs;
  const rel = (file: string): string => relative(input.cwd, file).split('\\').join('/');
  return [
    ...input.files.map((file, i): ShardRun => ({ kind: 'probe', index: i, key: rel(file), expectedMs: perSoakMs })),
    ...input.programs.map((p, i): ShardRun => ({
      kind: 'program',
      index: input.files.length + i,
      key: p.command.join(' '),
      expectedMs: perSoakMs,
    })),
    ...input.loads.map((l, i): ShardRun => ({
      kind: 'load',
      index: soaked + i,
      key: `load[${i}]`,
      expectedMs: l.warmupMs + l.durationMs,
    })),
  ];
}

/** The resolved selection and settings, without the paths that legitimately differ per runner (out, history). */
function fingerprint(input: ShardInput, runs: readonly ShardRun[], count: number): string {
  const { settings, config } = input;
  return configHash({
    count,
    runs: runs.map((r) => ({ kind: r.kind, key: r.key, expectedMs: r.expectedMs })),
    suites: input.suites,
    history: input.history,
    settings: {
      durationMs: settings.durationMs,
      warmupMs: settings.warmupMs,
      sampleIntervalMs: settings.sampleIntervalMs,
      stallTimeoutMs: settings.stallTimeoutMs,
      maxOldSpaceSizeMb: settings.maxOldSpaceSizeMb,
      probeOptions: settings.probeOptions,
      profile: settings.profile,
      snapshots: settings.snapshots,
      target: settings.target === undefined ? undefined : relative(input.cwd, fileURLToPath(settings.target)),
    },
    budgets: { cli: settings.cliBudgets, config: config?.budgets, probes: config?.probeBudgets },
    loads: input.loads.map((l) => ({
      ...l,
      json: undefined,
      scenarioFile: l.scenarioFile === null ? null : relative(input.cwd, l.scenarioFile),
      target: l.target === undefined ? undefined : relative(input.cwd, fileURLToPath(l.target)),
    })),
  });
}

export function chooseShard(input: ShardInput, spec: ShardSpec): ShardChoice {
  const runs = checkRuns(input);
  const plan = planShards(runs, spec.count);
  const mine = plan.shares[spec.index - 1] ?? [];
  const soaked = input.files.length + input.programs.length;
  return {
    spec,
    plan,
    configHash: fingerprint(input, runs, spec.count),
    files: mine.filter((r) => r.kind === 'probe').map((r) => input.files[r.index]!),
    programs: mine.filter((r) => r.kind === 'program').map((r) => input.programs[r.index - input.files.length]!),
    loads: mine.filter((r) => r.kind === 'load').map((r) => input.loads[r.index - soaked]!),
    runs: mine,
  };
}
