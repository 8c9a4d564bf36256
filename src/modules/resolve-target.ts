/**
 * Resolves `--target MODULE` (soak and load): the service implementation the built-in probes or the embedded
 * load target start instead of the reference one.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';

/** Resolves `--target MODULE`: a module file, or a folder with index.js, index.mjs or index.ts. */
export function resolveTarget(name: string, cwd: string): string {
  const path = resolve(cwd, name);
  if (existsSync(path) && statSync(path).isDirectory()) {
    const index = ['index.js', 'index.mjs', 'index.ts'].map((f) => resolve(path, f)).find((f) => existsSync(f));
    if (index) return index;
    throw new UsageError(`--target ${name}: the folder has no index.js, index.mjs or index.ts`);
  }
  if (existsSync(path)) return path;
  throw new UsageError(`--target ${name}: no module at ${path}`);
}
