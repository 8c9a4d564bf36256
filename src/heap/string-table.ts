/**
 * The snapshot's strings table kept as the JSON bytes it was read from, in off-heap blocks, with each entry's
 * position. Strings are decoded when asked for: a big heap's table holds millions of entries (and can pass
 * 512 MB, more than one JS string can hold), while an analysis reads a few thousand of them.
 */
import { decodeJsonString } from './json-string.js';

const HAS_ESCAPES = 1;
const NON_ASCII = 2;

/** A table's arrays, to move it between threads (parallel-reader.ts). */
export interface StringTableParts {
  readonly blocks: readonly Uint8Array[];
  readonly blockOf: Uint16Array;
  readonly starts: Uint32Array;
  readonly ends: Uint32Array;
  readonly flags: Uint8Array;
}

export class StringTable {
  readonly length: number;
  private readonly blocks: readonly Buffer[];
  private readonly blockOf: Uint16Array;
  private readonly starts: Uint32Array;
  private readonly ends: Uint32Array;
  private readonly flags: Uint8Array;

  constructor(
    blocks: readonly Buffer[],
    blockOf: Uint16Array,
    starts: Uint32Array,
    ends: Uint32Array,
    flags: Uint8Array,
  ) {
    this.blocks = blocks;
    this.blockOf = blockOf;
    this.starts = starts;
    this.ends = ends;
    this.flags = flags;
    this.length = starts.length;
  }

  /** A table from its arrays; blocks that crossed threads come as plain Uint8Arrays and are seen as Buffers. */
  static fromParts(parts: StringTableParts): StringTable {
    const blocks = parts.blocks.map((b) =>
      Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength),
    );
    return new StringTable(blocks, parts.blockOf, parts.starts, parts.ends, parts.flags);
  }

  parts(): StringTableParts {
    const { blocks, blockOf, starts, ends, flags } = this;
    return { blocks, blockOf, starts, ends, flags };
  }

  /** Entry `index` decoded; '' for an index out of range. */
  get(index: number): string {
    if (!(index >= 0 && index < this.length)) return '';
    const flags = this.flags[index]!;
    return decodeJsonString(
      this.blocks[this.blockOf[index]!]!,
      this.starts[index]!,
      this.ends[index]!,
      (flags & HAS_ESCAPES) !== 0,
      (flags & NON_ASCII) === 0,
    );
  }

  /** Entry `index` as it stands in the file, JSON-escaped, without its quotes (empty for an index out of range). */
  raw(index: number): Buffer {
    if (!(index >= 0 && index < this.length)) return Buffer.alloc(0);
    return this.blocks[this.blockOf[index]!]!.subarray(this.starts[index]!, this.ends[index]!);
  }

  /** The length of entry `index` once decoded (decodes only entries with escapes or non-ASCII bytes). */
  decodedLength(index: number): number {
    if (!(index >= 0 && index < this.length)) return 0;
    return this.flags[index] === 0 ? this.ends[index]! - this.starts[index]! : this.get(index).length;
  }

  /** Whether entry `index` is exactly `text` (plain ASCII), compared on the bytes without decoding. */
  is(index: number, text: string): boolean {
    if (!(index >= 0 && index < this.length) || this.flags[index] !== 0) return false;
    const start = this.starts[index]!;
    if (this.ends[index]! - start !== text.length) return false;
    const block = this.blocks[this.blockOf[index]!]!;
    for (let i = 0; i < text.length; i++) if (block[start + i] !== text.charCodeAt(i)) return false;
    return true;
  }

  /** Whether entry `index` starts with the plain-ASCII `prefix` (compared on the bytes). */
  startsWith(index: number, prefix: string): boolean {
    if (!(index >= 0 && index < this.length)) return false;
    const start = this.starts[index]!;
    if (this.ends[index]! - start < prefix.length) return false;
    const block = this.blocks[this.blockOf[index]!]!;
    for (let i = 0; i < prefix.length; i++) if (block[start + i] !== prefix.charCodeAt(i)) return false;
    return true;
  }

  /** The first byte of entry `index` (-1 when empty): a cheap filter before decoding. */
  firstByte(index: number): number {
    if (!(index >= 0 && index < this.length)) return -1;
    const start = this.starts[index]!;
    return this.ends[index]! > start ? this.blocks[this.blockOf[index]!]![start]! : -1;
  }

  /** The last byte of entry `index` (-1 when empty): a cheap filter before decoding. */
  lastByte(index: number): number {
    if (!(index >= 0 && index < this.length)) return -1;
    const end = this.ends[index]!;
    return end > this.starts[index]! ? this.blocks[this.blockOf[index]!]![end - 1]! : -1;
  }

  /** Every entry decoded (tests and small snapshots only). */
  toArray(): string[] {
    return Array.from({ length: this.length }, (_, i) => this.get(i));
  }
}

