/**
 * Imports a user's module (probe, driver, load scenario): .js, .mjs, .cjs or TypeScript. On a Node that strips
 * types, TypeScript is Node's own; the optional `typescript` package is loaded only on a Node that cannot strip
 * types, or for syntax stripping cannot erase (enums, namespaces, parameter properties, type-only imports
 * without `import type`). Hooks are registered only when needed: with `module.registerHooks` where it exists,
 * else `module.register`.
 */
import { spawnSync } from 'node:child_process';
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { ProbeLoadError } from '../errors.js';
import { NATIVE_TYPESCRIPT, registerSyncHooks } from './module-hooks.js';
import { loadTypeScript, TRANSPILE_QUERY, TS_FILE } from './ts-transpile.js';

let hooksRegistered = false;

function registerHooks(): void {
  if (hooksRegistered) return;
  if (!registerSyncHooks()) register(new URL('./ts-hooks.js', import.meta.url));
  hooksRegistered = true;
}

/** Registers the hooks when `file` (a path or file URL) is TypeScript, for modules imported without importModule. */
export function prepareImport(file: string): void {
  if (TS_FILE.test(file)) registerHooks();
}

const codeOf = (error: unknown): unknown => (error as { code?: unknown } | null)?.code;

function isMissingMemprobe(error: unknown): boolean {
  const message = (error as { message?: unknown }).message;
  return codeOf(error) === 'ERR_MODULE_NOT_FOUND' && typeof message === 'string' && message.includes("'memprobe'");
}

/** Node's type stripping refused the file: syntax it cannot erase, a file under node_modules, a type-only import. */
function strippingFailed(error: unknown): boolean {
  const code = codeOf(error);
  if (typeof code === 'string' && /^ERR_(UNSUPPORTED|INVALID)_(TYPESCRIPT|NODE_MODULES_TYPE)/.test(code)) return true;
  return error instanceof SyntaxError && /does not provide an export named/.test(error.message);
}

function noTypeScript(file: string, why: string): ProbeLoadError {
  const fix = 'install typescript (npm install --save-dev typescript) and memprobe will transpile it';
  return new ProbeLoadError(`${file}: ${why}: ${fix}`);
}

/**
 * A syntax error in an ES module carries no file or line (node prints them only for an uncaught one):
 * `node --check` finds them, on this rare path only.
 */
function withLocation(file: string, error: unknown): unknown {
  if (!(error instanceof SyntaxError) || strippingFailed(error)) return error;
  const check = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8', timeout: 10_000 });
  const where = /^(.+):(\d+)$/m.exec(check.stderr ?? '');
  const at = where ? `${where[1]}:${where[2]}` : file;
  return new ProbeLoadError(`${at}: SyntaxError: ${error.message}`);
}

/** Imports `file` (an absolute path), retrying once with the hooks a failure calls for. */
export async function importModule(file: string): Promise<Record<string, unknown>> {
  const typescript = TS_FILE.test(file);
  if (typescript) registerHooks();
  const url = pathToFileURL(file).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (error) {
    if (codeOf(error) === 'MEMPROBE_NO_TYPESCRIPT') {
      throw noTypeScript(file, `Node ${process.version} cannot strip TypeScript types`);
    }
    // A probe outside any project that has memprobe installed still imports 'memprobe'.
    if (isMissingMemprobe(error) && !hooksRegistered) {
      registerHooks();
      return (await import(`${url}?memprobe-retry`)) as Record<string, unknown>;
    }
    if (!typescript || !NATIVE_TYPESCRIPT || !strippingFailed(error)) throw withLocation(file, error);
    const why = `Node's type stripping cannot load it (${(error as Error).message.split('\n')[0]})`;
    if (!loadTypeScript()) throw noTypeScript(file, why);
    return (await import(`${url}?${TRANSPILE_QUERY}`)) as Record<string, unknown>;
  }
}
