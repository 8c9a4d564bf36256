/**
 * The settings `memprobe soak` and `memprobe check` share, one row each: the command-line flag, the config
 * file key, the default, how a value is read and the help text. Both commands register their flags from
 * this table and resolve them through it (src/engine/soak-settings.ts): a flag beats the config file, which
 * beats the default. Adding a setting: one row here, and where it is used.
 */
import {
  DEFAULT_DURATION_MS,
  DEFAULT_MAX_DURATION_MS,
  DEFAULT_SAMPLE_INTERVAL_MS,
  DEFAULT_STALL_TIMEOUT_MS,
  DEFAULT_WARMUP_MS,
  GC_SHARE_TARGET,
} from '../constants.js';
import { parseDuration, positiveInteger, type Parsed } from '../core/units.js';
import type { LoadedConfig } from './load-config.js';

const seconds = (ms: number): string => `${ms / 1000}s`;

interface Row<Key extends string> {
  /** The flags object's property (commander's camel case of the long flag). */
  readonly key: Key;
  /** commander's flag syntax. */
  readonly flag: string;
  readonly help: string;
  /** The key in memprobe.config.mjs, or null when the setting is the command line's only. */
  readonly configKey: string | null;
}

/** A setting with one value read from text (a duration, a number). */
export interface ValueSetting extends Row<
  'duration' | 'maxDuration' | 'warmup' | 'interval' | 'timeout' | 'maxOldSpaceSize'
> {
  readonly kind: 'value';
  readonly parse: (text: string) => Parsed<number>;
  /** Used when neither the flag nor the config sets it; undefined: decided later (the warm-up is a share). */
  readonly default: number | undefined;
  readonly fromConfig: (config: LoadedConfig) => number | undefined;
}

/** A setting given as text or repeated (budgets, probe options, profiles), resolved by its own code. */
export interface OtherSetting extends Row<
  'budget' | 'option' | 'profile' | 'target' | 'connections' | 'snapshots' | 'redact' | 'showValues' | 'gentle'
> {
  readonly kind: 'list' | 'text' | 'optional-text' | 'switch';
}

export type Setting = ValueSetting | OtherSetting;

