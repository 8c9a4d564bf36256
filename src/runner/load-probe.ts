/**
 * Loads a probe module inside the child: .js, .mjs, .cjs or .ts, default export or module.exports,
 * `defineProbe(...)` or a plain object. TypeScript is transpiled by loader hooks registered only when needed.
 */
import { register } from 'node:module';
import { extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ProbeLoadError } from '../errors.js';
import type { ProbeDefinition } from '../types.js';

const TS_EXTENSIONS = new Set(['.ts', '.mts', '.cts']);
let hooksRegistered = false;

/** Registers the TypeScript / self-reference hooks once; they run on a loader thread. */
function registerHooks(): void {
  if (hooksRegistered) return;
  register(new URL('./ts-hooks.js', import.meta.url));
  hooksRegistered = true;
}

function isMissingMemprobe(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown };
  return e.code === 'ERR_MODULE_NOT_FOUND' && typeof e.message === 'string' && e.message.includes("'memprobe'");
}

/** Registers the TypeScript hooks when `file` (a path or file URL) needs them. */
export function prepareImport(file: string): void {
  if (TS_EXTENSIONS.has(extname(file))) registerHooks();
}

async function importModule(file: string): Promise<Record<string, unknown>> {
  prepareImport(file);
  const url = pathToFileURL(file).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (error) {
    // A probe outside any project that has memprobe installed still imports 'memprobe'.
    if (!isMissingMemprobe(error) || hooksRegistered) throw error;
    registerHooks();
    return (await import(`${url}?memprobe-retry`)) as Record<string, unknown>;
  }
}

/** Imports `file` and checks that its default export is a probe. */
export async function loadProbe(file: string): Promise<ProbeDefinition> {
  const module = await importModule(file);
  let probe = module.default;
  // A CommonJS module compiled from `export default` nests the value one level down.
  if (probe && typeof probe === 'object' && 'default' in probe && !('iteration' in probe)) {
    probe = (probe as { default: unknown }).default;
  }
  if (!probe || typeof probe !== 'object') {
    throw new ProbeLoadError(`${file}: no default export (export default defineProbe({ name, iteration }))`);
  }
  const candidate = probe as Partial<ProbeDefinition>;
  const problems: string[] = [];
  if (typeof candidate.name !== 'string' || candidate.name === '') problems.push('name must be a non-empty string');
  if (typeof candidate.iteration !== 'function') problems.push('iteration must be a function');
  for (const hook of ['setup', 'teardown', 'items'] as const) {
    if (candidate[hook] !== undefined && typeof candidate[hook] !== 'function') problems.push(`${hook} must be a function`);
  }
  if (problems.length > 0) throw new ProbeLoadError(`${file}: not a probe: ${problems.join('; ')}`);
  return candidate as ProbeDefinition;
}
