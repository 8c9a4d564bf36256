/**
 * Where scanned numbers go: one typed array per node or edge field. Whole records of a batch are stored
 * without per-value dispatch; the few values of a record cut by a batch boundary go one by one. Every value is
 * checked before it is stored (a typed array would silently wrap it).
 */
import type { SnapshotHeader } from './header.js';

const MAX_U32 = 0xffff_ffff;

/** Reports a bad value; the parser adds the file offset. */
export type Fail = (message: string) => never;

type TypedArray = Uint8Array | Uint32Array | Float64Array;

function grow<T extends TypedArray>(array: T, capacity: number, Kind: new (length: number) => T): T {
  if (array.length >= capacity) return array;
  const next = new Kind(capacity);
  next.set(array as never);
  return next;
}

/**
 * Trims to `length`; copies when more than a quarter would be wasted, so oversized buffers are freed (not the
 * shared columns of a parallel read: the join needs them where they are).
 */
export function trim<T extends TypedArray>(array: T, length: number): T {
  if (array.length === length) return array;
  const shared = array.buffer instanceof SharedArrayBuffer;
  if (!shared && array.length - length > array.length / 4) return array.slice(0, length) as T;
  return array.subarray(0, length) as T;
}

/** The next capacity for a growing array: doubled, but never more than `totalBytes` can physically hold. */
function nextCapacity(count: number, fields: number, totalBytes: number | undefined, what: string, fail: Fail): number {
  // Every value takes at least one digit and one separator.
  const fits =
    totalBytes === undefined ? MAX_U32 - 1 : Math.min(MAX_U32 - 1, Math.floor(totalBytes / (fields * 2)) + 1);
  if (count + 1 > fits) fail(`"${what}" holds more values than the file can`);
  return Math.min(fits, Math.max(count * 2, 1024));
}

export class NodeColumns {
  count = 0;
  type = new Uint8Array(0);
  name = new Uint32Array(0);
  id = new Uint32Array(0);
  selfSize = new Float64Array(0);
  detachedness = new Uint8Array(0);
  /** Edge counts at [n + 1] while reading; start offsets after `finish()`. */
  firstEdge = new Uint32Array(1);
  /** Largest string index a node name uses. */
  maxName = 0;
  private field = 0;
  private readonly header: SnapshotHeader;
  private readonly fields: number;
  private readonly totalBytes: number | undefined;

  constructor(header: SnapshotHeader, totalBytes: number | undefined) {
    this.header = header;
    this.fields = header.nodeFields.length;
    this.totalBytes = totalBytes;
    this.alloc(Math.max(1, header.nodeCount));
  }

  private alloc(capacity: number): void {
    this.type = grow(this.type, capacity, Uint8Array);
    this.name = grow(this.name, capacity, Uint32Array);
    this.id = grow(this.id, capacity, Uint32Array);
    this.selfSize = grow(this.selfSize, capacity, Float64Array);
    this.firstEdge = grow(this.firstEdge, capacity + 1, Uint32Array);
    if (this.header.nodeDetachednessField >= 0) this.detachedness = grow(this.detachedness, capacity, Uint8Array);
  }

  add(batch: Float64Array, count: number, fail: Fail): void {
    let k = 0;
    while (k < count && this.field !== 0) this.value(batch[k++]!, fail);
    k = this.whole(batch, k, count, fail);
    while (k < count) this.value(batch[k++]!, fail);
  }

  /** Whole nodes the fast path (wasm-columns.ts) parsed and checked, one array per field. */
  addRecords(fields: readonly Uint32Array[], count: number, maxName: number, fail: Fail): void {
    const h = this.header;
    const n = this.count;
    while (n + count > this.type.length)
      this.alloc(nextCapacity(this.type.length, this.fields, this.totalBytes, 'nodes', fail));
    const take = (field: number): Uint32Array => fields[field]!.subarray(0, count);
    this.type.set(take(h.nodeTypeField), n);
    this.name.set(take(h.nodeNameField), n);
    this.id.set(take(h.nodeIdField), n);
    this.selfSize.set(take(h.nodeSelfSizeField), n);
    this.firstEdge.set(take(h.nodeEdgeCountField), n + 1);
    if (h.nodeDetachednessField >= 0) this.detachedness.set(take(h.nodeDetachednessField), n);
    this.count = n + count;
    if (maxName > this.maxName) this.maxName = maxName;
  }

