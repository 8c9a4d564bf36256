/**
 * Module hooks for a Node without `module.registerHooks` (20.x, 22 before 22.15), registered with
 * `module.register` and run on a loader thread: TypeScript files are transpiled with the optional `typescript`
 * package (these Nodes cannot strip types by default), plus the resolution fallbacks of ts-transpile.ts.
 */
import { readFile } from 'node:fs/promises';
import { fallbackSpecifier, loadTypeScript, transpile, TS_FILE, urlPath } from './ts-transpile.js';

interface ResolveResult {
  url: string;
  format?: string | null;
  shortCircuit?: boolean;
}
interface LoadResult {
  format: string;
  source?: string | ArrayBuffer | Uint8Array | null;
  shortCircuit?: boolean;
}
type NextResolve = (specifier: string, context: unknown) => Promise<ResolveResult>;
type NextLoad = (url: string, context: unknown) => Promise<LoadResult>;

export async function resolve(
  specifier: string,
  context: { parentURL?: string },
  next: NextResolve,
): Promise<ResolveResult> {
  try {
    return await next(specifier, context);
  } catch (error) {
    const fallback = fallbackSpecifier(specifier, context.parentURL);
    if (fallback === null) throw error;
    return fallback.startsWith('file:') ? { url: fallback, shortCircuit: true } : next(fallback, context);
  }
}

export async function load(url: string, context: unknown, next: NextLoad): Promise<LoadResult> {
  const path = urlPath(url);
  if (!TS_FILE.test(path)) return next(url, context);
  const ts = loadTypeScript();
  // The importer turns this into a one-line error naming the file.
  if (!ts) throw Object.assign(new Error('typescript is not installed'), { code: 'MEMPROBE_NO_TYPESCRIPT' });
  return { ...transpile(ts, await readFile(path, 'utf8'), path), shortCircuit: true };
}
