/**
 * A parsed heap snapshot: one typed array per field, indexed by node or edge ordinal (memlab's HeapNode idea
 * without the objects). Accessors are cheap and allocate nothing but the strings they return.
 */
import type { ParsedSnapshot } from './parser-types.js';
import type { StringTable } from './string-table.js';
import type { SpareMemory } from './workspace.js';

/** Node type codes of this snapshot (-1 when the snapshot's enum lacks the type). */
export interface NodeKinds {
  readonly hidden: number;
  readonly array: number;
  readonly string: number;
  readonly object: number;
  readonly code: number;
  readonly closure: number;
  readonly regexp: number;
  readonly number: number;
  readonly native: number;
  readonly synthetic: number;
  readonly consString: number;
  readonly slicedString: number;
  readonly symbol: number;
  readonly bigint: number;
  readonly objectShape: number;
}

/** Edge type codes of this snapshot (-1 when absent). */
export interface EdgeKinds {
  readonly context: number;
  readonly element: number;
  readonly property: number;
  readonly internal: number;
  readonly hidden: number;
  readonly shortcut: number;
  readonly weak: number;
}

export class HeapSnapshot {
  readonly file: string;
  readonly nodeCount: number;
  readonly edgeCount: number;
  readonly nodeType: Uint8Array;
  readonly nodeName: Uint32Array;
  readonly nodeId: Uint32Array;
  readonly nodeSelfSize: Float64Array;
  readonly nodeDetachedness: Uint8Array | null;
  readonly firstEdge: Uint32Array;
  readonly edgeType: Uint8Array;
  readonly edgeName: Uint32Array;
  readonly edgeTo: Uint32Array;
  readonly strings: StringTable;
  readonly nodeTypes: readonly string[];
  readonly edgeTypes: readonly string[];
  readonly rootOrdinal: number;
  /**
   * True once attributeOwnedSizes rewrote `nodeSelfSize` in place (DevTools' owned sizes); the analysis does
   * that to save memory, so a snapshot is analyzed with one set of rules.
   */
  sizesAttributed = false;
  private spareMemory: SpareMemory | null;
  readonly kinds: NodeKinds;
  readonly edgeKinds: EdgeKinds;

  constructor(file: string, parsed: ParsedSnapshot) {
    this.file = file;
    this.nodeCount = parsed.nodeCount;
    this.edgeCount = parsed.edgeCount;
    this.nodeType = parsed.nodeType;
    this.nodeName = parsed.nodeName;
    this.nodeId = parsed.nodeId;
    this.nodeSelfSize = parsed.nodeSelfSize;
    this.nodeDetachedness = parsed.nodeDetachedness;
    this.firstEdge = parsed.firstEdge;
    this.edgeType = parsed.edgeType;
    this.edgeName = parsed.edgeName;
    this.edgeTo = parsed.edgeTo;
    this.strings = parsed.strings;
    this.nodeTypes = parsed.header.nodeTypes;
    this.edgeTypes = parsed.header.edgeTypes;
    this.rootOrdinal = parsed.header.rootOrdinal;
    this.spareMemory = parsed.spareMemory ?? null;
    const node = (name: string): number => this.nodeTypes.indexOf(name);
    this.kinds = {
      hidden: node('hidden'),
      array: node('array'),
      string: node('string'),
      object: node('object'),
      code: node('code'),
      closure: node('closure'),
      regexp: node('regexp'),
      number: node('number'),
      native: node('native'),
      synthetic: node('synthetic'),
      consString: node('concatenated string'),
      slicedString: node('sliced string'),
      symbol: node('symbol'),
      bigint: node('bigint'),
      objectShape: node('object shape'),
    };
    const edge = (name: string): number => this.edgeTypes.indexOf(name);
    this.edgeKinds = {
      context: edge('context'),
      element: edge('element'),
      property: edge('property'),
      internal: edge('internal'),
      hidden: edge('hidden'),
      shortcut: edge('shortcut'),
      weak: edge('weak'),
    };
  }

  name(node: number): string {
    return this.strings.get(this.nodeName[node]!);
  }

  typeName(node: number): string {
    return this.nodeTypes[this.nodeType[node]!] ?? '?';
  }

  edgeTypeName(edge: number): string {
    return this.edgeTypes[this.edgeType[edge]!] ?? '?';
  }

  /** `element` and `hidden` edges carry an index instead of a string. */
  hasIndexName(edge: number): boolean {
    const type = this.edgeType[edge];
    return type === this.edgeKinds.element || type === this.edgeKinds.hidden;
  }

  edgeNameText(edge: number): string {
    return this.hasIndexName(edge) ? String(this.edgeName[edge]) : this.strings.get(this.edgeName[edge]!);
  }

  isString(node: number): boolean {
    const type = this.nodeType[node];
    const k = this.kinds;
    return type === k.string || type === k.consString || type === k.slicedString;
  }

  /** The read's spare working memory (ReadOptions.forAnalysis), for the first analysis only: null after that. */
  takeSpareMemory(): SpareMemory | null {
    const spare = this.spareMemory;
    this.spareMemory = null;
    return spare;
  }
}
