/**
 * Turns what the user named (`offline-queue`, `./my-probe.ts`) into probe files,
 * reporting every name that matches nothing before any child starts.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors.js';

const BUILTIN_DIR = fileURLToPath(new URL('../../probes/', import.meta.url));
const PROBE_EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts']);

/** Names of the built-in probes, in the order `memprobe soak` runs them. */
export const BUILTIN_ORDER = ['notification-create', 'offline-queue', 'ws-fanout'];

export function builtinProbes(): Map<string, string> {
  const found = new Map<string, string>();
  if (!existsSync(BUILTIN_DIR)) return found;
  for (const entry of readdirSync(BUILTIN_DIR)) {
    if (extname(entry) === '.js') found.set(basename(entry, '.js'), resolve(BUILTIN_DIR, entry));
  }
  const rank = (name: string): number => {
    const index = BUILTIN_ORDER.indexOf(name);
    return index < 0 ? BUILTIN_ORDER.length : index;
  };
  return new Map([...found].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b)));
}

function looksLikePath(name: string): boolean {
  return name.includes('/') || name.includes('\\') || PROBE_EXTENSIONS.has(extname(name));
}

/** Resolves probe names and paths relative to `cwd`; no names means every built-in probe. */
export function resolveProbes(names: readonly string[], cwd: string): string[] {
  const builtins = builtinProbes();
  if (names.length === 0) return [...builtins.values()];
  const files: string[] = [];
  const problems: string[] = [];
  for (const name of names) {
    const builtin = builtins.get(name);
    if (builtin && !looksLikePath(name)) {
      files.push(builtin);
      continue;
    }
    const file = resolve(cwd, name);
    if (existsSync(file) && statSync(file).isFile()) {
      files.push(file);
    } else if (looksLikePath(name)) {
      problems.push(`no probe file at ${file}`);
    } else {
      const known = [...builtins.keys()].join(', ') || 'none';
      problems.push(`unknown probe '${name}' (built-in: ${known}; or give a file path)`);
    }
  }
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  return files;
}
