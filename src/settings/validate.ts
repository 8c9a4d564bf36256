/**
 * Validates a config object (from memprobe.config.mjs/.js/.json) and reports every problem at once,
 * each naming its key. Pure: no file access.
 */
import type { LoadFlags } from '../load/options.js';
import type { BudgetSpec } from '../types.js';
import { checkBudgetSpec, resolveBudgets } from '../budgets/resolve.js';
import { parseDuration, parseRequestRate, type Parsed } from '../core/units.js';

/**
 * Heap snapshots (baseline, mid-soak, final) of each probe: `true` keeps them all, `'on-fail'` keeps them
 * only for probes that do not pass (they are taken for every probe, as the verdict comes at the end).
 */
export type SnapshotMode = boolean | 'on-fail';

/** Profiles `soak --profile` / `check` can record over each probe's soak window. */
export type ProfileKind = 'heap' | 'cpu';

/**
 * A config file as users write it (see `defineConfig`). Paths are relative to the config file.
 *
 * @example
 * ```js
 * export default defineConfig({
 *   probes: ['offline-queue', './probes/cache.ts'],
 *   suites: { notification: ['notification-create', 'offline-queue'], websocket: ['ws-fanout'] },
 *   duration: '60s',
 *   budgets: { growthRate: '16KB/s' },
 *   probeBudgets: { 'session-cache': { perItem: '512B' } },
 *   outDir: 'memprobe-out',
 *   history: '.memprobe/history.jsonl',
 * });
 * ```
 */
export interface MemprobeConfig {
  /** Probe names or files, relative to the config file. */
  probes?: string[];
  /** Total soak time, e.g. '60s'; shared between the probes. */
  duration?: string;
  /** Budgets for every probe. */
  budgets?: BudgetSpec;
  /** Budgets for one probe, by probe name; above `budgets`. */
  probeBudgets?: Record<string, BudgetSpec>;
  /** Named groups of probes (names or files) for `memprobe check --suites name...`. */
  suites?: Record<string, string[]>;
  /** Where `memprobe check` writes report.json, junit.xml, summary.md, report.html (and profiles). */
  outDir?: string;
  /** A JSON-lines file `memprobe check` appends each run to and compares it with. */
  history?: string;
  /** How many earlier runs of the history a run is compared with (default 10). */
  historyWindow?: number;
  /** A regression against the history fails the check (exit 1) even when every budget passes. */
  failOnRegression?: boolean;
  /** Warm-up per probe, e.g. '2s'. */
  warmup?: string;
  /** Time between forced-GC samples, e.g. '250ms'. */
  interval?: string;
  /** Kill a child that sends nothing for this long, e.g. '30s'. */
  timeout?: string;
  /** The child's V8 old-space limit in MB. */
  maxOldSpaceSize?: number;
  /** Run the built-in probes against this service module (relative to the config file). */
  target?: string;
  /** Options for the probes (`context.options`), e.g. `{ connections: '1000' }`. */
  options?: Record<string, string>;
  /** Profiles to record over each probe's soak window. */
  profile?: ProfileKind[];
  /** Heap snapshots into outDir: `false` (default), `true`, or `'on-fail'` (kept only for probes that do not pass). */
  snapshots?: SnapshotMode;
  /** Heap keys and string values in the reports' leak samples (`--show-values`); default false: kind and length. */
  showValues?: boolean;
  /** `soak --pid/--attach` reads the heap after the process's own major GCs only (`--gentle`). */
  gentle?: boolean;
  /**
   * Programs to soak as `memprobe soak -- COMMAND` does, after the probes (not with --suites), each for an equal
   * share of `duration`: `{ command: ['node', 'server.js'], drive: 'http://127.0.0.1:{port}/health', rate: '200/s' }`.
   * `drive` is a URL (with `{port}`) or a driver module relative to the config file.
   */
  programs?: ProgramConfig[];
  /**
   * Load runs (`memprobe load`), after the probes and programs (not with --suites), each for its own duration:
   * `{ users: '1,5,10,20', duration: '20s' }` (the embedded service), `{ url: 'http://127.0.0.1:8080/', rate: '500/s'
   * }`,
   * `{ ws: true, connections: '1000' }`. Keys are the command's options; `thresholds` is a list.
   */
  load?: LoadConfig | LoadConfig[];
}

