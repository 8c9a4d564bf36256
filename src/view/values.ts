/**
 * What the page shows of values held in the heap. Snapshots hold every string in memory (tokens, passwords) and
 * a page is easily screenshotted or shared: unless `--show-values`, a string is shown by its shape, `string(24)`,
 * and only class names, property names and sizes are shown as they are.
 */
import { displayName } from '../heap/inspect.js';
import type { HeapSnapshot } from '../heap/snapshot.js';

/** A string value as its shape; `+` when the text was already cut (a sample keeps 32 characters). */
export function stringShape(text: string): string {
  return text.endsWith('…') ? `string(${text.length - 1}+)` : `string(${text.length})`;
}

/** The node's name as the page shows it: strings by shape unless values are shown. */
export function shownName(snapshot: HeapSnapshot, node: number, showValues: boolean): string {
  if (showValues || !snapshot.isString(node)) return displayName(snapshot, node, showValues);
  if (snapshot.nodeType[node] !== snapshot.kinds.string) return `string(${snapshot.typeName(node)})`;
  return stringShape(snapshot.name(node));
}

/** A JSON string literal inside a sample text: `"key": "value"`, `"key": Entry @12`. */
const QUOTED = /"(?:[^"\\]|\\.)*"/g;

/** A leak cluster's sample with its quoted keys and values replaced by their shapes. */
export function maskSample(sample: string): string {
  return sample.replace(QUOTED, (literal) => {
    let text: string;
    try {
      text = JSON.parse(literal) as string;
    } catch {
      text = literal.slice(1, -1);
    }
    return stringShape(text);
  });
}
