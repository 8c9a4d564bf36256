/**
 * `memprobe load` options: every flag checked, every problem collected before anything runs, and the
 * run resolved into one LoadOptions (mode, target, schedule, scenario, thresholds).
 */
import { pathToFileURL } from 'node:url';
import { parseDuration, parseRequestRate, type Parsed } from '../core/units.js';
import { resolveTarget } from '../modules/resolve-target.js';
import {
  DEFAULT_USERS,
  LOAD_DURATION_MS,
  LOAD_WARMUP_MS,
  MAX_CLIENTS,
  OPEN_CONNECTIONS,
  REQUEST_TIMEOUT_MS,
  SATURATION_LAG_P99_MS,
  WS_BROADCAST_PATH,
  WS_BROADCAST_RATE,
  WS_CONNECTIONS,
} from './defaults.js';
import { NOTIFICATION_SCENARIO } from './notification-scenario.js';
import { loadScenario, validateScenario } from './scenario.js';
import { resolveThresholds } from './thresholds.js';
import type { LoadMode, ScenarioSpec, ThresholdSpec } from './plan-types.js';

/** The flags as commander hands them over. */
export interface LoadFlags {
  url?: string;
  /** `--ws` alone: the embedded service's WebSocket endpoint. */
  ws?: string | boolean;
  rate?: string;
  users?: string;
  think?: string;
  duration?: string;
  warmup?: string;
  connections?: string;
  timeout?: string;
  scenario?: string;
  broadcast?: string;
  target?: string;
  threshold: string[];
  maxLag?: string;
  json?: string;
}

export interface LoadOptions {
  readonly mode: LoadMode;
  /** The HTTP target as given (null: embedded or ws only). */
  readonly url: string | null;
  /** The WebSocket URL as given (null: embedded). */
  readonly wsUrl: string | null;
  readonly embedded: boolean;
  readonly rate: number;
  readonly users: readonly number[];
  readonly thinkMs: number;
  /** Total measured time (a ramp shares it between its steps). */
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly connections: number;
  readonly timeoutMs: number;
  readonly scenario: ScenarioSpec;
  readonly scenarioFile: string | null;
  readonly thresholds: readonly ThresholdSpec[];
  /** ws mode: the path POSTed to trigger a broadcast, or null (`--broadcast none`). */
  readonly broadcastPath: string | null;
  /** --target MODULE as a file URL (embedded only). */
  readonly target: string | undefined;
  /** Generator lateness (send lag p99) tolerated before the run is marked generator-saturated. */
  readonly maxLagMs: number;
  readonly json: string | undefined;
}

const LOOPBACK_RULE = 'memprobe load only targets this machine: the host must be in 127.0.0.0/8, ::1 or localhost';

/** True for localhost, 127.0.0.0/8 and ::1 (as WHATWG URL writes hostnames). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '[::1]' || host === '::1') return true;
  const octets = host.split('.');
  return octets.length === 4 && octets[0] === '127' && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
}

/** Parses a target URL of one of `protocols` and refuses any host that is not loopback. */
export function checkTargetUrl(text: string, flag: string, protocols: readonly string[]): Parsed<URL> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, problem: `${flag} '${text}' is not a valid URL (use e.g. ${protocols[0]}//127.0.0.1:8080/)` };
  }
  if (!protocols.includes(url.protocol)) {
    const secure = url.protocol === 'https:' || url.protocol === 'wss:';
    const names = protocols.map((p) => p.slice(0, -1)).join(' or ');
    const scheme = url.protocol.slice(0, -1);
    const how = secure ? `${scheme} is not supported (local targets only; ${names})` : `use ${names}`;
    return { ok: false, problem: `${flag} ${text}: ${how}` };
  }
  if (!isLoopbackHost(url.hostname)) {
    return { ok: false, problem: `${flag} ${text}: ${LOOPBACK_RULE} (got '${url.hostname}')` };
  }
  return { ok: true, value: url };
}

/** `1,5,10,20` or `10`: a strictly increasing list of user counts. */
export function parseUsers(text: string): Parsed<number[]> {
  const users = text.split(',').map((part) => Number(part.trim()));
  if (users.some((u) => !Number.isInteger(u) || u < 1 || u > MAX_CLIENTS)) {
    return { ok: false, problem: `'${text}' is not a list of user counts (use e.g. 1,5,10,20; each 1-${MAX_CLIENTS})` };
  }
  if (users.some((u, i) => i > 0 && u <= users[i - 1]!)) {
    return { ok: false, problem: `'${text}': steps must grow (e.g. 1,5,10,20)` };
  }
  return { ok: true, value: users };
}

