/**
 * Loads a probe module inside the child: .js, .mjs, .cjs or .ts, default export or module.exports,
 * `defineProbe(...)` or a plain object (TypeScript: see import-module.ts).
 */
import { ProbeLoadError } from '../errors.js';
import type { ProbeDefinition } from '../types.js';
import { importModule } from '../modules/import-module.js';

/** Imports `file` and checks that its default export is a probe. */
export async function loadProbe(file: string): Promise<ProbeDefinition> {
  const module = await importModule(file);
  let probe = module.default;
  // A CommonJS module compiled from `export default` nests the value one level down.
  if (probe && typeof probe === 'object' && 'default' in probe && !('iteration' in probe)) {
    probe = (probe as { default: unknown }).default;
  }
  if (typeof probe === 'function') {
    throw new ProbeLoadError(
      `${file}: the default export is a function; export a probe object (export default defineProbe({ name,` +
        ` iteration }))`,
    );
  }
  if (!probe || typeof probe !== 'object') {
    throw new ProbeLoadError(`${file}: no default export (export default defineProbe({ name, iteration }))`);
  }
  const candidate = probe as Partial<ProbeDefinition>;
  const problems: string[] = [];
  if (typeof candidate.name !== 'string' || candidate.name === '') problems.push('name must be a non-empty string');
  if (typeof candidate.iteration !== 'function') problems.push('iteration must be a function');
  for (const hook of ['setup', 'teardown', 'items'] as const) {
    if (candidate[hook] !== undefined && typeof candidate[hook] !== 'function')
      problems.push(`${hook} must be a function`);
  }
  if (problems.length > 0) throw new ProbeLoadError(`${file}: not a probe: ${problems.join('; ')}`);
  return candidate as ProbeDefinition;
}