/**
 * One load run of a config: `memprobe load`'s options as strings (`ws: true`: the embedded service's), `thresholds` a
 * list.
 */
export type LoadConfig = Omit<LoadFlags, 'threshold' | 'json' | 'ws'> & { ws?: string | true; thresholds?: string[] };

export interface ProgramConfig {
  command: string[];
  drive?: string;
  rate?: string;
}

export interface ValidConfig {
  readonly probes: readonly string[] | undefined;
  readonly durationMs: number | undefined;
  readonly maxDurationMs: number | undefined;
  readonly budgets: BudgetSpec;
  readonly probeBudgets: Readonly<Record<string, BudgetSpec>>;
  /** Suite name -> probe names or files, as written. Empty when there are none. */
  readonly suites: Readonly<Record<string, readonly string[]>>;
  readonly outDir: string | undefined;
  readonly history: string | undefined;
  readonly historyWindow: number | undefined;
  readonly failOnRegression: boolean;
  readonly warmupMs: number | undefined;
  readonly sampleIntervalMs: number | undefined;
  readonly stallTimeoutMs: number | undefined;
  readonly maxOldSpaceSizeMb: number | undefined;
  readonly target: string | undefined;
  readonly options: Readonly<Record<string, string>>;
  readonly profile: readonly ProfileKind[] | undefined;
  readonly snapshots: SnapshotMode;
  readonly showValues: boolean;
  readonly gentle: boolean;
  readonly programs: readonly ValidProgram[];
  /** Load runs as `memprobe load` flags; checked in full (URLs, rates, scenario files) when check starts. */
  readonly loads: readonly LoadFlags[];
}

export interface ValidProgram {
  readonly command: readonly string[];
  readonly drive: string | undefined;
  /** Requests per second with a `drive` URL. */
  readonly rate: number | undefined;
}

export const CONFIG_KEYS = [
  'probes',
  'duration',
  'maxDuration',
  'budgets',
  'probeBudgets',
  'suites',
  'outDir',
  'history',
  'historyWindow',
  'failOnRegression',
  'warmup',
  'interval',
  'timeout',
  'maxOldSpaceSize',
  'target',
  'options',
  'profile',
  'snapshots',
  'showValues',
  'gentle',
  'programs',
  'load',
] as const;

/** The options of a config's load run that are strings as on the command line (`ws` and `thresholds` apart). */
const LOAD_STRING_KEYS = [
  'url',
  'rate',
  'users',
  'think',
  'duration',
  'warmup',
  'connections',
  'timeout',
  'scenario',
  'broadcast',
  'target',
  'maxLag',
] as const satisfies ReadonlyArray<keyof LoadConfig>;

const KNOWN_KEYS = new Set<string>(CONFIG_KEYS);

type Raw = Record<string, unknown>;

const isPlainObject = (value: unknown): value is Raw =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isNameList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((p) => typeof p === 'string' && p.trim() !== '');

/** Reads one optional key with `parse`; a problem is recorded under the key's name. */
function optional<T>(raw: Raw, key: string, parse: (value: unknown) => Parsed<T>, problems: string[]): T | undefined {
  if (raw[key] === undefined) return undefined;
  const parsed = parse(raw[key]);
  if (parsed.ok) return parsed.value;
  problems.push(`${key}: ${parsed.problem}`);
  return undefined;
}

const duration =
  (example: string) =>
  (value: unknown): Parsed<number> =>
    typeof value === 'string' ? parseDuration(value) : { ok: false, problem: `must be a string such as '${example}'` };

const nonEmptyString =
  (what: string) =>
  (value: unknown): Parsed<string> =>
    typeof value === 'string' && value.trim() !== '' ? { ok: true, value } : { ok: false, problem: `must be ${what}` };

const positiveInteger = (value: unknown): Parsed<number> =>
  typeof value === 'number' && Number.isInteger(value) && value > 0
    ? { ok: true, value }
    : { ok: false, problem: 'must be a positive whole number' };

