/**
 * Human labels for nodes and edges on retainer paths, exact (for one object) or normalized (for a cluster:
 * indexes collapsed to [], WeakMap entry names stripped of ids).
 */
import type { ClassIndex } from './classes.js';
import type { EphemeronNames } from './edge-rules.js';
import type { PathStep } from './paths.js';
import type { HeapSnapshot } from './snapshot.js';

const DIGITS = /^\d+$/;
/**
 * The global object: `global` on Node 20, `global / ` on 22-24, `global (global*) / ` on 26 (V8 appends the context
 * URL).
 */
const GLOBAL_TAG = /^global( \(global\*?\))?( \/ .*)?$/;
const MAX_LABEL = 80;

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > MAX_LABEL ? `${line.slice(0, MAX_LABEL - 1)}…` : line;
}

/** An identifier, as code names its properties (`#name`: a private class field). */
const IDENTIFIER = /^#?[A-Za-z_$][\w$]*$/;
/** Longest identifier taken for a name; longer ones are data (a key built from a value). */
const MAX_NAME = 40;
/** From this length, an identifier with a digit reads as a generated id or token, not a name. */
const ID_LENGTH = 16;
const ACCESSOR = /^[gs]et /;
/** Digits, and switches between digits and letters, from which a shorter identifier reads as an id. */
const ID_DIGITS = 4;
const ID_SWITCHES = 4;

/**
 * Whether a property name reads as code (`cookie`, `originalMaxAge`, `<symbol kResource>`) rather than data: V8
 * names a dictionary's properties by its keys, so session ids, tokens, URLs and e-mail addresses arrive as
 * property names too. A heuristic on the spelling: an identifier of up to MAX_NAME characters; with digits, only
 * a short one that holds a number or two (a random 16-character hex or base64 id has digits all but always, a
 * shorter one mixes them into its letters: `tk5f0e3c9a`).
 */
export function looksLikeName(text: string): boolean {
  if (text.startsWith('<symbol ') && text.endsWith('>')) return true;
  // V8 names an accessor's edges after the property: `get process`.
  const name = text.replace(ACCESSOR, '');
  if (!IDENTIFIER.test(name) || name.length > MAX_NAME) return false;
  const digits = name.replace(/\D/g, '').length;
  if (digits === 0) return true;
  // Random ids mix digits into letters throughout; names carry a number or two (int32Array, sha256Hash).
  const switches = name.match(/\d(?=\D)|\D(?=\d)/g)?.length ?? 0;
  return name.length < ID_LENGTH && digits < ID_DIGITS && switches < ID_SWITCHES;
}

/**
 * `name`, `[12]` (or `[]` normalized), `WeakMap entry`. A property name that looks like data is shown as
 * `[string(24)]` unless `showValues`.
 */
export function edgeLabel(
  snapshot: HeapSnapshot,
  ephemerons: EphemeronNames,
  edge: number,
  normalized: boolean,
  showValues = false,
): string {
  if (snapshot.hasIndexName(edge)) return normalized ? '[]' : `[${snapshot.edgeName[edge]}]`;
  const name = snapshot.strings.get(snapshot.edgeName[edge]!);
  if (DIGITS.test(name)) return normalized ? '[]' : `[${name}]`;
  if (ephemerons.tableId(snapshot.edgeName[edge]!) >= 0) return 'WeakMap entry';
  const property = snapshot.edgeType[edge] === snapshot.edgeKinds.property;
  if (!showValues && property && !looksLikeName(name)) return `[string(${name.length})]`;
  return clip(name);
}

/** The class name, with a function's own name: `Function handleRequest`. */
export function nodeLabel(snapshot: HeapSnapshot, classes: ClassIndex, node: number): string {
  const className = classes.names[classes.ofNode[node]!] ?? '?';
  if (snapshot.nodeType[node] === snapshot.kinds.closure) {
    const name = snapshot.name(node);
    return name ? `Function ${clip(name)}` : 'Function';
  }
  if (snapshot.nodeType[node] === snapshot.kinds.synthetic) return clip(snapshot.name(node));
  return className;
}

/** The first node of a path by its own name (`global` on every Node, `(GC roots)`), else its class. */
export function rootLabel(snapshot: HeapSnapshot, classes: ClassIndex, node: number): string {
  return clip(snapshot.name(node).replace(GLOBAL_TAG, 'global') || nodeLabel(snapshot, classes, node));
}

/**
 * A path as strings: the first node by its own name (`global`, `(GC roots)`), then `edge (Class)` per step.
 */
export function pathLabels(
  snapshot: HeapSnapshot,
  classes: ClassIndex,
  ephemerons: EphemeronNames,
  steps: readonly PathStep[],
  normalized: boolean,
  showValues = false,
): string[] {
  const labels: string[] = [];
  steps.forEach((step, i) => {
    if (i === 0) {
      labels.push(rootLabel(snapshot, classes, step.node));
    } else {
      const node = nodeLabel(snapshot, classes, step.node).replace(/^\((.*)\)$/, '$1');
      labels.push(`${edgeLabel(snapshot, ephemerons, step.edge, normalized, showValues)} (${node})`);
    }
  });
  return labels;
}
