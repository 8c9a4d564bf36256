/**
 * The fingerprint of what a sharded check was asked to run. Shards of one check must agree on it: a runner
 * with another config, another --duration or another --suites would otherwise be merged into a report of a
 * check that never existed. Deterministic: keys are sorted, so object order does not change the hash.
 */
import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level (arrays keep their order; undefined fields are left out). */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => stableStringify(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}

/** `sha256:` and the first 16 hex digits: enough to tell configs apart, short enough to read in an error. */
export function configHash(value: unknown): string {
  return `sha256:${createHash('sha256').update(stableStringify(value)).digest('hex').slice(0, 16)}`;
}
