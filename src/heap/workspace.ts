/**
 * Reusable node-sized working arrays. The graph passes run one after another and each needs a few arrays of
 * one entry per node; handing them on instead of allocating new ones keeps garbage typed arrays (which V8
 * frees only at its next full GC) out of the peak RSS.
 */
/** A copy of a stack or worklist that is full, twice as long. */
export function doubled(array: Uint32Array): Uint32Array<ArrayBuffer> {
  const next = new Uint32Array(array.length * 2);
  next.set(array);
  return next;
}

export class Workspace {
  /** Entries per array: the node count + 1. */
  readonly length: number;
  private readonly free: Uint32Array[] = [];

  constructor(nodeCount: number) {
    this.length = nodeCount + 1;
  }

  /** A zero-filled array of `length` entries. */
  take(): Uint32Array {
    const reused = this.free.pop();
    if (reused) return reused.fill(0);
    return new Uint32Array(this.length);
  }

  /** An array of `length` entries holding anything: for a caller that writes every entry before reading it. */
  takeScratch(): Uint32Array {
    return this.free.pop() ?? new Uint32Array(this.length);
  }

  /** Returns arrays (whole ones, not views) for reuse. */
  give(...arrays: Uint32Array[]): void {
    for (const array of arrays) if (array.length === this.length && array.byteOffset === 0) this.free.push(array);
  }
}
