/**
 * Scenarios (--scenario FILE): weighted HTTP operations with per-user templates, from JSON or an ES module
 * whose default export is the same object. Validation is pure and returns every problem at once.
 *
 * @example
 * ```json
 * { "name": "notifications", "users": 50,
 *   "setup": [{ "method": "POST", "path": "/users", "body": { "id": "{user}" } }],
 *   "operations": [
 *     { "name": "list", "path": "/users/{user}/notifications?limit=10", "weight": 4 },
 *     { "name": "stats", "path": "/stats", "weight": 1 } ] }
 * ```
 */
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { importModule } from '../modules/import-module.js';
import type { OperationSpec, ScenarioSpec } from './plan-types.js';

/** Variables every template may use: the user id, the request number, a random integer. */
export const BUILTIN_VARIABLES: readonly string[] = ['user', 'i', 'rand'];
const VARIABLE = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const METHOD = /^[A-Z]{1,16}$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_USERS = 1_000_000;

/** Names used in `{...}` in a template. */
export function templateVariables(text: string): string[] {
  return [...text.matchAll(VARIABLE)].map((m) => m[1]!);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function stringRecord(value: unknown, where: string, problems: string[]): Record<string, string> {
  if (value === undefined) return {};
  if (!isRecord(value)) {
    problems.push(`${where}: must be an object of strings`);
    return {};
  }
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === 'string') out[key] = v;
    else problems.push(`${where}.${key}: must be a string`);
  }
  return out;
}

function operation(raw: unknown, where: string, problems: string[]): OperationSpec | null {
  if (!isRecord(raw)) {
    problems.push(`${where}: must be an object with at least a path`);
    return null;
  }
  const method = raw.method === undefined ? 'GET' : typeof raw.method === 'string' ? raw.method.toUpperCase() : '';
  if (!METHOD.test(method)) problems.push(`${where}.method: ${JSON.stringify(raw.method)} is not an HTTP method`);
  const path = typeof raw.path === 'string' ? raw.path : '';
  if (!path.startsWith('/') || /[\s]/.test(path)) {
    problems.push(`${where}.path: must be a string starting with / and without spaces`);
  }
  const weight = raw.weight === undefined ? 1 : raw.weight;
  if (typeof weight !== 'number' || !(weight > 0) || !Number.isFinite(weight)) {
    problems.push(`${where}.weight: must be a number above 0`);
  }
  const name = raw.name === undefined ? `${method} ${path}` : raw.name;
  if (typeof name !== 'string' || name === '') problems.push(`${where}.name: must be a non-empty string`);
  let body: string | null = null;
  if (typeof raw.body === 'string') body = raw.body;
  else if (raw.body !== undefined && raw.body !== null) body = JSON.stringify(raw.body);
  const headers = stringRecord(raw.headers, `${where}.headers`, problems);
  for (const key of Object.keys(headers)) {
    if (!/^[A-Za-z0-9-]+$/.test(key) || /[\r\n]/.test(headers[key]!)) {
      problems.push(`${where}.headers.${key}: not a valid header`);
    }
    if (/^(host|content-length|transfer-encoding|connection)$/i.test(key)) {
      problems.push(`${where}.headers.${key}: set by memprobe`);
    }
  }
  const capture = stringRecord(raw.capture, `${where}.capture`, problems);
  for (const key of Object.keys(capture)) {
    if (!NAME.test(key) || BUILTIN_VARIABLES.includes(key)) {
      problems.push(`${where}.capture.${key}: not a usable variable name`);
    }
  }
  return { name: String(name), method, path, headers, body, weight: Number(weight), capture };
}

/** Checks a scenario object; `source` names it in the problems. */
export function validateScenario(raw: unknown, source: string): { scenario: ScenarioSpec | null; problems: string[] } {
  const problems: string[] = [];
  const at = (text: string): string => `${source}: ${text}`;
  if (!isRecord(raw)) return { scenario: null, problems: [at('must be an object with an operations array')] };
  const users = raw.users === undefined ? 1 : raw.users;
  if (typeof users !== 'number' || !Number.isInteger(users) || users < 1 || users > MAX_USERS) {
    problems.push(at(`users: must be a whole number 1-${MAX_USERS}`));
  }
  const list = (key: 'setup' | 'operations'): OperationSpec[] => {
    const value = raw[key];
    if (value === undefined && key === 'setup') return [];
    if (!Array.isArray(value) || (key === 'operations' && value.length === 0)) {
      problems.push(at(`${key}: must be ${key === 'setup' ? 'an' : 'a non-empty'} array of operations`));
      return [];
    }
    const found: string[] = [];
    const ops = value
      .map((op, i) => operation(op, `${key}[${i}]`, found))
      .filter((op): op is OperationSpec => op !== null);
    problems.push(...found.map(at));
    return ops;
  };
  const setup = list('setup');
  const operations = list('operations');
  const names = new Set<string>();
  for (const op of operations) {
    if (names.has(op.name)) problems.push(at(`operation name ${JSON.stringify(op.name)} is used twice`));
    names.add(op.name);
  }
  const known = new Set([...BUILTIN_VARIABLES, ...[...setup, ...operations].flatMap((op) => Object.keys(op.capture))]);
  for (const op of [...setup, ...operations]) {
    const used = [
      ...templateVariables(op.path),
      ...templateVariables(op.body ?? ''),
      ...Object.values(op.headers).flatMap(templateVariables),
    ];
    for (const name of used) {
      if (!known.has(name)) {
        const names = [...known].map((k) => `{${k}}`).join(', ');
        problems.push(at(`${op.name}: {${name}} is not a variable (use ${names})`));
      }
    }
  }
  const name = typeof raw.name === 'string' && raw.name !== '' ? raw.name : source;
  if (problems.length > 0) return { scenario: null, problems };
  return { scenario: { name, users: users as number, setup, operations }, problems };
}

/** Reads a scenario from JSON or an ES module (default export); problems instead of throws. */
export async function loadScenario(
  file: string,
  cwd: string,
): Promise<{ scenario: ScenarioSpec | null; problems: string[] }> {
  const path = resolve(cwd, file);
  const label = `--scenario ${file}`;
  let raw: unknown;
  try {
    if (extname(path).toLowerCase() === '.json') raw = JSON.parse(await readFile(path, 'utf8'));
    else {
      raw = (await importModule(path)).default;
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const why = code === 'ENOENT' || code === 'ERR_MODULE_NOT_FOUND' ? 'no such file' : (error as Error).message;
    return { scenario: null, problems: [`${label}: ${why}`] };
  }
  return validateScenario(raw, label);
}
