/**
 * Children of each node in the dominator tree, in compressed rows built once from `idom` (two arrays of one
 * entry per node), so expanding a node costs a sort of its own children only. The last few sorted rows are kept:
 * the root can have millions of children (DevTools hangs unreachable objects from it) and the page asks for them
 * a page at a time.
 */
const CACHED_ROWS = 8;

export class DominatorChildren {
  private readonly first: Uint32Array;
  private readonly nodes: Uint32Array;
  private readonly cache = new Map<number, Uint32Array>();

  constructor(idom: Uint32Array, root: number) {
    const count = idom.length;
    const first = new Uint32Array(count + 1);
    for (let node = 0; node < count; node++) if (node !== root) first[idom[node]! + 1]!++;
    for (let node = 0; node < count; node++) first[node + 1]! += first[node]!;
    const cursor = first.slice(0, count);
    const nodes = new Uint32Array(first[count]!);
    for (let node = 0; node < count; node++) if (node !== root) nodes[cursor[idom[node]!]!++] = node;
    this.first = first;
    this.nodes = nodes;
  }

  count(node: number): number {
    return this.first[node + 1]! - this.first[node]!;
  }

  /** The node's children, largest retained size first (ties: lower ordinal first). */
  sorted(node: number, retained: Float64Array): Uint32Array {
    const hit = this.cache.get(node);
    if (hit) return hit;
    const row = this.nodes.slice(this.first[node]!, this.first[node + 1]!);
    // A typed array's own sort with a comparator: no boxed copy of a million-entry row.
    row.sort((a, b) => retained[b]! - retained[a]! || a - b);
    if (row.length > 64) {
      if (this.cache.size >= CACHED_ROWS) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(node, row);
    }
    return row;
  }
}