function positiveInteger(text: string, max: number): Parsed<number> {
  const value = Number(text);
  if (Number.isInteger(value) && value > 0 && value <= max) return { ok: true, value };
  return { ok: false, problem: `'${text}' is not a whole number 1-${max}` };
}

/** A duration where 0 means none. */
function durationOrZero(text: string): Parsed<number> {
  return /^\s*0+(\.0+)?\s*(ms|s|m)?\s*$/i.test(text) ? { ok: true, value: 0 } : parseDuration(text);
}

function modeOf(flags: LoadFlags): LoadMode {
  if (flags.ws !== undefined) return 'ws';
  return flags.rate !== undefined ? 'open' : 'closed';
}

/** Flags that do not go together, or do not apply to the mode. */
function conflicts(flags: LoadFlags, mode: LoadMode, embedded: boolean): string[] {
  const problems: string[] = [];
  if (flags.ws === true && flags.url !== undefined) {
    problems.push('--ws needs a WebSocket URL when --url is given (e.g. --ws ws://127.0.0.1:8080/ws)');
  }
  if (flags.rate !== undefined && flags.users !== undefined) {
    problems.push('--rate (open model) and --users (closed model) cannot be combined: choose one');
  }
  if (mode === 'ws') {
    for (const flag of ['users', 'think', 'scenario'] as const) {
      if (flags[flag] !== undefined) problems.push(`--${flag} does not apply to --ws runs`);
    }
  } else if (flags.broadcast !== undefined) problems.push('--broadcast applies only to --ws runs');
  if (mode === 'open' && flags.think !== undefined) {
    problems.push('--think applies to the closed model (--users), not to --rate');
  }
  if (mode === 'closed' && flags.connections !== undefined) {
    problems.push(
      '--connections applies to --rate and --ws; ' +
        'in the closed model (--users, the default) each user has its own connection',
    );
  }
  if (flags.target !== undefined && !embedded) {
    problems.push('--target applies only to the embedded service (without --url/--ws)');
  }
  return problems;
}

/** Takes a parsed value, or records its problem (prefixed with the flag) and gives undefined. */
type Take = <T>(parsed: Parsed<T>, label: string) => T | undefined;

/** The numbers of the run, each its flag or its default (undefined where the flag is wrong). */
function figures(flags: LoadFlags, mode: LoadMode, take: Take) {
  type Parse<T> = (text: string) => Parsed<T>;
  const optional = <T>(text: string | undefined, fallback: T, parse: Parse<T>, label: string): T | undefined =>
    text === undefined ? fallback : take(parse(text), label);
  const connections = mode === 'ws' ? WS_CONNECTIONS : OPEN_CONNECTIONS;
  return {
    rate: optional(flags.rate, mode === 'ws' ? WS_BROADCAST_RATE : 0, parseRequestRate, '--rate'),
    users: optional<readonly number[]>(flags.users, DEFAULT_USERS, parseUsers, '--users'),
    thinkMs: optional(flags.think, 0, durationOrZero, '--think'),
    durationMs: optional(flags.duration, LOAD_DURATION_MS, parseDuration, '--duration'),
    warmupMs: optional(flags.warmup, LOAD_WARMUP_MS, durationOrZero, '--warmup'),
    timeoutMs: optional(flags.timeout, REQUEST_TIMEOUT_MS, parseDuration, '--timeout'),
    maxLagMs: optional(flags.maxLag, SATURATION_LAG_P99_MS, parseDuration, '--max-lag'),
    connections: optional(flags.connections, connections, (t) => positiveInteger(t, MAX_CLIENTS), '--connections'),
  };
}

/** `--broadcast PATH|none`: the path POSTed to trigger a broadcast, or null for none. */
function broadcastOf(text: string | undefined): Parsed<string | null> {
  if (text === undefined) return { ok: true, value: WS_BROADCAST_PATH };
  if (text === 'none') return { ok: true, value: null };
  if (/^\/\S*$/.test(text)) return { ok: true, value: text };
  return { ok: false, problem: `--broadcast: '${text}' is not a path (e.g. /broadcast) or none` };
}

/** `--target MODULE` as a file URL. */
function targetOf(text: string | undefined, cwd: string): Parsed<string | undefined> {
  if (text === undefined) return { ok: true, value: undefined };
  try {
    return { ok: true, value: pathToFileURL(resolveTarget(text, cwd)).href };
  } catch (error) {
    return { ok: false, problem: (error as Error).message };
  }
}

