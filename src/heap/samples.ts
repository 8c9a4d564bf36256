/**
 * Short texts that show what a leak cluster holds: a few keys and values of its entries, strings truncated, so
 * "session store" or "metric series by raw path" is visible without opening the snapshot. Snapshots hold every
 * string in memory (tokens, passwords): samples are kept short, and only where the report already goes.
 */
import type { ClassIndex } from './classes.js';
import { isBackingStore, kindLabel } from './path-shape.js';
import { edgeSource } from './paths.js';
import type { HeapSnapshot } from './snapshot.js';

/**
 * Characters of a string value, and of a key, shown in a sample. Reports are not private files (CI artifacts,
 * logs): enough to recognise a session record, a URL or a label set, not a whole token.
 */
export const SAMPLE_CHARS = 32;
export const KEY_CHARS = 40;

/** A key that looks like a random id or token (one long word): only its first characters are shown. */
const TOKEN = /^[\w-]{16,}$/;
const TOKEN_CHARS = 8;

/** A key as a sample shows it: structured keys (paths, label sets) up to KEY_CHARS, tokens cut short. */
export function sampleKey(key: string): string {
  if (TOKEN.test(key)) return `${key.slice(0, TOKEN_CHARS)}…`;
  return key.length > KEY_CHARS ? `${key.slice(0, KEY_CHARS - 1)}…` : key;
}

/**
 * The text of a string node, at most `max` characters: flat strings carry their text as their name (V8 cuts it
 * at 1024), concatenated strings are read through their `first`/`second` parts, sliced ones through `parent`.
 */
export function stringPreview(snapshot: HeapSnapshot, node: number, max = SAMPLE_CHARS): string {
  let text = '';
  // An explicit stack: deep cons trees (strings built by +=) would overflow a recursive walk.
  const stack = [node];
  let visits = 0;
  // Read past `max` so a string cut exactly there still gets its ellipsis.
  while (stack.length > 0 && text.length <= max && visits++ < 256) {
    const current = stack.pop()!;
    const type = snapshot.nodeType[current];
    if (type === snapshot.kinds.consString || type === snapshot.kinds.slicedString) {
      const parts = stringParts(snapshot, current);
      for (let i = parts.length - 1; i >= 0; i--) stack.push(parts[i]!);
      if (type === snapshot.kinds.slicedString) text += '…';
      continue;
    }
    text += snapshot.name(current);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function stringParts(snapshot: HeapSnapshot, node: number): number[] {
  const parts: number[] = [];
  for (let e = snapshot.firstEdge[node]!, end = snapshot.firstEdge[node + 1]!; e < end; e++) {
    const name = snapshot.hasIndexName(e) ? '' : snapshot.strings.get(snapshot.edgeName[e]!);
    if (name === 'first' || name === 'second' || name === 'parent') parts.push(snapshot.edgeTo[e]!);
  }
  return parts;
}

/**
 * The key node of a Map value reached by `edge` from the Map's hash table, or null. V8 lays a table's entries out
 * as key, value, chain: the key is the table's slot just before the value's.
 */
export function mapKeyOf(snapshot: HeapSnapshot, edge: number): number | null {
  const table = edgeSource(snapshot, edge);
  if (!isBackingStore(snapshot, table)) return null;
  const slot = slotIndex(snapshot, edge);
  if (slot === null || slot === 0) return null;
  for (let e = snapshot.firstEdge[table]!, end = snapshot.firstEdge[table + 1]!; e < end; e++) {
    if (slotIndex(snapshot, e) === slot - 1) return snapshot.edgeTo[e]!;
  }
  return null;
}

function slotIndex(snapshot: HeapSnapshot, edge: number): number | null {
  if (snapshot.hasIndexName(edge)) return snapshot.edgeName[edge]!;
  const text = snapshot.strings.get(snapshot.edgeName[edge]!);
  return /^\d+$/.test(text) ? Number(text) : null;
}

function quote(text: string): string {
  return JSON.stringify(text);
}

/**
 * One sample: `"key": value` for a dictionary entry, else the value alone; a string value is quoted and
 * truncated, an object is its class and node id (`Entry @1234`, to find it in DevTools).
 */
export function sampleText(snapshot: HeapSnapshot, classes: ClassIndex, node: number, key: string | null): string {
  const value = snapshot.isString(node)
    ? quote(stringPreview(snapshot, node))
    : `${kindLabel(snapshot, classes, node)} @${snapshot.nodeId[node]}`;
  if (key === null) return value;
  return `${quote(sampleKey(key))}: ${value}`;
}