  /** Whole nodes straight into their columns. */
  private whole(batch: Float64Array, k: number, count: number, fail: Fail): number {
    const h = this.header;
    const { fields, type: types, name: names, id: ids, selfSize: sizes, firstEdge: first, detachedness } = this;
    const typeLimit = h.nodeTypes.length;
    const [oType, oName, oId, oSize, oEdges, oDetached] = [
      h.nodeTypeField,
      h.nodeNameField,
      h.nodeIdField,
      h.nodeSelfSizeField,
      h.nodeEdgeCountField,
      h.nodeDetachednessField,
    ];
    let n = this.count;
    let maxName = this.maxName;
    const end = k + Math.min(Math.floor((count - k) / fields), types.length - n) * fields;
    for (; k < end; k += fields, n++) {
      const type = batch[k + oType]!;
      const name = batch[k + oName]!;
      const id = batch[k + oId]!;
      const size = batch[k + oSize]!;
      const edges = batch[k + oEdges]!;
      if (type >= typeLimit || name > MAX_U32 || id > MAX_U32 || edges > MAX_U32 || size > Number.MAX_SAFE_INTEGER) {
        this.count = n;
        for (let f = 0; f < fields; f++) this.value(batch[k + f]!, fail); // reports the bad value
      }
      types[n] = type;
      names[n] = name;
      if (name > maxName) maxName = name;
      ids[n] = id;
      sizes[n] = size;
      first[n + 1] = edges;
      if (oDetached >= 0) detachedness[n] = batch[k + oDetached]! & 3;
    }
    this.count = n;
    this.maxName = maxName;
    return k;
  }

  /** One value, with growth and every check: for nodes cut by a batch boundary. */
  private value(v: number, fail: Fail): void {
    const h = this.header;
    const n = this.count;
    const f = this.field;
    if (f === 0 && n === this.type.length) this.alloc(nextCapacity(n, this.fields, this.totalBytes, 'nodes', fail));
    if (f === h.nodeTypeField) {
      if (v >= h.nodeTypes.length) fail(`node type ${v} is not in the header's node_types`);
      this.type[n] = v;
    } else if (f === h.nodeNameField) {
      if (v > MAX_U32) fail('node name index out of range');
      this.name[n] = v;
      if (v > this.maxName) this.maxName = v;
    } else if (f === h.nodeIdField) {
      if (v > MAX_U32) fail('node id out of range');
      this.id[n] = v;
    } else if (f === h.nodeSelfSizeField) {
      if (v > Number.MAX_SAFE_INTEGER) fail('node size out of range');
      this.selfSize[n] = v;
    } else if (f === h.nodeEdgeCountField) {
      if (v > MAX_U32) fail('edge count out of range');
      this.firstEdge[n + 1] = v;
    } else if (f === h.nodeDetachednessField) {
      this.detachedness[n] = v & 3;
    }
    if (++this.field === this.fields) {
      this.field = 0;
      this.count = n + 1;
    }
  }

  /** Checks the array's end and turns edge counts into start offsets. */
  finish(fail: Fail): void {
    if (this.field !== 0) fail(`"nodes" holds a partial node: its length is not a multiple of ${this.fields}`);
    const claimed = this.header.nodeCount;
    if (claimed !== 0 && claimed !== this.count)
      fail(`"nodes" holds ${this.count} nodes but the header says ${claimed}`);
    const first = this.firstEdge;
    let sum = 0;
    for (let n = 0; n < this.count; n++) {
      const edges = first[n + 1]!;
      first[n] = sum;
      sum += edges;
    }
    if (sum > MAX_U32) fail('the nodes claim more than 2^32 edges');
    first[this.count] = sum;
  }
}

/** Edge columns a caller allocated (shared by the two threads of a parallel read, each writing its part). */
export interface EdgeArrays {
  readonly type: Uint8Array;
  readonly name: Uint32Array;
  readonly to: Uint32Array;
}

/** The edges from `start` (to `end`) of `arrays`, as views. */
export function edgesFrom(arrays: EdgeArrays, start: number, end = arrays.type.length): EdgeArrays {
  return {
    type: arrays.type.subarray(start, end),
    name: arrays.name.subarray(start, end),
    to: arrays.to.subarray(start, end),
  };
}

export class EdgeColumns {
  count = 0;
  type: Uint8Array = new Uint8Array(0);
  name: Uint32Array = new Uint32Array(0);
  /** Target node ordinals. */
  to: Uint32Array = new Uint32Array(0);
  /** Largest string index a named (not element or hidden) edge uses. */
  maxName = 0;
  private field = 0;
  private readonly header: SnapshotHeader;
  private readonly fields: number;
  private readonly totalBytes: number | undefined;
  private readonly nodeCount: number;
  private readonly expected: number | null;
  private readonly indexTypes: readonly number[];

