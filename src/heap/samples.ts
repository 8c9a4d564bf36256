/**
 * Short texts that show what a leak cluster holds: a few of its entries, so "session store" or "metric series by
 * raw path" is visible without opening the snapshot. Snapshots hold every string in memory (tokens, passwords,
 * session ids) and reports go where snapshots do not (CI logs, public artifacts): by default a sample shows shape,
 * not content (`string(24): Object{cookie, user} @1234`); with `showValues` (`--show-values`) it shows the
 * characters of keys and string values too, cut short.
 */
import type { ClassIndex } from './classes.js';
import { isBackingStore, kindLabel } from './path-shape.js';
import { looksLikeName } from './labels.js';
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

/** Characters counted before a string's length is given as `1024+`: V8 cuts a flat string's name there. */
const MAX_COUNTED = 1024;

/** `string(24)`: a string node's kind and length (`string` alone when a slice hides its length). */
export function stringShape(snapshot: HeapSnapshot, node: number): string {
  let length = 0;
  const stack = [node];
  let visits = 0;
  while (stack.length > 0 && length < MAX_COUNTED && visits++ < 256) {
    const current = stack.pop()!;
    const type = snapshot.nodeType[current];
    if (type === snapshot.kinds.slicedString) return 'string';
    if (type === snapshot.kinds.consString) stack.push(...stringParts(snapshot, current));
    else length += snapshot.name(current).length;
  }
  return length >= MAX_COUNTED ? `string(${MAX_COUNTED}+)` : `string(${length})`;
}

/** A key's text as data: its characters (cut, `showValues`) or its kind and length. */
export function keyText(key: string, showValues: boolean): string {
  return showValues ? quote(sampleKey(key)) : `string(${key.length})`;
}

/** Property names listed in an object's shape before `…`. */
const SHAPE_NAMES = 4;

/**
 * `Object{cookie, user}`: the class and its first property names. A name that looks like data (a dictionary's
 * id or URL key, see labels.ts) is shown as its kind and length.
 */
export function objectShape(snapshot: HeapSnapshot, classes: ClassIndex, node: number): string {
  const names: string[] = [];
  let more = false;
  for (let e = snapshot.firstEdge[node]!, end = snapshot.firstEdge[node + 1]!; e < end; e++) {
    if (snapshot.edgeType[e] !== snapshot.edgeKinds.property) continue;
    const name = snapshot.strings.get(snapshot.edgeName[e]!);
    // The prototype link is V8's, not the object's shape.
    if (name === '__proto__') continue;
    if (names.length === SHAPE_NAMES) {
      more = true;
      break;
    }
    names.push(looksLikeName(name) ? name : `string(${name.length})`);
  }
  const label = kindLabel(snapshot, classes, node);
  return names.length === 0 ? label : `${label}{${names.join(', ')}${more ? ', …' : ''}}`;
}

/**
 * One sample: `key: value` for a dictionary entry (`key` already as keyText shows it), else the value alone.
 * A string value is its characters quoted and cut (`showValues`) or `string(24)`; an object is its class (its
 * shape without `showValues`) and node id (`Entry @1234`, to find it in DevTools).
 */
export function sampleText(
  snapshot: HeapSnapshot,
  classes: ClassIndex,
  node: number,
  key: string | null,
  showValues: boolean,
): string {
  const id = snapshot.nodeId[node];
  let value: string;
  if (snapshot.isString(node)) value = showValues ? quote(stringPreview(snapshot, node)) : stringShape(snapshot, node);
  else
    value = showValues
      ? `${kindLabel(snapshot, classes, node)} @${id}`
      : `${objectShape(snapshot, classes, node)} @${id}`;
  return key === null ? value : `${key}: ${value}`;
}
