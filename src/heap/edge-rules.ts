/**
 * Which edges retain, by Chrome DevTools' rules (front_end/entrypoints/heap_snapshot_worker/HeapSnapshot.ts:
 * computeIsEssentialEdge, markPageOwnedNodes, JSHeapSnapshot.calculateDistances):
 * - weak edges never retain; neither do self edges;
 * - shortcut edges retain only from the root (there they mark the user's global objects);
 * - a WeakMap value is retained by its key and by the table: the edge from the table is skipped;
 * - edges from objects outside the page (not reachable from the globals) into page objects are skipped, so
 *   debugger and internal references do not change who dominates the user's objects.
 * `hidden` edges are ordinary edges for dominators; DevTools' `invisible` type is its own, never in V8 output.
 */
import type { HeapSnapshot } from './snapshot.js';
import { Workspace } from './workspace.js';

/** A bit per edge. */
export class EdgeBits {
  readonly words: Uint32Array;
  /** When the producer counted them on the way: set edges per target node (saves the dominators a pass). */
  incoming: Uint32Array | null = null;
  constructor(count: number) {
    this.words = new Uint32Array((count >>> 5) + 1);
  }
  set(edge: number): void {
    this.words[edge >>> 5]! |= 1 << (edge & 31);
  }
}

/** In EphemeronNames.tableIds and pairIds: the name is not a WeakMap entry's. */
export const NO_ENTRY = 0xffff_ffff;

const EPHEMERON =
  /^\d+(?<part> \/ part of key \(.*? @\d+\) -> value \(.*? @\d+\) pair in WeakMap \(table @(?<table>\d+)\))$/;

/**
 * WeakMap entry edges are internal edges named "<n> / part of key (K @1) -> value (V @2) pair in WeakMap (table @3)":
 * one from the key, one from the table. Parsed once per string.
 */
export class EphemeronNames {
  private readonly snapshot: HeapSnapshot;
  private readonly checked: Uint8Array;
  private readonly tables = new Map<number, number>();
  private readonly parts = new Map<number, string>();
  private entries: number[] | null = null;
  constructor(snapshot: HeapSnapshot) {
    this.snapshot = snapshot;
    this.checked = new Uint8Array(snapshot.strings.length);
  }

  /** The WeakMap table id the name mentions, or -1 when the name is not a WeakMap entry. */
  tableId(nameIndex: number): number {
    if (!this.parse(nameIndex)) return -1;
    return this.tables.get(nameIndex)!;
  }

  /**
   * Every name's WeakMap table id at once (NO_ENTRY for names of other edges), in `into` when it has room for
   * every string. A pass over all edges reads this instead of asking name by name: its loop stays small, with no
   * parsing inlined into it, so V8 compiles it sooner (a loop runs several times slower until then).
   */
  tableIds(into?: Uint32Array): Uint32Array {
    const ids = this.noEntries(into);
    // Ids past 32 bits name no node (node ids are 32-bit): no table either.
    for (const name of this.entryNames()) ids[name] = Math.min(this.tables.get(name)!, NO_ENTRY);
    return ids;
  }

  /**
   * Every name's WeakMap entry at once, as tableIds: the two edges of one entry (from the key and from the table)
   * get the same id, from 0 to `count` - 1.
   */
  pairIds(into?: Uint32Array): { ids: Uint32Array; count: number } {
    const ids = this.noEntries(into);
    const byPart = new Map<string, number>();
    for (const name of this.entryNames()) {
      const part = this.parts.get(name)!;
      let id = byPart.get(part);
      if (id === undefined) byPart.set(part, (id = byPart.size));
      ids[name] = id;
    }
    return { ids, count: byPart.size };
  }

  /** The entry names, found once: one look at every string's last byte, the few that end with ')' parsed. */
  private entryNames(): number[] {
    if (this.entries) return this.entries;
    const strings = this.snapshot.strings;
    const entries: number[] = [];
    for (let name = 0; name < strings.length; name++) if (strings.lastByte(name) === 0x29) entries.push(name);
    return (this.entries = entries.filter((name) => this.parse(name)));
  }