const getOf = (path: string): ScenarioSpec => ({
  name: `GET ${path}`,
  users: 1,
  setup: [],
  operations: [{ name: `GET ${path}`, method: 'GET', path, headers: {}, body: null, weight: 1, capture: {} }],
});

/** The HTTP scenario: --scenario FILE, one GET of --url, or the built-in mix for the embedded service. */
async function scenarioOf(
  flags: LoadFlags,
  at: { readonly url: URL | undefined; readonly embedded: boolean; readonly cwd: string },
): Promise<{ scenario: ScenarioSpec | null; problems: readonly string[] }> {
  if (flags.scenario !== undefined) return loadScenario(flags.scenario, at.cwd);
  if (at.url !== undefined) return { scenario: getOf(`${at.url.pathname}${at.url.search}`), problems: [] };
  if (!at.embedded) return { scenario: null, problems: [] };
  return { scenario: validateScenario(NOTIFICATION_SCENARIO, 'built-in notification scenario').scenario, problems: [] };
}

/** ws mode: one broadcast trigger as the scenario the generator runs. */
const fanOut = (broadcastPath: string | null): ScenarioSpec => ({
  name: 'websocket fan-out',
  users: 1,
  setup: [],
  operations: [
    { name: 'broadcast', method: 'POST', path: broadcastPath ?? '/', headers: {}, body: null, weight: 1, capture: {} },
  ],
});

/** Resolves the flags; `problems` lists everything wrong (then `options` is null). */
export async function resolveLoadOptions(
  flags: LoadFlags,
  cwd: string,
): Promise<{ options: LoadOptions | null; problems: string[] }> {
  const problems: string[] = [];
  const take: Take = (parsed, label) => {
    if (parsed.ok) return parsed.value;
    problems.push(label === '' ? parsed.problem : `${label}: ${parsed.problem}`);
    return undefined;
  };
  const mode = modeOf(flags);
  const url = flags.url === undefined ? undefined : take(checkTargetUrl(flags.url, '--url', ['http:']), '');
  const wsText = typeof flags.ws === 'string' ? flags.ws : undefined;
  const wsUrl = wsText === undefined ? undefined : take(checkTargetUrl(wsText, '--ws', ['ws:']), '');
  const embedded = flags.url === undefined && wsText === undefined;
  problems.push(...conflicts(flags, mode, embedded));
  const n = figures(flags, mode, take);
  const broadcast = broadcastOf(flags.broadcast);
  const broadcastPath = broadcast.ok ? broadcast.value : WS_BROADCAST_PATH;
  if (!broadcast.ok) problems.push(broadcast.problem);
  if (broadcastPath === null && flags.rate !== undefined) {
    problems.push('--rate has no effect with --broadcast none (the server broadcasts on its own)');
  }
  const { users, durationMs } = n;
  if (mode === 'closed' && users !== undefined && durationMs !== undefined && durationMs / users.length < 200) {
    problems.push(`--duration: ${durationMs} ms shared by ${users.length} steps leaves under 200 ms per step`);
  }
  const target = take(targetOf(flags.target, cwd), '');
  const thresholds = resolveThresholds(mode, flags.threshold);
  problems.push(...thresholds.problems);
  const loaded = mode === 'ws' ? { scenario: null, problems: [] } : await scenarioOf(flags, { url, embedded, cwd });
  problems.push(...loaded.problems);
  if (problems.length > 0) return { options: null, problems };
  return {
    options: {
      mode,
      url: url?.href ?? null,
      // URL percent-encodes the braces of `{user}` and `{i}` in a path; they are filled in per client.
      wsUrl: wsUrl?.href.replaceAll('%7B', '{').replaceAll('%7D', '}') ?? null,
      embedded,
      rate: mode === 'ws' && broadcastPath === null ? 0 : n.rate!,
      users: mode === 'closed' ? users! : [],
      thinkMs: n.thinkMs!,
      durationMs: durationMs!,
      warmupMs: n.warmupMs!,
      connections: mode === 'closed' ? Math.max(...users!) : n.connections!,
      timeoutMs: n.timeoutMs!,
      scenario: loaded.scenario ?? fanOut(broadcastPath),
      scenarioFile: flags.scenario ?? null,
      thresholds: thresholds.thresholds,
      broadcastPath,
      target,
      maxLagMs: n.maxLagMs!,
      json: flags.json,
    },
    problems,
  };
}
