/**
 * The fast path of the `nodes` and `edges` arrays: int-columns.wat parses V8's own layout eight digits at a time
 * into one column per field, checks each value against its field's bound, and the whole records go to the
 * columns (columns.ts) by typed-array copies. At anything else (a space, a value out of bounds, a malformed
 * file) it stops at a number's start and hands the rest of the array to the JavaScript scanner (int-scanner.ts),
 * which says what is wrong, so both paths give the same columns and the same errors.
 *
 * An instance is taken by one array at a time and given back when that array ends; a parser dropped half-way
 * (a bad file) just leaves its instance to the garbage collector.
 */
import type { SnapshotHeader } from './header.js';
import type { Fail } from './columns.js';
import { INT_COLUMNS_WASM } from './wasm/int-columns-wasm.js';

/** What the columns take from the fast path. */
export interface RecordSink {
  /** Whole records, one array per field in the header's order. */
  addRecords(fields: readonly Uint32Array[], count: number, maxName: number, fail: Fail): void;
  /** Single values (the record in progress when the scanner takes over). */
  add(batch: Float64Array, count: number, fail: Fail): void;
}

/** The part of the WebAssembly API used here (the project's type libraries do not declare it). */
interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: unknown };
}

interface Exports {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  configure(
    fields: number,
    capacity: number,
    divField: number,
    divisor: number,
    typeField: number,
    nameField: number,
    indexTypes: number,
  ): void;
  rewind(): void;
  field(): number;
  record(): number;
  maxName(): number;
  stop(): number;
  scan(p: number, end: number): number;
}

const enum Status {
  NeedMore,
  Full,
  Closed,
  Other,
}

/** Bytes handed to the module per call, and records per column between copies: both stay in the cache. */
const PIECE_BYTES = 256 * 1024;
const RECORDS = 16 * 1024;
const MAX_FIELDS = 8;
/** Memory layout (see int-columns.wat): column offsets, field bounds, then the input. */
const BOUNDS_AT = 64;
const INPUT_AT = 256;
/** The carry ahead of a piece: an incomplete number and its newline (at most 16 digits, then the scanner's). */
const CARRY_MAX = 32;
const COLUMNS_AT = INPUT_AT + CARRY_MAX + PIECE_BYTES + 64;
const U32_BOUND = 2n ** 32n;

const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
let compiled: object | null | undefined;
/** Records this thread's fast path took (the tests check that it took them). */
let recordsTaken = 0;

export function fastPathRecords(): number {
  return recordsTaken;
}

/** The instance the last array gave back (its memory is already touched: new pages cost a fault each). */
let spare: Exports | null = null;

function instance(): Exports | null {
  if (compiled === undefined) {
    try {
      compiled = api ? new api.Module(Buffer.from(INT_COLUMNS_WASM, 'base64')) : null;
    } catch {
      compiled = null; // no WebAssembly (--jitless) or no SIMD: the scanner reads everything
    }
  }
  if (!compiled) return null;
  if (spare) {
    const taken = spare;
    spare = null;
    return taken;
  }
  const created = new api!.Instance(compiled, {}).exports as Exports;
  const bytes = COLUMNS_AT + MAX_FIELDS * RECORDS * 4;
  created.memory.grow(Math.ceil((bytes - created.memory.buffer.byteLength) / 65536));
  return created;
}

/**
 * Where a read stopped. `at === end` with `closed` false: all taken, go on with the next chunk. Otherwise the
 * module is done with this array: it closed (`at` is just after its `]`), or the scanner goes on from `at`
 * after `release()`'s handover.
 */
export interface FastRead {
  readonly at: number;
  readonly closed: boolean;
}

/** What the scanner needs to go on. */
export interface Handover {
  /** Bytes before the chunk's `at` that the scanner reads first (a number begun in an earlier chunk). */
  readonly pending: Buffer | null;
  /** True once the module took a number: the scanner goes on after a comma, not after the `[`. */
  readonly tookAny: boolean;
}

export class WasmIntColumns {
  private readonly wasm: Exports;
  private readonly fields: number;
  private readonly columns: Uint32Array[];
  private readonly memory: Uint8Array;
  private carry = Buffer.alloc(CARRY_MAX);
  private carryLength = 0;
  private released = false;
  /** Records given to the columns. */
  private flushed = 0;

  /**
   * The fast path for one array, or null (no WebAssembly, or more fields than it keeps). `nodeCount` bounds the
   * edges' targets.
   */
  static take(key: 'nodes' | 'edges', header: SnapshotHeader, nodeCount: number): WasmIntColumns | null {
    const fields = key === 'nodes' ? header.nodeFields.length : header.edgeFields.length;
    if (fields < 1 || fields > MAX_FIELDS) return null;
    const wasm = instance();
    if (!wasm) return null;
    return new WasmIntColumns(wasm, key, header, nodeCount);
  }

