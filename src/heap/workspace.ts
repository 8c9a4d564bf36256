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

/**
 * Working memory a parallel read sets aside for the analysis that follows, in the order the analysis takes it:
 * node-sized arrays, with one edge-sized array (the retaining predecessors) after the first few. The read's worker
 * touches every page once its part is read (touchPages), on the core that is idle during the analysis: a page
 * written for the first time costs the thread that writes it a fault (about 3 ms per MB on our 2-core machine),
 * and that fault is then paid on the other core.
 */
export interface SpareMemory {
  readonly nodes: readonly SharedArrayBuffer[];
  readonly edges: SharedArrayBuffer;
}

/**
 * The node-sized arrays `inspect` takes new from its workspace (owned sizes 2, dominators 5): more would be pages
 * touched for nothing, since an unused spare array still holds its memory.
 */
export const SPARE_NODE_ARRAYS = 7;
/** The predecessor lists are taken after this many node-sized arrays. */
const SPARE_EDGES_AT = 5;
const WORDS_PER_PAGE = 1024;

export function spareMemory(nodeCount: number, edgeCount: number): SpareMemory {
  const nodes = Array.from({ length: SPARE_NODE_ARRAYS }, () => new SharedArrayBuffer((nodeCount + 1) * 4));
  return { nodes, edges: new SharedArrayBuffer(edgeCount * 4) };
}

/**
 * Touches one word of every page, in the order the analysis takes them, with an atomic add of 0: the page is
 * faulted in on this thread, and a value the analysis has already written there stays what it is.
 */
export function touchPages(memory: SpareMemory): void {
  const { nodes, edges } = memory;
  for (const buffer of [...nodes.slice(0, SPARE_EDGES_AT), edges, ...nodes.slice(SPARE_EDGES_AT)]) {
    const words = new Int32Array(buffer);
    for (let i = 0; i < words.length; i += WORDS_PER_PAGE) Atomics.add(words, i, 0);
  }
}

export class Workspace {
  /** Entries per array: the node count + 1. */
  readonly length: number;
  private readonly free: Uint32Array[] = [];
  /** What is left of the read's spare memory (zero-filled). */
  private readonly spareNodes: SharedArrayBuffer[];
  private spareEdges: SharedArrayBuffer | null;

  constructor(nodeCount: number, spare: SpareMemory | null = null) {
    this.length = nodeCount + 1;
    this.spareNodes = spare ? [...spare.nodes] : [];
    this.spareEdges = spare?.edges ?? null;
  }

  /** A zero-filled array of `length` entries. */
  take(): Uint32Array {
    const reused = this.free.pop();
    if (reused) return reused.fill(0);
    return this.fresh();
  }

  /** An array of `length` entries holding anything: for a caller that writes every entry before reading it. */
  takeScratch(): Uint32Array {
    return this.free.pop() ?? this.fresh();
  }

  /** A zero-filled array of `count` entries, not kept for reuse (the retaining predecessors: one per edge). */
  takeEdgeSized(count: number): Uint32Array {
    const spare = this.spareEdges;
    this.spareEdges = null;
    return spare && spare.byteLength >= count * 4 ? new Uint32Array(spare, 0, count) : new Uint32Array(count);
  }

  /** Returns arrays (whole ones, not views) for reuse. */
  give(...arrays: Uint32Array[]): void {
    for (const array of arrays) if (array.length === this.length && array.byteOffset === 0) this.free.push(array);
  }

  private fresh(): Uint32Array {
    const spare = this.spareNodes.shift();
    return spare ? new Uint32Array(spare) : new Uint32Array(this.length);
  }
}