export const SOAK_SETTINGS: readonly Setting[] = [
  {
    kind: 'value',
    key: 'duration',
    flag: '-d, --duration <time>',
    configKey: 'duration',
    help:
      `total soak time, shared between probes, warm-up included (default ${seconds(DEFAULT_DURATION_MS)}; ` +
      'soak without it runs each probe, or the program, until its leak question is decided, up to --max-duration)',
    parse: parseDuration,
    default: DEFAULT_DURATION_MS,
    fromConfig: (c) => c.durationMs,
  },
  {
    kind: 'value',
    key: 'maxDuration',
    flag: '--max-duration <time>',
    configKey: 'maxDuration',
    help:
      'a probe or program soaked without --duration stops when its samples decide whether it leaks, ' +
      `or after this long (default ${seconds(DEFAULT_MAX_DURATION_MS)})`,
    parse: parseDuration,
    default: DEFAULT_MAX_DURATION_MS,
    fromConfig: (c) => c.maxDurationMs,
  },
  {
    kind: 'value',
    key: 'warmup',
    flag: '--warmup <time>',
    configKey: 'warmup',
    help: `warm-up per probe before the baseline (default ${seconds(DEFAULT_WARMUP_MS)}, at most a fifth of its share)`,
    parse: parseDuration,
    default: undefined,
    fromConfig: (c) => c.warmupMs,
  },
  {
    kind: 'value',
    key: 'interval',
    flag: '--interval <time>',
    configKey: 'interval',
    help:
      `time between forced-GC samples, stretched to keep forced GC under ${GC_SHARE_TARGET * 100}` +
      `% of wall time (default ${DEFAULT_SAMPLE_INTERVAL_MS}ms)`,
    parse: parseDuration,
    default: DEFAULT_SAMPLE_INTERVAL_MS,
    fromConfig: (c) => c.sampleIntervalMs,
  },
  {
    kind: 'list',
    key: 'budget',
    flag: '-b, --budget <name=value>',
    configKey: 'budgets',
    help: 'override a budget, repeatable: growthRate=16KB/s, perItem=2KB, gcRecovery=20%',
  },
  {
    kind: 'value',
    key: 'maxOldSpaceSize',
    flag: '--max-old-space-size <MB>',
    configKey: 'maxOldSpaceSize',
    help: "the child's V8 old-space limit, as node's flag",
    parse: positiveInteger,
    default: undefined,
    fromConfig: (c) => c.maxOldSpaceSizeMb,
  },
  {
    kind: 'value',
    key: 'timeout',
    flag: '--timeout <time>',
    configKey: 'timeout',
    help: `kill a child that sends nothing for this long (default ${seconds(DEFAULT_STALL_TIMEOUT_MS)})`,
    parse: parseDuration,
    default: DEFAULT_STALL_TIMEOUT_MS,
    fromConfig: (c) => c.stallTimeoutMs,
  },
  {
    kind: 'text',
    key: 'target',
    flag: '--target <module>',
    configKey: 'target',
    help: 'run the built-in probes against this service module instead of the reference one',
  },
  {
    kind: 'text',
    key: 'connections',
    flag: '--connections <n>',
    configKey: null,
    help: 'short for --option connections=N: WebSocket connections of the ws-fanout probe (default 100)',
  },
  {
    kind: 'list',
    key: 'option',
    flag: '-o, --option <key=value>',
    configKey: 'options',
    help: 'an option for the probes (context.options), repeatable',
  },
  {
    kind: 'list',
    key: 'profile',
    flag: '--profile <kinds>',
    configKey: 'profile',
    help:
      'record profiles over each soak window into the out folder: heap (allocation sites of memory that survives),' +
      ' cpu; repeatable or comma-separated',
  },
  {
    kind: 'optional-text',
    key: 'snapshots',
    flag: '--snapshots [when]',
    configKey: 'snapshots',
    help:
      'write baseline, mid-soak and final heap snapshots (mode 0600) into the out folder; --snapshots on-fail' +
      ' keeps them only for probes that do not pass',
  },
  {
    kind: 'switch',
    key: 'redact',
    flag: '--redact',
    configKey: null,
    help: 'with --snapshots: write them redacted (string values replaced, as memprobe redact does)',
  },
  {
    kind: 'switch',
    key: 'showValues',
    flag: '--show-values',
    configKey: 'showValues',
    help:
      'leak samples show heap keys and string values (cut short), and the report says so; by default only their' +
      ' kind and length (string(24), Object{cookie, user}), as reports end up in CI logs',
  },
  {
    kind: 'switch',
    key: 'gentle',
    flag: '--gentle',
    configKey: 'gentle',
    help:
      "with --pid/--attach, for production: no forced GC; the heap is read after the process's own major GCs, no" +
      ' snapshots unless --snapshots (fewer samples: a verdict takes longer); the report prints the cost',
  },
];

/** A value setting: the flag's text parsed, else the config's value, else the default; problems name the flag. */
export function resolveValue(
  setting: ValueSetting,
  text: string | undefined,
  config: LoadedConfig | undefined,
  problems: string[],
): number | undefined {
  if (text !== undefined) {
    const parsed = setting.parse(text);
    if (parsed.ok) return parsed.value;
    problems.push(`${longFlag(setting)}: ${parsed.problem}`);
  }
  return (config ? setting.fromConfig(config) : undefined) ?? setting.default;
}

/** `--max-old-space-size` of `'--max-old-space-size <MB>'`. */
export function longFlag(setting: Setting): string {
  return /--[a-z-]+/.exec(setting.flag)![0];
}

export function valueSetting(key: ValueSetting['key']): ValueSetting {
  return SOAK_SETTINGS.find((s): s is ValueSetting => s.kind === 'value' && s.key === key)!;
}
