/**
 * Which strings of a snapshot are values to hide. A snapshot's strings table holds every string of the
 * process: values (string nodes: tokens, passwords, request bodies; a script's source is one too) and names
 * (classes, functions, properties, variables, edge names). Names are kept, so the leak method still groups and
 * labels what leaked; a string used only as the value of a string node is replaced. A value that is also used
 * as a name (a dictionary keyed by it, an internalized literal) stays: the graph's labels need it.
 */
import type { HeapSnapshot } from './snapshot.js';

/** Plan entries: 0 keep, 1 replace. */
export interface RedactionPlan {
  readonly replace: Uint8Array;
  readonly replaced: number;
  /** Values kept because they are names too. */
  readonly keptAsNames: number;
}

export function planRedaction(snapshot: HeapSnapshot, keep: readonly RegExp[] = []): RedactionPlan {
  const { nodeCount, nodeName, edgeName, strings } = snapshot;
  const use = new Uint8Array(strings.length); // bit 1: a value, bit 2: a name
  for (let node = 0; node < nodeCount; node++) use[nodeName[node]!]! |= snapshot.isString(node) ? 1 : 2;
  const edges = edgeName.length;
  for (let e = 0; e < edges; e++) if (!snapshot.hasIndexName(e)) use[edgeName[e]!]! |= 2;
  const replace = new Uint8Array(strings.length);
  let replaced = 0;
  let keptAsNames = 0;
  for (let s = 0; s < strings.length; s++) {
    if (use[s] === 3) keptAsNames++;
    if (use[s] !== 1) continue;
    if (keep.length > 0) {
      const text = strings.get(s);
      if (keep.some((pattern) => pattern.test(text))) continue;
    }
    replace[s] = 1;
    replaced++;
  }
  return { replace, replaced, keptAsNames };
}

/**
 * The placeholder for a value of `length` characters: its length class (the next power of two, at least 8),
 * so the redacted file tells short from long strings without giving a secret's exact length.
 */
export function placeholder(length: number): string {
  let size = 8;
  while (size < length && size < 1 << 20) size *= 2;
  const mark = '<redacted>';
  return size <= mark.length ? '*'.repeat(size) : `${mark}${'*'.repeat(size - mark.length)}`;
}