const boolean = (value: unknown): Parsed<boolean> =>
  typeof value === 'boolean' ? { ok: true, value } : { ok: false, problem: 'must be true or false' };

function profileKinds(value: unknown): Parsed<ProfileKind[]> {
  if (Array.isArray(value) && value.every((k) => k === 'heap' || k === 'cpu'))
    return { ok: true, value: value as ProfileKind[] };
  return { ok: false, problem: "must be an array of 'heap' and/or 'cpu'" };
}

function snapshotMode(value: unknown): Parsed<SnapshotMode> {
  if (typeof value === 'boolean' || value === 'on-fail') return { ok: true, value };
  return { ok: false, problem: "must be true, false or 'on-fail'" };
}

function stringRecord(value: unknown): Parsed<Record<string, string>> {
  if (!isPlainObject(value))
    return { ok: false, problem: "must be an object of strings, like { connections: '1000' }" };
  const bad = Object.entries(value)
    .filter(([, v]) => typeof v !== 'string')
    .map(([k]) => k);
  if (bad.length > 0) return { ok: false, problem: `${bad.join(', ')}: must be strings (write '1000', not 1000)` };
  return { ok: true, value: value as Record<string, string> };
}

function checkSuites(value: unknown, problems: string[]): Record<string, string[]> {
  const suites: Record<string, string[]> = {};
  if (value === undefined) return suites;
  if (!isPlainObject(value)) {
    problems.push("suites: must be an object of probe lists, like { websocket: ['ws-fanout'] }");
    return suites;
  }
  for (const [name, probes] of Object.entries(value)) {
    if (name.trim() === '') problems.push('suites: a suite name is empty');
    else if (!isNameList(probes) || probes.length === 0)
      problems.push(`suites.${name}: must be a non-empty array of probe names or files`);
    else suites[name] = probes;
  }
  return suites;
}

function checkPrograms(value: unknown, problems: string[]): ValidProgram[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push(
      "programs: must be an array like [{ command: ['node', 'server.js'], drive: 'http://127.0.0.1:{port}/' }]",
    );
    return [];
  }
  return value.flatMap((entry: unknown, i): ValidProgram[] => {
    const where = `programs[${i}]`;
    if (!isPlainObject(entry) || !isNameList(entry.command) || entry.command.length === 0) {
      problems.push(`${where}.command: must be a non-empty array of strings, like ['node', 'server.js']`);
      return [];
    }
    for (const key of Object.keys(entry))
      if (!['command', 'drive', 'rate'].includes(key))
        problems.push(`${where}.${key}: unknown key (known: command, drive, rate)`);
    const drive = optional(entry, 'drive', nonEmptyString('a URL or a driver module path'), problems);
    const rate = optional(
      entry,
      'rate',
      (v) => (typeof v === 'string' ? parseRequestRate(v) : { ok: false, problem: "must be a string such as '200/s'" }),
      problems,
    );
    if (rate !== undefined && !/^https?:\/\//.test(drive ?? '')) problems.push(`${where}.rate: goes with a drive URL`);
    return [{ command: entry.command, drive, rate }];
  });
}

function checkLoads(value: unknown, problems: string[]): LoadFlags[] {
  if (value === undefined) return [];
  const entries = Array.isArray(value) ? value : [value];
  return entries.flatMap((entry: unknown, i): LoadFlags[] => {
    const where = entries.length > 1 ? `load[${i}]` : 'load'; // as check names them when it resolves them
    if (!isPlainObject(entry)) {
      problems.push(`${where}: must be an object of memprobe load options, like { users: '1,5,10', duration: '20s' }`);
      return [];
    }
    const known = [...LOAD_STRING_KEYS, 'ws', 'thresholds'];
    for (const key of Object.keys(entry))
      if (!known.includes(key)) problems.push(`${where}.${key}: unknown key (known: ${known.join(', ')})`);
    const flags: LoadFlags = { threshold: [] };
    for (const key of LOAD_STRING_KEYS) {
      const text = entry[key];
      if (typeof text === 'string' && text.trim() !== '') flags[key] = text;
      else if (text !== undefined)
        problems.push(`${where}.${key}: must be a string, as on the command line (write '1000', not 1000)`);
    }
    if (entry.ws !== undefined) {
      if (entry.ws === true || (typeof entry.ws === 'string' && entry.ws.trim() !== '')) flags.ws = entry.ws;
      else problems.push(`${where}.ws: must be a WebSocket URL, or true for the embedded service's`);
    }
    if (entry.thresholds !== undefined) {
      if (isNameList(entry.thresholds)) flags.threshold = entry.thresholds;
      else problems.push(`${where}.thresholds: must be an array of strings such as 'p95<500ms'`);
    }
    return [flags];
  });
}

