/**
 * Module hooks for a Node with `module.registerHooks` (22.15+, 23.5+): synchronous, in this thread, and not
 * deprecated (Node 26 deprecates `module.register`). TypeScript files are left to Node's own type stripping
 * where it exists; a file is transpiled with the optional `typescript` package only when its URL carries
 * `?memprobe-transpile` (a retry after stripping failed) or when this Node cannot strip types.
 */
import { readFileSync } from 'node:fs';
import module from 'node:module';
import { fallbackSpecifier, loadTypeScript, transpile, TRANSPILE_QUERY, TS_FILE, urlPath } from './ts-transpile.js';

interface ResolveResult {
  url: string;
  format?: string | null;
  shortCircuit?: boolean;
}
interface LoadResult {
  format?: string | null;
  source?: string | ArrayBuffer | Uint8Array | null;
  shortCircuit?: boolean;
}
type SyncHooks = {
  resolve(
    specifier: string,
    context: { parentURL?: string },
    next: (s: string, c?: unknown) => ResolveResult,
  ): ResolveResult;
  load(url: string, context: unknown, next: (u: string, c?: unknown) => LoadResult): LoadResult;
};
type RegisterHooks = (hooks: SyncHooks) => unknown;

/** Node strips TypeScript types by itself (22.18+, 23.6+; `process.features.typescript`). */
export const NATIVE_TYPESCRIPT = Boolean((process.features as { typescript?: unknown }).typescript);

const isTranspiled = (url: string): boolean => url.includes(`?${TRANSPILE_QUERY}`);

const hooks: SyncHooks = {
  resolve(specifier, context, next) {
    let result: ResolveResult;
    try {
      result = next(specifier, context);
    } catch (error) {
      const fallback = fallbackSpecifier(specifier, context.parentURL);
      if (fallback === null) throw error;
      result = fallback.startsWith('file:') ? { url: fallback, shortCircuit: true } : next(fallback, context);
    }
    // Everything a transpiled file imports is transpiled too: a stripped copy may already sit failed in the cache.
    const parent = context.parentURL ?? '';
    if (isTranspiled(parent) && TS_FILE.test(urlPath(result.url)) && !isTranspiled(result.url)) {
      return { ...result, url: `${result.url}${result.url.includes('?') ? '&' : '?'}${TRANSPILE_QUERY}` };
    }
    return result;
  },
  load(url, context, next) {
    const path = urlPath(url);
    if (!TS_FILE.test(path) || (NATIVE_TYPESCRIPT && !isTranspiled(url))) return next(url, context);
    const ts = loadTypeScript();
    if (!ts) throw Object.assign(new Error('typescript is not installed'), { code: 'MEMPROBE_NO_TYPESCRIPT' });
    return { ...transpile(ts, readFileSync(path, 'utf8'), path), shortCircuit: true };
  },
};

/** Registers the hooks with `module.registerHooks`; false where this Node does not have it. */
export function registerSyncHooks(): boolean {
  const register = (module as unknown as { registerHooks?: RegisterHooks }).registerHooks;
  register?.(hooks);
  return register !== undefined;
}
