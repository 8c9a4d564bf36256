/**
 * The shape of a retainer path: what stays the same for every entry of one store. Real leaks are keyed stores
 * (sessions by id, metric series by label set, caches by URL): their exact paths differ in one key per entry,
 * so grouping by exact path makes a cluster of one per entry. A shape replaces element indexes, hash-table
 * slots and dictionary keys by `[*]`, and folds the backing store V8 keeps behind a Map, a Set or a grown
 * array into its owner, so `cache (Map) → table (array) → [2052] (Entry)` becomes `cache (Map) → [*] (Entry)`.
 *
 * Dictionary keys: V8 names a dictionary-mode object's properties with the key strings, so they are `property`
 * edges like real property names. The test is on the graph, not on the spelling of names: a property edge is a
 * key when its owner holds, through property edges, at least DICTIONARY_MIN_SIBLINGS distinct *leaked* objects of
 * the same kind. A class rarely has that many same-kind properties all leaking at once; a store does. Above the
 * entries (old objects on the way, such as per-user caches in a users dictionary) it takes DICTIONARY_MIN_OWNERS
 * same-kind siblings: merging them merges several stores into one cluster, which is right for many instances of one
 * structure but wrong for a handful of module globals that each leak something else.
 */
import type { ClassIndex } from './classes.js';
import type { EphemeronNames } from './edge-rules.js';
import { edgeLabel, nodeLabel, rootLabel } from './labels.js';
import { edgeSource, type PathStep, type RetainerTree } from './paths.js';
import type { HeapSnapshot } from './snapshot.js';

/** Same-kind leaked siblings that make an owner's property names dictionary keys. */
export const DICTIONARY_MIN_SIBLINGS = 4;

/** Same-kind old siblings on leak paths (stores inside a store) that make an owner's property names keys. */
export const DICTIONARY_MIN_OWNERS = 16;

/** The label of a normalised slot: any index, any key, any hash-table slot. */
export const ANY_SLOT = '[*]';

/** Every string type is one kind: a store of JSON strings holds flat and concatenated ones alike. */
const STRING_KIND = 0xffff_ffff;

/** The kind of a node for sibling and member counting: its class, with all string types as one. */
export function nodeKind(snapshot: HeapSnapshot, classes: ClassIndex, node: number): number {
  return snapshot.isString(node) ? STRING_KIND : classes.ofNode[node]!;
}

export const STRING_LABEL = '(string)';

/** The class label of a node, with all string types named `(string)`. */
export function kindLabel(snapshot: HeapSnapshot, classes: ClassIndex, node: number): string {
  return snapshot.isString(node) ? STRING_LABEL : nodeLabel(snapshot, classes, node);
}

/** Internal arrays that back a user object's contents (Map/Set tables, elements, dictionary properties). */
export function isBackingStore(snapshot: HeapSnapshot, node: number): boolean {
  const type = snapshot.nodeType[node];
  return type === snapshot.kinds.array || type === snapshot.kinds.hidden;
}

/**
 * Marks (1) the nodes whose retainer-tree edge is a dictionary key. `onPath` has 1 for every node on a leak
 * root's path (the roots included), `leaked` is non-zero for the objects new in the window and alive (entries).
 * Sorting the candidate children by (owner, kind) finds the runs of siblings.
 */