function checkProbeBudgets(value: unknown, problems: string[]): Record<string, BudgetSpec> {
  const probeBudgets: Record<string, BudgetSpec> = {};
  if (value === undefined) return probeBudgets;
  if (!isPlainObject(value)) {
    problems.push('probeBudgets: must be an object keyed by probe name');
    return probeBudgets;
  }
  for (const [name, spec] of Object.entries(value)) {
    const where = `probeBudgets.${name}`;
    const checked = checkBudgetSpec(spec, where);
    problems.push(...checked.problems, ...resolveBudgets([{ source: `${where}.`, spec: checked.spec }]).problems);
    probeBudgets[name] = checked.spec;
  }
  return probeBudgets;
}

export function validateConfig(value: unknown): { config: ValidConfig; problems: string[] } {
  const problems: string[] = [];
  if (!isPlainObject(value)) {
    return {
      config: validateConfig({}).config,
      problems: ['the config must be an object (export default defineConfig({ ... }))'],
    };
  }
  const raw = value;
  for (const key of Object.keys(raw)) {
    if (!KNOWN_KEYS.has(key)) problems.push(`${key}: unknown key (known: ${CONFIG_KEYS.join(', ')})`);
  }
  let probes: string[] | undefined;
  if (raw.probes !== undefined) {
    if (isNameList(raw.probes)) probes = raw.probes;
    else problems.push('probes: must be an array of probe names or files');
  }
  const durationMs = optional(raw, 'duration', duration('60s'), problems);
  const warmupMs = optional(raw, 'warmup', duration('2s'), problems);
  if (warmupMs !== undefined && durationMs !== undefined && warmupMs >= durationMs)
    problems.push('warmup: must be shorter than duration');
  const budgets = checkBudgetSpec(raw.budgets, 'budgets');
  problems.push(...budgets.problems, ...resolveBudgets([{ source: 'budgets.', spec: budgets.spec }]).problems);
  const config: ValidConfig = {
    probes,
    durationMs,
    maxDurationMs: optional(raw, 'maxDuration', duration('3m'), problems),
    budgets: budgets.spec,
    probeBudgets: checkProbeBudgets(raw.probeBudgets, problems),
    suites: checkSuites(raw.suites, problems),
    outDir: optional(raw, 'outDir', nonEmptyString('a folder path'), problems),
    history: optional(raw, 'history', nonEmptyString('a file path such as .memprobe/history.jsonl'), problems),
    historyWindow: optional(raw, 'historyWindow', positiveInteger, problems),
    failOnRegression: optional(raw, 'failOnRegression', boolean, problems) ?? false,
    warmupMs,
    sampleIntervalMs: optional(raw, 'interval', duration('250ms'), problems),
    stallTimeoutMs: optional(raw, 'timeout', duration('30s'), problems),
    maxOldSpaceSizeMb: optional(raw, 'maxOldSpaceSize', positiveInteger, problems),
    target: optional(raw, 'target', nonEmptyString('a module path'), problems),
    options: optional(raw, 'options', stringRecord, problems) ?? {},
    profile: optional(raw, 'profile', profileKinds, problems),
    snapshots: optional(raw, 'snapshots', snapshotMode, problems) ?? false,
    showValues: optional(raw, 'showValues', boolean, problems) ?? false,
    gentle: optional(raw, 'gentle', boolean, problems) ?? false,
    programs: checkPrograms(raw.programs, problems),
    loads: checkLoads(raw.load, problems),
  };
  return { config, problems };
}
