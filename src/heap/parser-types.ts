/** What the snapshot parser (parser.ts) takes and gives: its options, its output, and its error. */
import type { EdgeArrays } from './columns.js';
import type { SnapshotHeader } from './header.js';
import type { StringTable } from './string-table.js';
import type { SpareMemory } from './workspace.js';

/** What the parser produces; `firstEdge` has nodeCount + 1 entries once `finish()` returned. */
export interface ParsedSnapshot {
  readonly header: SnapshotHeader;
  readonly nodeCount: number;
  readonly nodeType: Uint8Array;
  readonly nodeName: Uint32Array;
  readonly nodeId: Uint32Array;
  readonly nodeSelfSize: Float64Array;
  /** DOM link state per node (0 unknown, 1 attached, 2 detached), when the snapshot has the field. */
  readonly nodeDetachedness: Uint8Array | null;
  /** Edge ordinal where each node's edges start; entry nodeCount is the edge count. */
  readonly firstEdge: Uint32Array;
  readonly edgeCount: number;
  readonly edgeType: Uint8Array;
  /** String index for named edges, the index for `element` and `hidden` edges. */
  readonly edgeName: Uint32Array;
  /** Target node ordinal (the file's to_node divided by the node field count). */
  readonly edgeTo: Uint32Array;
  readonly strings: StringTable;
  /** False when parsing stopped after `nodes` (ids-only reads). */
  readonly complete: boolean;
  /** Largest string index used by a node name or a named edge. */
  readonly maxNameIndex: number;
  /** Working memory a parallel read prepared for the analysis (ReadOptions.forAnalysis). */
  readonly spareMemory?: SpareMemory | null;
}

export interface ParserOptions {
  /** Total size of the input in bytes, when known: counts in the header are checked against it. */
  readonly totalBytes?: number;
  /** Stop once the `nodes` array is read (edges and strings are left empty). */
  readonly nodesOnly?: boolean;
  /**
   * Parse one section on its own (for parallel reads): the first byte fed is the `[` of this key's value,
   * at absolute offset `offset`. The header comes from the parse of the file's start.
   */
  readonly section?: SectionRead;
  /** Bytes per block of the strings table (tests use tiny blocks to move entries between blocks). */
  readonly stringBlockBytes?: number;
  /** Stop at this top-level key (before its value); `stoppedAtKey` then holds the offset of its opening quote. */
  readonly stopAtKey?: string;
  /** Parse `nodes` and `edges` through the WebAssembly fast path (wasm-columns.ts) where it applies (default). */
  readonly wasm?: boolean;
}

/** One section of a snapshot read on its own (parallel-reader.ts). */
export interface SectionRead {
  readonly key: 'edges' | 'strings';
  readonly header: SnapshotHeader;
  /** Absolute offset of the first byte fed: the value's `[`, or with `inside` the first digit of a record. */
  readonly offset: number;
  /** Start inside the array (the tail of a split `edges` read). */
  readonly inside?: boolean;
  /** Nodes in the snapshot, bounding edge targets (default: the header's count). */
  readonly nodeCount?: number;
  /** A part of the edges (a split read): no count check at the end, the join checks. */
  readonly part?: boolean;
  /** The edge arrays to fill (parallel-reader.ts shares them between the threads). */
  readonly edgesInto?: EdgeArrays;
}

/** A parse failure at an absolute byte offset; the reader turns it into a HeapSnapshotError naming the file. */
export class SnapshotParseError extends Error {
  readonly section: string;
  readonly offset: number | undefined;
  constructor(message: string, section: string, offset?: number) {
    super(message);
    this.section = section;
    this.offset = offset;
  }
}
