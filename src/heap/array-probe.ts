/**
 * Finds the `edges` and `strings` keys of a snapshot written one line per array (V8 12+: Node 24, 26) by probing
 * a few small windows, as section-probe.ts does for one record per line. No line tells a section here, but the
 * numbers do: a window of the nodes holds, at one phase, a node type below the type count and a detachedness of
 * at most 3 in every record; a window of the edges or of the arrays after them does not (an edge's target is a
 * multiple of the node width, so it is never all small). Ints-only windows come before the strings; a window of
 * the strings holds a quote that opens no key, or bytes no number array has. A key found that way is checked
 * byte for byte, and a window that does not read as expected leaves the search to the caller (null, -1).
 */
import { readSync } from 'node:fs';
import type { SnapshotHeader } from './header.js';

const WINDOW = 4 * 1024;
/** A window is classified from at least this many whole records (fewer: it cannot be told, null). */
const MIN_RECORDS = 16;
/** Detachedness is 0 (unknown), 1 (attached) or 2 (detached); 3 leaves room for a future state. */
const MAX_DETACHEDNESS = 3;
const EDGES_KEY = Buffer.from('"edges":[');
const STRINGS_KEY = Buffer.from('"strings":[');
/** A section key: the only quoted text before the strings array (`"locations":[`). */
const KEY = /"[a-z_]+":\[/g;

export interface ArrayOffsets {
  readonly edgesAt: number;
  readonly stringsAt: number;
}

/** The whole numbers of a window of digits and commas: the first and last tokens may be cut, so they are left. */
function numbersIn(bytes: Buffer): { values: number[]; firstAt: number[] } {
  const values: number[] = [];
  const firstAt: number[] = [];
  let start = bytes.indexOf(0x2c);
  if (start < 0) return { values, firstAt };
  let value = 0;
  let digits = 0;
  for (let i = start + 1; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c >= 0x30 && c <= 0x39) {
      value = value * 10 + (c - 0x30);
      digits++;
    } else {
      if (digits > 0) {
        values.push(value);
        firstAt.push(start);
      }
      value = 0;
      digits = 0;
      start = i;
    }
  }
  return { values, firstAt };
}

/** Digits, commas, brackets and line breaks only, once the section keys are taken out: before the strings. */
function intsOnly(bytes: Buffer): boolean {
  const text = bytes.toString('latin1').replace(KEY, '');
  return /^[\d,[\]\r\n ]*$/.test(text);
}

export class ArrayProbe {
  /** Bytes read by the probe (the reader's I/O count). */
  bytesRead = 0;
  private readonly window: Buffer;
  private readonly nodeFields: number;
  private readonly edgeFields: number;

  constructor(
    private readonly fd: number,
    private readonly size: number,
    private readonly header: SnapshotHeader,
    windowBytes = WINDOW,
  ) {
    this.window = Buffer.allocUnsafe(windowBytes);
    this.nodeFields = header.nodeFields.length;
    this.edgeFields = header.edgeFields.length;
  }

  /** Both keys' offsets, searched from the nodes' values (`valuesAt`); null when a window reads unexpectedly. */
  find(valuesAt: number): ArrayOffsets | null {
    if (this.header.nodeDetachednessField < 0) return null;
    const stringsAt = this.search(valuesAt, this.size, (bytes) => !intsOnly(bytes), STRINGS_KEY);
    if (stringsAt < 0) return null;
    const edgesAt = this.search(valuesAt, stringsAt, (bytes) => !intsOnly(bytes) || !this.nodesLike(bytes), EDGES_KEY);
    return edgesAt < 0 ? null : { edgesAt, stringsAt };
  }

  /**
   * The offset of the comma before the first edge record that starts at or after `at` (inside the edges), or
   * -1 when the window does not tell the records' phase in exactly one way.
   */
  edgeRecordAfter(at: number): number {
    const { values, firstAt } = numbersIn(this.read(at));
    const width = this.edgeFields;
    const { edgeTypeField: type, edgeToField: to } = this.header;
    const types = this.header.edgeTypes.length;
    const limit = this.header.nodeCount * this.nodeFields;
    let phase = -1;
    for (let p = 0; p < width; p++) {
      let records = 0;
      let fits = true;
      for (let r = p; r + width <= values.length && fits; r += width, records++) {
        const target = values[r + to]!;
        fits = values[r + type]! < types && target % this.nodeFields === 0 && target < limit;
      }
      if (!fits || records < MIN_RECORDS) continue;
      if (phase >= 0) return -1;
      phase = p;
    }
    return phase < 0 ? -1 : at + firstAt[phase]!;
  }

  /** At one phase, every whole record has a known node type and a small detachedness. */
  private nodesLike(bytes: Buffer): boolean {
    const { values } = numbersIn(bytes);
    const width = this.nodeFields;
    const { nodeTypeField: type, nodeDetachednessField: detached } = this.header;
    const types = this.header.nodeTypes.length;
    for (let p = 0; p < width; p++) {
      let records = 0;
      let fits = true;
      for (let r = p; r + width <= values.length && fits; r += width, records++) {
        fits = values[r + type]! < types && values[r + detached]! <= MAX_DETACHEDNESS;
      }
      if (fits && records >= MIN_RECORDS) return true;
    }
    return false;
  }

  private read(at: number): Buffer {
    const read = readSync(this.fd, this.window, 0, this.window.length, at);
    this.bytesRead += read;
    return this.window.subarray(0, read);
  }

  /**
   * The key's offset in [from, to): binary search for the first window that is `past` the key, then the key
   * in the bytes around it. -1 when the key is not there (a window was misread: the caller searches the plain way).
   */
  private search(from: number, to: number, past: (bytes: Buffer) => boolean, key: Buffer): number {
    const step = this.window.length;
    let lo = from;
    let hi = to;
    while (hi - lo > step) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (past(this.read(mid))) hi = mid;
      else lo = mid;
    }
    // The key starts before the first window past it ends: within [lo - key, hi + window).
    const start = Math.max(from, lo - key.length);
    const length = Math.min(to + key.length, this.size, hi + step) - start;
    const bytes = Buffer.allocUnsafe(Math.max(0, length));
    const read = readSync(this.fd, bytes, 0, bytes.length, start);
    this.bytesRead += read;
    const found = bytes.subarray(0, read).indexOf(key);
    return found < 0 ? -1 : start + found;
  }
}