  private noEntries(into: Uint32Array | undefined): Uint32Array {
    const count = this.snapshot.strings.length;
    return (into && into.length >= count ? into : new Uint32Array(count)).fill(NO_ENTRY, 0, count);
  }

  private parse(nameIndex: number): boolean {
    const state = this.checked[nameIndex];
    if (state === 1) return false;
    if (state === 2) return true;
    const strings = this.snapshot.strings;
    // Entry names end with ')': most names are refused without being decoded.
    const match = strings.lastByte(nameIndex) === 0x29 ? EPHEMERON.exec(strings.get(nameIndex)) : null;
    if (!match?.groups) {
      this.checked[nameIndex] = 1;
      return false;
    }
    this.checked[nameIndex] = 2;
    this.tables.set(nameIndex, Number(match.groups.table));
    this.parts.set(nameIndex, match.groups.part ?? '');
    return true;
  }
}

/**
 * DevTools' pageObject flag: reachable over non-weak edges from the root's shortcut edges (the globals) or DOM tree
 * roots.
 */
export function markPageObjects(snapshot: HeapSnapshot, workspace = new Workspace(snapshot.nodeCount)): Uint8Array {
  const { nodeCount, firstEdge, edgeType, edgeTo, rootOrdinal } = snapshot;
  const { shortcut, element, weak } = snapshot.edgeKinds;
  const flags = new Uint8Array(nodeCount);
  const stack = workspace.takeScratch();
  let top = 0;
  for (let e = firstEdge[rootOrdinal]!, end = firstEdge[rootOrdinal + 1]!; e < end; e++) {
    const type = edgeType[e];
    const to = edgeTo[e]!;
    if (type === element) {
      if (!(snapshot.nodeType[to] === snapshot.kinds.synthetic && snapshot.name(to) === '(Document DOM trees)'))
        continue;
    } else if (type !== shortcut) continue;
    if (flags[to]) continue;
    flags[to] = 1;
    stack[top++] = to;
  }
  while (top > 0) {
    const node = stack[--top]!;
    for (let e = firstEdge[node]!, end = firstEdge[node + 1]!; e < end; e++) {
      const to = edgeTo[e]!;
      if (flags[to] || edgeType[e] === weak) continue;
      flags[to] = 1;
      stack[top++] = to;
    }
  }
  workspace.give(stack);
  return flags;
}

/** Marks the edges that count for dominators and retained sizes. */
export function essentialEdges(
  snapshot: HeapSnapshot,
  ephemerons = new EphemeronNames(snapshot),
  workspace = new Workspace(snapshot.nodeCount),
): EdgeBits {
  const { nodeCount, firstEdge, edgeType, edgeTo, edgeName, nodeId, rootOrdinal } = snapshot;
  const { weak, shortcut, internal } = snapshot.edgeKinds;
  const page = markPageObjects(snapshot, workspace);
  const bits = new EdgeBits(snapshot.edgeCount);
  const words = bits.words;
  const incoming = workspace.take();
  const scratch = workspace.takeScratch(); // the table ids go there when it has room for every string
  const tables = ephemerons.tableIds(scratch);
  for (let node = 0; node < nodeCount; node++) {
    const isRoot = node === rootOrdinal;
    const nodeOnPage = page[node];
    for (let e = firstEdge[node]!, end = firstEdge[node + 1]!; e < end; e++) {
      const type = edgeType[e];
      if (type === weak) continue;
      const to = edgeTo[e]!;
      if (to === node) continue;
      if (!isRoot && (type === shortcut || (!nodeOnPage && page[to]))) continue;
      if (type === internal) {
        // Both tests run for every internal edge (no `&&`, whose right side runs only on the rare match): a test
        // first run after V8 has optimized the loop has no type feedback, and sends the loop back to the interpreter.
        const table = tables[edgeName[e]!];
        const fromTable = table === nodeId[node];
        const entry = table !== NO_ENTRY;
        if (fromTable && entry) continue;
      }
      words[e >>> 5]! |= 1 << (e & 31);
      incoming[to]!++;
    }
  }
  workspace.give(scratch);
  bits.incoming = incoming;
  return bits;
}
