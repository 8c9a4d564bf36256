/**
 * Reads the `strings` array into a StringTable: each chunk is copied into the table's current block once and
 * scanned there, recording where every entry starts and ends. Escapes are checked here (a bad one fails the
 * read even if nothing ever decodes that entry); decoding waits until a string is asked for.
 */
import { StringTableBuilder, type StringTable } from './string-table.js';

const enum State {
  Open,
  First,
  AfterEntry,
  AfterComma,
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

const SIMPLE_ESCAPE = new Uint8Array(256);
for (const c of '"\\/bfnrt') SIMPLE_ESCAPE[c.charCodeAt(0)] = 1;
const HEX = new Uint8Array(256);
for (const c of '0123456789abcdefABCDEF') HEX[c.charCodeAt(0)] = 1;

/** Reports a problem at an index of the chunk being read. */
export type FailAt = (message: string, index: number) => never;

export class StringsScanner {
  private readonly table: StringTableBuilder;
  private state = State.Open;
  /** Block offset where the entry being read starts, or -1 between entries. */
  private start = -1;
  /** 0 plain, 1 after a backslash, 11-14: \u hex digits still expected + 10. */
  private escape = 0;
  private hasEscapes = false;
  private nonAscii = false;
  /** True once the closing bracket was read. */
  closed = false;

  constructor(blockBytes?: number) {
    this.table = new StringTableBuilder(blockBytes);
  }

  get size(): number {
    return this.table.size;
  }

  build(): StringTable {
    return this.table.build();
  }

  /** At most this many strings follow (every entry takes 3 bytes at least: `"",`). */
  expect(entries: number): void {
    this.table.expect(entries);
  }

  /** Reads from `i`; returns where it stopped (the chunk end, or just after the closing bracket). */
  read(chunk: Buffer, i: number, end: number, fail: FailAt): number {
    const table = this.table;
    const { block, keepFrom } = table.reserve(end - i, this.start);
    this.start = keepFrom;
    const base = table.fill;
    chunk.copy(block, base, i, end);
    table.fill = base + (end - i);
    const delta = i - base; // chunk index = block index + delta
    const stop = this.scan(block, base, table.fill, (message, at) => fail(message, at + delta));
    if (stop < table.fill) table.fill = stop; // the array closed: the rest is not strings
    return stop + delta;
  }

  /** One loop over the bytes: entry bodies (the bulk) first, separators between entries otherwise. */
  private scan(block: Buffer, j: number, end: number, fail: FailAt): number {
    const table = this.table;
    let state = this.state;
    let start = this.start;
    let escape = this.escape;
    let hasEscapes = this.hasEscapes;
    let nonAscii = this.nonAscii;
    for (; j < end; j++) {
      const c = block[j]!;
      if (start >= 0) {
        if (escape === 0) {
          if (c === 0x22) {
            table.add(start, j, hasEscapes, nonAscii);
            start = -1;
            state = State.AfterEntry;
          } else if (c === 0x5c) {
            escape = 1;
            hasEscapes = true;
          } else if (c >= 0x80) nonAscii = true;
        } else if (escape === 1) {
          if (c === 0x75) escape = 14;
          else if (SIMPLE_ESCAPE[c] === 1) escape = 0;
          else fail(`string ${table.size}: bad escape '\\${String.fromCharCode(c)}'`, j);
        } else {
          if (HEX[c] !== 1) fail(`string ${table.size}: bad hex digit in a \\u escape`, j);
          escape = escape === 11 ? 0 : escape - 1;
        }
      } else if (c === 0x22 && (state === State.First || state === State.AfterComma)) {
        start = j + 1;
        escape = 0;
        hasEscapes = false;
        nonAscii = false;
      } else if (c === 0x2c && state === State.AfterEntry) {
        state = State.AfterComma;
      } else if (c === 0x5d && (state === State.AfterEntry || state === State.First)) {
        this.state = state;
        this.start = -1;
        this.closed = true;
        return j + 1;
      } else if (c === 0x5b && state === State.Open) {
        state = State.First;
      } else if (!isSpace(c)) {
        const shown = c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `0x${c.toString(16).padStart(2, '0')}`;
        fail(`unexpected byte ${shown}`, j);
      }
    }
    this.state = state;
    this.start = start;
    this.escape = escape;
    this.hasEscapes = hasEscapes;
    this.nonAscii = nonAscii;
    return end;
  }
}