export function dictionaryKeys(
  snapshot: HeapSnapshot,
  classes: ClassIndex,
  tree: RetainerTree,
  onPath: Uint8Array,
  leaked: Uint8Array,
): Uint8Array {
  const { edgeType } = snapshot;
  const property = snapshot.edgeKinds.property;
  const keyEdge = new Uint8Array(snapshot.nodeCount);
  let total = 0;
  for (let node = 0; node < snapshot.nodeCount; node++) {
    const parent = tree.parentEdge[node]!;
    if (onPath[node] && parent !== 0 && edgeType[parent - 1] === property) total++;
  }
  const children = new Uint32Array(total);
  const owners = new Uint32Array(total);
  const kinds = new Uint32Array(total);
  let n = 0;
  for (let node = 0; node < snapshot.nodeCount; node++) {
    const parent = tree.parentEdge[node]!;
    if (!onPath[node] || parent === 0 || edgeType[parent - 1] !== property) continue;
    children[n] = node;
    owners[n] = edgeSource(snapshot, parent - 1);
    kinds[n++] = nodeKind(snapshot, classes, node);
  }
  const order = Uint32Array.from({ length: total }, (_, i) => i).sort(
    (a, b) => owners[a]! - owners[b]! || kinds[a]! - kinds[b]!,
  );
  for (let start = 0; start < total;) {
    let end = start + 1;
    const first = order[start]!;
    while (end < total && owners[order[end]!] === owners[first] && kinds[order[end]!] === kinds[first]) end++;
    const run = end - start;
    for (let i = start; i < end; i++) {
      const child = children[order[i]!]!;
      if (run >= (leaked[child] ? DICTIONARY_MIN_SIBLINGS : DICTIONARY_MIN_OWNERS)) keyEdge[child] = 1;
    }
    start = end;
  }
  return keyEdge;
}

/** A path cut at its entry into a store: the labels up to the owner, and the entry's edge label. */
export interface PathShape {
  /** Root first, one `edge (Class)` per step, up to and including the store that holds the entry. */
  readonly prefix: string[];
  /** The edge from the store to the entry: a property name, or `[*]` for any key, index or slot. */
  readonly entryEdge: string;
  /**
   * prefix and entryEdge as the report shows them: names that look like data hidden unless `showValues`. The
   * cluster is keyed by the exact ones, so showing values never merges or splits clusters.
   */
  readonly shown: { readonly prefix: string[]; readonly entryEdge: string };
  /** The store (the last node of the prefix). */
  readonly owner: number;
}

export interface ShapeContext {
  readonly snapshot: HeapSnapshot;
  readonly classes: ClassIndex;
  readonly ephemerons: EphemeronNames;
  readonly keyEdge: Uint8Array;
  readonly tree: RetainerTree;
  /** `--show-values`: keys and string values in samples and labels as their characters. */
  readonly showValues: boolean;
}

/** The shape of `steps[0..entry]`; `entry` is the index of the first leaked object on the path (>= 1). */
export function pathShape(context: ShapeContext, steps: readonly PathStep[], entry: number): PathShape {
  const { snapshot, classes } = context;
  const first = steps[0]!.node;
  const root = rootLabel(snapshot, classes, first);
  const prefix = [root];
  const shownPrefix = [root];
  let owner = first;
  // A backing store between two user objects is folded into its owner: the edge past it is a slot.
  let slot = false;
  for (let i = 1; i < entry; i++) {
    const { node, edge } = steps[i]!;
    if (isBackingStore(snapshot, node)) {
      slot = true;
      continue;
    }
    const label = nodeLabel(snapshot, classes, node).replace(/^\((.*)\)$/, '$1');
    prefix.push(`${slot ? ANY_SLOT : stepEdge(context, edge, node, true)} (${label})`);
    shownPrefix.push(`${slot ? ANY_SLOT : stepEdge(context, edge, node, context.showValues)} (${label})`);
    slot = false;
    owner = node;
  }
  const last = steps[entry]!;
  const entryEdge = slot ? ANY_SLOT : stepEdge(context, last.edge, last.node, true);
  const shownEdge = slot ? ANY_SLOT : stepEdge(context, last.edge, last.node, context.showValues);
  return { prefix, entryEdge, owner, shown: { prefix: shownPrefix, entryEdge: shownEdge } };
}

function stepEdge(context: ShapeContext, edge: number, node: number, showValues: boolean): string {
  if (context.keyEdge[node]) return ANY_SLOT;
  const label = edgeLabel(context.snapshot, context.ephemerons, edge, true, showValues);
  return label === '[]' ? ANY_SLOT : label;
}