  private constructor(wasm: Exports, key: 'nodes' | 'edges', h: SnapshotHeader, nodeCount: number) {
    this.wasm = wasm;
    const nodes = key === 'nodes';
    this.fields = nodes ? h.nodeFields.length : h.edgeFields.length;
    const buffer = wasm.memory.buffer;
    this.memory = new Uint8Array(buffer);
    this.columns = [];
    const offsets = new Uint32Array(buffer, 0, MAX_FIELDS);
    const bounds = new BigUint64Array(buffer, BOUNDS_AT, MAX_FIELDS);
    const nodeFields = h.nodeFields.length;
    for (let f = 0; f < this.fields; f++) {
      offsets[f] = COLUMNS_AT + f * RECORDS * 4;
      this.columns.push(new Uint32Array(buffer, offsets[f], RECORDS));
      bounds[f] = U32_BOUND;
    }
    // The bounds the columns check (columns.ts); a value past one goes to the scanner, which reports it.
    if (nodes) {
      bounds[h.nodeTypeField] = BigInt(h.nodeTypes.length);
      if (h.nodeDetachednessField >= 0) bounds[h.nodeDetachednessField] = 4n;
      wasm.configure(this.fields, RECORDS, -1, 1, -1, h.nodeNameField, 0);
    } else {
      bounds[h.edgeTypeField] = BigInt(Math.min(h.edgeTypes.length, 32));
      bounds[h.edgeToField] = BigInt(Math.min(nodeCount * nodeFields, 2 ** 32));
      const indexTypes = ['element', 'hidden']
        .map((name) => h.edgeTypes.indexOf(name))
        .reduce((mask, type) => (type >= 0 && type < 32 ? mask | (1 << type) : mask), 0);
      wasm.configure(this.fields, RECORDS, h.edgeToField, nodeFields, h.edgeTypeField, h.edgeNameField, indexTypes);
    }
  }

  /** Reads `chunk` from `i`, starting at a number's start (or the `]` of an empty array). */
  read(chunk: Buffer, i: number, end: number, sink: RecordSink, fail: Fail): FastRead {
    const wasm = this.wasm;
    const memory = this.memory;
    while (i < end) {
      const piece = Math.min(PIECE_BYTES, end - i);
      const carried = this.carryLength;
      memory.set(this.carry.subarray(0, carried), INPUT_AT);
      memory.set(chunk.subarray(i, i + piece), INPUT_AT + carried);
      const last = INPUT_AT + carried + piece;
      memory[last] = 0; // the byte after the input is no digit
      let status = wasm.scan(INPUT_AT, last);
      while (status === Status.Full) {
        this.flush(sink, fail);
        status = wasm.scan(wasm.stop(), last);
      }
      const stop = wasm.stop();
      if (status === Status.NeedMore) {
        this.carryLength = last - stop;
        this.carry = Buffer.from(memory.subarray(stop, last));
        i += piece;
        continue;
      }
      // Where the module stopped, in the chunk: before the piece when the number began in the carry.
      const inPiece = stop - INPUT_AT - carried;
      this.carryLength = 0;
      if (inPiece < 0) {
        this.carry = Buffer.from(memory.subarray(stop, INPUT_AT + carried));
        this.carryLength = this.carry.length;
      }
      return { at: inPiece < 0 ? i : i + inPiece, closed: status === Status.Closed };
    }
    return { at: end, closed: false };
  }

  /**
   * Ends the fast path: the columns get every whole record and the record in progress; the scanner gets the
   * bytes not yet scanned. The instance goes back for the next array.
   */
  release(sink: RecordSink, fail: Fail): Handover {
    if (this.released) throw new Error('the fast path was already released');
    this.released = true;
    this.flush(sink, fail);
    const started = this.wasm.field();
    const tookAny = this.flushed > 0 || started > 0;
    if (started > 0) {
      const values = new Float64Array(started);
      for (let f = 0; f < started; f++) values[f] = this.columns[f]![0]!;
      sink.add(values, started, fail);
    }
    const pending = this.carryLength > 0 ? this.carry.subarray(0, this.carryLength) : null;
    this.carryLength = 0;
    spare ??= this.wasm;
    return { pending, tookAny };
  }

  /** Whole records to the columns; the record in progress moves to row 0. */
  private flush(sink: RecordSink, fail: Fail): void {
    const wasm = this.wasm;
    const records = wasm.record();
    if (records === 0) return;
    sink.addRecords(this.columns, records, wasm.maxName(), fail);
    this.flushed += records;
    recordsTaken += records;
    const started = wasm.field();
    for (let f = 0; f < started; f++) this.columns[f]![0] = this.columns[f]![records]!;
    wasm.rewind();
  }
}
