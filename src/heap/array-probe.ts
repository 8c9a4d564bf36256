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
/** A key cut by the window's start (`ations":[`, `:[`) or end (`"locat`, `"locations":`). */
const CUT_KEY_START = /^(?:[a-z_]*")?:\[/;
const CUT_KEY_END = /"[a-z_]*(?:":?)?$/;

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

/**
 * Digits, commas, brackets and line breaks only, once the section keys (whole, or cut by the window's edges) are
 * taken out: before the strings.
 */
function intsOnly(bytes: Buffer): boolean {
  const text = bytes.toString('latin1').replace(KEY, '').replace(CUT_KEY_START, '').replace(CUT_KEY_END, '');
  return /^[\d,[\]\r\n ]*$/.test(text);
}

/** The phases (first record's index, below `width`) at which at least MIN_RECORDS whole records all `fit`. */
function fittingPhases(values: readonly number[], width: number, fits: (record: number) => boolean): number[] {
  const phases: number[] = [];
  for (let p = 0; p < width; p++) {
    let records = 0;
    let all = true;
    for (let r = p; r + width <= values.length && all; r += width, records++) all = fits(r);
    if (all && records >= MIN_RECORDS) phases.push(p);
  }
  return phases;
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
    // Past the edges key: a key, or a window of the edges (or of the arrays after them) that is not read as nodes.
    // Edge records are checked first: at their phase they cannot fail, where a node test may pass by chance.
    const past = (bytes: Buffer): boolean => {
      if (!intsOnly(bytes)) return true;
      const { values } = numbersIn(bytes);
      return this.edgePhases(values).length > 0 || !this.nodesLike(values);
    };
    const edgesAt = this.search(valuesAt, stringsAt, past, EDGES_KEY);
    return edgesAt < 0 ? null : { edgesAt, stringsAt };
  }

  /**
   * The offset of the comma before the first edge record that starts at or after `at` (inside the edges), or
   * -1 when the window does not tell the records' phase in exactly one way. `bytes`: the window, when read already.
   */
  edgeRecordAfter(at: number, bytes: Buffer = this.read(at)): number {
    const { values, firstAt } = numbersIn(bytes);
    const phases = this.edgePhases(values);
    return phases.length === 1 ? at + firstAt[phases[0]!]! : -1;
  }

  /** The phases at which every whole record has an edge type and a target that is a node's first field. */
  private edgePhases(values: readonly number[]): number[] {
    const { edgeTypeField: type, edgeToField: to } = this.header;
    const types = this.header.edgeTypes.length;
    const limit = this.header.nodeCount * this.nodeFields;
    return fittingPhases(values, this.edgeFields, (r) => {
      const target = values[r + to]!;
      return values[r + type]! < types && target % this.nodeFields === 0 && target < limit;
    });
  }

  /** At one phase, every whole record has a known node type and a small detachedness. */
  private nodesLike(values: readonly number[]): boolean {
    const { nodeTypeField: type, nodeDetachednessField: detached } = this.header;
    const types = this.header.nodeTypes.length;
    const fits = (r: number): boolean => values[r + type]! < types && values[r + detached]! <= MAX_DETACHEDNESS;
    return fittingPhases(values, this.nodeFields, fits).length > 0;
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