  /**
   * `expected`: how many edges the nodes announced (null for part of a split read, checked at the join);
   * `nodeCount` bounds the targets; `into`: arrays to fill first (they are replaced by bigger ones of this
   * thread's if the edges do not fit).
   */
  constructor(
    header: SnapshotHeader,
    totalBytes: number | undefined,
    nodeCount: number,
    expected: number | null,
    into?: EdgeArrays,
  ) {
    this.header = header;
    this.fields = header.edgeFields.length;
    this.totalBytes = totalBytes;
    this.nodeCount = nodeCount;
    this.expected = expected;
    this.indexTypes = [header.edgeTypes.indexOf('element'), header.edgeTypes.indexOf('hidden')];
    if (into) ({ type: this.type, name: this.name, to: this.to } = into);
    this.alloc(Math.max(1, expected ?? 0));
  }

  private alloc(capacity: number): void {
    this.type = grow(this.type, capacity, Uint8Array);
    this.name = grow(this.name, capacity, Uint32Array);
    this.to = grow(this.to, capacity, Uint32Array);
  }

  add(batch: Float64Array, count: number, fail: Fail): void {
    let k = 0;
    while (k < count && this.field !== 0) this.value(batch[k++]!, fail);
    k = this.whole(batch, k, count, fail);
    while (k < count) this.value(batch[k++]!, fail);
  }

  /** Whole edges the fast path parsed and checked (targets already divided into ordinals). */
  addRecords(fields: readonly Uint32Array[], count: number, maxName: number, fail: Fail): void {
    const h = this.header;
    const e = this.count;
    while (e + count > this.type.length)
      this.alloc(nextCapacity(this.type.length, this.fields, this.totalBytes, 'edges', fail));
    this.type.set(fields[h.edgeTypeField]!.subarray(0, count), e);
    this.name.set(fields[h.edgeNameField]!.subarray(0, count), e);
    this.to.set(fields[h.edgeToField]!.subarray(0, count), e);
    this.count = e + count;
    if (maxName > this.maxName) this.maxName = maxName;
  }

  private whole(batch: Float64Array, k: number, count: number, fail: Fail): number {
    const h = this.header;
    const { fields, type: types, name: names, to: targets } = this;
    const typeLimit = h.edgeTypes.length;
    const nodeFields = h.nodeFields.length;
    const toLimit = this.nodeCount * nodeFields;
    const [oType, oName, oTo] = [h.edgeTypeField, h.edgeNameField, h.edgeToField];
    const [element, hidden] = this.indexTypes;
    let e = this.count;
    let maxName = this.maxName;
    const end = k + Math.min(Math.floor((count - k) / fields), types.length - e) * fields;
    for (; k < end; k += fields, e++) {
      const type = batch[k + oType]!;
      const name = batch[k + oName]!;
      const to = batch[k + oTo]!;
      const ordinal = Math.floor(to / nodeFields);
      if (type >= typeLimit || name > MAX_U32 || to >= toLimit || ordinal * nodeFields !== to) {
        this.count = e;
        for (let f = 0; f < fields; f++) this.value(batch[k + f]!, fail); // reports the bad value
      }
      types[e] = type;
      names[e] = name;
      if (name > maxName && type !== element && type !== hidden) maxName = name;
      targets[e] = ordinal;
    }
    this.count = e;
    this.maxName = maxName;
    return k;
  }

  private value(v: number, fail: Fail): void {
    const h = this.header;
    const e = this.count;
    const f = this.field;
    if (f === 0 && e === this.type.length) this.alloc(nextCapacity(e, this.fields, this.totalBytes, 'edges', fail));
    if (f === h.edgeTypeField) {
      if (v >= h.edgeTypes.length) fail(`edge type ${v} is not in the header's edge_types`);
      this.type[e] = v;
    } else if (f === h.edgeNameField) {
      if (v > MAX_U32) fail('edge name or index out of range');
      this.name[e] = v;
    } else if (f === h.edgeToField) {
      const nodeFields = h.nodeFields.length;
      const ordinal = Math.floor(v / nodeFields);
      if (v >= this.nodeCount * nodeFields || ordinal * nodeFields !== v) fail(`edge target ${v} is not a node`);
      this.to[e] = ordinal;
    }
    if (++this.field === this.fields) {
      this.field = 0;
      this.count = e + 1;
      const type = this.type[e]!;
      if (!this.indexTypes.includes(type) && this.name[e]! > this.maxName) this.maxName = this.name[e]!;
    }
  }

  finish(fail: Fail): void {
    if (this.field !== 0) fail(`"edges" holds a partial edge: its length is not a multiple of ${this.fields}`);
    if (this.expected !== null && this.count !== this.expected) {
      fail(`"edges" holds ${this.count} edges but the nodes' edge counts add up to ${this.expected}`);
    }
  }
}