/** Block size: big enough that per-block overhead vanishes, small enough that the last one wastes little. */
const BLOCK_BYTES = 16 * 1024 * 1024;
/** Entries sized at once at most (11 bytes each): beyond it the arrays double as they fill. */
const MAX_EXPECTED = 64 * 1024 * 1024;

/**
 * Collects the bytes of the `strings` array as the parser scans it. The parser copies each chunk into the
 * current block once and records where every entry starts and ends; an entry cut by the end of a block moves
 * to the next block whole.
 */
export class StringTableBuilder {
  private readonly blockBytes: number;
  private readonly blocks: Buffer[] = [];
  private block: Buffer = Buffer.alloc(0);
  /** Bytes used in `block`. */
  fill = 0;
  private count = 0;
  private blockIndex = -1;
  private blockOf = new Uint16Array(1024);
  private starts = new Uint32Array(1024);
  private ends = new Uint32Array(1024);
  private flags = new Uint8Array(1024);

  constructor(blockBytes = BLOCK_BYTES) {
    this.blockBytes = blockBytes;
  }

  get size(): number {
    return this.count;
  }

  /**
   * Makes room for `bytes` more bytes; `keepFrom` is where the entry being read began in the block (or -1),
   * and the returned value is its position after a move to a new block.
   */
  reserve(bytes: number, keepFrom: number): { block: Buffer; keepFrom: number } {
    if (this.fill + bytes <= this.block.length) return { block: this.block, keepFrom };
    const kept = keepFrom >= 0 ? this.fill - keepFrom : 0;
    if (this.blocks.length === 0xffff) throw new RangeError('the strings table is larger than 1 TB');
    const next = Buffer.allocUnsafe(Math.max(this.blockBytes, kept + bytes));
    if (kept > 0) this.block.copy(next, 0, keepFrom, this.fill);
    this.block = next;
    this.blocks.push(next);
    this.blockIndex = this.blocks.length - 1;
    this.fill = kept;
    return { block: next, keepFrom: keepFrom >= 0 ? 0 : -1 };
  }

  /** Records an entry at [start, end) of the current block. */
  add(start: number, end: number, hasEscapes: boolean, nonAscii: boolean): void {
    if (this.count === this.starts.length) this.grow();
    const i = this.count++;
    this.blockOf[i] = this.blockIndex;
    this.starts[i] = start;
    this.ends[i] = end;
    this.flags[i] = (hasEscapes ? HAS_ESCAPES : 0) | (nonAscii ? NON_ASCII : 0);
  }

  /**
   * Sizes the entry arrays for at most `entries` strings at once (no doubling and copying as they fill): the
   * part never written is never touched, so it costs address space, not memory.
   */
  expect(entries: number): void {
    const size = Math.min(Math.max(entries, this.starts.length), MAX_EXPECTED);
    if (size > this.starts.length) this.grow(size);
  }

  /** Views of the entry arrays, not copies: their untouched rest costs no memory. */
  build(): StringTable {
    const n = this.count;
    return new StringTable(
      this.blocks,
      this.blockOf.subarray(0, n),
      this.starts.subarray(0, n),
      this.ends.subarray(0, n),
      this.flags.subarray(0, n),
    );
  }

  private grow(size = this.starts.length * 2): void {
    const grown = <T extends Uint8Array | Uint16Array | Uint32Array>(a: T, Kind: new (n: number) => T): T => {
      const next = new Kind(size);
      next.set(a as never);
      return next;
    };
    this.blockOf = grown(this.blockOf, Uint16Array);
    this.starts = grown(this.starts, Uint32Array);
    this.ends = grown(this.ends, Uint32Array);
    this.flags = grown(this.flags, Uint8Array);
  }
}
