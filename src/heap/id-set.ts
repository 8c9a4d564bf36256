/**
 * A set of snapshot node ids. V8 keeps ids stable across the snapshots of one process, which is what lets
 * the comparison and the leak method match objects between files.
 */

export class IdSet {
  private readonly bitmap: Uint32Array | null;
  private readonly sorted: Uint32Array | null;
  readonly size: number;

  /** Copies `ids`; the caller's array is not changed. */
  constructor(ids: Uint32Array) {
    let max = 0;
    for (let i = 0; i < ids.length; i++) if (ids[i]! > max) max = ids[i]!;
    this.size = ids.length;
    // A bitmap when ids are dense enough (V8's are), else a sorted copy and binary search.
    if (max / 8 <= Math.max(1 << 20, ids.length * 8)) {
      const bitmap = new Uint32Array((max >>> 5) + 1);
      for (let i = 0; i < ids.length; i++) bitmap[ids[i]! >>> 5]! |= 1 << (ids[i]! & 31);
      this.bitmap = bitmap;
      this.sorted = null;
    } else {
      this.bitmap = null;
      this.sorted = Uint32Array.from(ids).sort();
    }
  }

  has(id: number): boolean {
    if (this.bitmap) {
      const word = id >>> 5;
      return word < this.bitmap.length && (this.bitmap[word]! & (1 << (id & 31))) !== 0;
    }
    const sorted = this.sorted!;
    let low = 0;
    let high = sorted.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const value = sorted[mid]!;
      if (value === id) return true;
      if (value < id) low = mid + 1;
      else high = mid - 1;
    }
    return false;
  }
}
