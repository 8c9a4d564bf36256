/**
 * Finds the `"edges":[` and `"strings":[` keys of a big snapshot by probing a few windows, not by reading the
 * file. V8 writes one record per line: a `nodes` line holds node_fields numbers, an `edges` line edge_fields
 * numbers, the arrays after the edges (locations, samples) other counts, and every `strings` entry starts a
 * line with a quote. So a window's first whole line tells which section it is in, and a binary search over
 * the file meets each key in about 15 windows of 64 KB. A key found that way is checked byte for byte; when
 * a window cannot be classified (one record per line is how V8 writes, not a rule of the format) the caller
 * searches the plain way.
 */
import { readSync } from 'node:fs';

const enum Line {
  /** JSON that is not a record: the header, or a line this probe cannot read. */
  Other,
  Nodes,
  Edges,
  /** A digits-only line of another width: locations, samples, trace data. */
  Ints,
  /** A strings-table entry. */
  Quoted,
  /** A section key line (`"locations":[...`): its closing quote is followed by a colon. */
  Key,
}

const WINDOW = 4 * 1024;
/** How far a probe looks for the start of a line before it gives up. */
const MAX_SCAN = 4 * 1024 * 1024;
const EDGES_KEY = Buffer.from('"edges":[');
const STRINGS_KEY = Buffer.from('"strings":[');

function classify(line: Buffer, nodeFields: number, edgeFields: number): Line {
  if (line.length === 0) return Line.Other;
  if (line[0] === 0x22) {
    // An entry's first inner quote is escaped, or it closes the entry before a comma: never before a colon.
    const close = line.indexOf(0x22, 1);
    return close > 1 && line[close - 1] !== 0x5c && line[close + 1] === 0x3a ? Line.Key : Line.Quoted;
  }
  let numbers = 0;
  let inNumber = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c >= 0x30 && c <= 0x39) {
      if (!inNumber) numbers++;
      inNumber = true;
    } else if (c === 0x2c || c === 0x0d) inNumber = false;
    else return Line.Other;
  }
  return numbers === nodeFields ? Line.Nodes : numbers === edgeFields ? Line.Edges : Line.Ints;
}

export interface SectionOffsets {
  readonly edgesAt: number;
  readonly stringsAt: number;
}

export class SectionProbe {
  private readonly window: Buffer;
  /** Bytes read by the probe (the reader's heartbeat and its I/O count). */
  bytesRead = 0;

  constructor(
    private readonly fd: number,
    private readonly size: number,
    private readonly nodeFields: number,
    private readonly edgeFields: number,
    private readonly windowBytes = WINDOW,
  ) {
    this.window = Buffer.allocUnsafe(windowBytes);
  }

  /** The offsets of both keys, or null when a window could not be read as V8 writes. */
  find(): SectionOffsets | null {
    if (this.nodeFields === this.edgeFields) return null;
    // Before the edges: the header and node lines. From the edges on: anything else.
    const edgesAt = this.search(0, this.size, (line) => line !== Line.Other && line !== Line.Nodes, EDGES_KEY);
    if (edgesAt < 0) return null;
    const stringsAt = this.search(edgesAt, this.size, (line) => line === Line.Quoted, STRINGS_KEY);
    return stringsAt < 0 ? null : { edgesAt, stringsAt };
  }

  /**
   * The class of the first line that starts after `at`, or null when it cannot be told. The line start is
   * looked for up to MAX_SCAN bytes on (a strings entry can be a long script source); a quoted line longer than
   * the window is a strings entry (key lines are short).
   */
  private lineAt(at: number): Line | null {
    let start = -1;
    for (let from = at; start < 0 && from < this.size && from - at < MAX_SCAN; from += this.window.length) {
      const found = this.read(from).indexOf(0x0a);
      if (found >= 0) start = from + found + 1;
    }
    if (start < 0) return null;
    const bytes = this.read(start);
    const end = bytes.indexOf(0x0a);
    if (end >= 0) return classify(bytes.subarray(0, end), this.nodeFields, this.edgeFields);
    if (bytes[0] !== 0x22) return null;
    const line = classify(bytes, this.nodeFields, this.edgeFields);
    return line === Line.Key ? Line.Key : Line.Quoted;
  }

  private read(at: number): Buffer {
    const read = readSync(this.fd, this.window, 0, this.window.length, at);
    this.bytesRead += read;
    return this.window.subarray(0, read);
  }

  /**
   * The key's offset in [from, to): binary search for the first window whose line is `past` the key, then
   * the key itself in the bytes around it. -1 when the windows do not read as expected or the key is absent.
   */
  private search(from: number, to: number, past: (line: Line) => boolean, key: Buffer): number {
    let lo = from;
    let hi = to;
    while (hi - lo > this.windowBytes) {
      const mid = lo + Math.floor((hi - lo) / 2);
      const line = this.lineAt(mid);
      if (line === null) return -1;
      if (past(line)) hi = mid;
      else lo = mid;
    }
    // The key starts its line, before the first line past it: within [lo, hi + window).
    const start = Math.max(from, lo - key.length);
    const length = Math.min(to, hi + this.windowBytes) - start;
    const bytes = Buffer.allocUnsafe(length);
    const read = readSync(this.fd, bytes, 0, length, start);
    this.bytesRead += read;
    const at = bytes.subarray(0, read).indexOf(key);
    return at < 0 ? -1 : start + at;
  }
}
