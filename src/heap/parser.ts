/**
 * Incremental .heapsnapshot parser: bytes in, typed arrays out. A small byte-level state machine walks the
 * top-level object; `nodes` and `edges` are scanned digit by digit (int-scanner.ts) into typed columns
 * (columns.ts), the `strings` array is kept as bytes with entry positions (strings-scanner.ts), and the
 * header (`snapshot`) is the only part handed to JSON.parse. Chunks may split anything (a number, an escape,
 * a UTF-8 sequence): all state lives in the parser and its parts.
 */
import { EdgeColumns, NodeColumns, trim } from './columns.js';
import { parseHeader, type SnapshotHeader } from './header.js';
import { IntArrayScanner } from './int-scanner.js';
import type { StringTable } from './string-table.js';
import { StringsScanner } from './strings-scanner.js';
import { ValueSkipper } from './value-skipper.js';
import { SnapshotParseError, type ParsedSnapshot, type ParserOptions, type SectionRead } from './parser-types.js';
import { WasmIntColumns, type RecordSink } from './wasm-columns.js';

const enum Top {
  Start,
  KeyOrEnd,
  Key,
  Colon,
  Value,
  AfterValue,
  KeyAfterComma,
  Done,
}

const MAX_HEADER_BYTES = 4 * 1024 * 1024;

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

export class SnapshotParser {
  private readonly options: ParserOptions;
  private position = 0; // absolute offset of the current chunk's first byte
  private top = Top.Start;
  private key = '';
  private keyStart = 0;
  private section = 'header';
  private header: SnapshotHeader | null = null;
  private stopped = false;
  /** Offset of the opening quote of `stopAtKey`, once reached. */
  stoppedAtKey = -1;
  /** Offset of the opening quote of the `strings` key, once read. */
  stringsKeyAt = -1;

  private readonly skipper = new ValueSkipper();
  private capture: Buffer[] | null = null;
  private captureBytes = 0;

  private readonly ints = new IntArrayScanner();
  private nodes: NodeColumns | null = null;
  private edges: EdgeColumns | null = null;
  /** The fast path of the array being read, until it closes or hands over to `ints`. */
  private fast: WasmIntColumns | null = null;
  private readonly strings: StringsScanner;
  private seenNodes = false;
  private seenEdges = false;
  private seenStrings = false;

  constructor(options: ParserOptions = {}) {
    this.options = options;
    this.strings = new StringsScanner(options.stringBlockBytes);
    const section = options.section;
    if (section) {
      this.header = section.header;
      this.position = section.offset;
      this.seenNodes = true;
      this.key = section.key;
      this.top = Top.Value;
      this.beginValue(0);
      if (section.inside) this.ints.startInside();
    }
  }

  /** The edge columns as they are (untrimmed), for joining the parts of a split read. */
  get edgeColumns(): EdgeColumns | null {
    return this.edges;
  }

  /**
   * Ends a split read's head part: the bytes fed stopped just before the comma between two records, so the
   * last number is complete. Checks that only whole records were read.
   */
  endPart(): void {
    const edges = this.edges;
    if (!edges) throw new SnapshotParseError('no edges to end', 'edges', this.position);
    if (this.fast) this.handOver(edges, 0);
    this.ints.flushPending();
    edges.add(this.ints.batch, this.ints.count, (message) => this.fail(message, 0));
    this.ints.count = 0;
    edges.finish((message) => this.fail(message, 0));
    this.seenEdges = true;
    this.stopped = true;
  }

  /** Nodes read so far. */
  get nodesRead(): number {
    return this.nodes?.count ?? 0;
  }

  /** The header, once its bytes have been read. */
  get parsedHeader(): SnapshotHeader | null {
    return this.header;
  }

  /** True once the parser needs no more input (the top-level object closed, or a nodes-only read has its nodes). */
  get done(): boolean {
    return this.stopped || this.top === Top.Done;
  }

  /** Feeds the next chunk. Returns false when no more input is wanted. */
  push(chunk: Buffer): boolean {
    let i = 0;
    const end = chunk.length;
    while (i < end && !this.stopped) i = this.step(chunk, i, end);
    this.position += end;
    return !this.done;
  }

  /** Checks that the input was complete and returns the arrays, trimmed to their lengths. */
  finish(): ParsedSnapshot {
    if (!this.stopped && this.top !== Top.Done) {
      const where = this.top === Top.Start ? 'the file is empty' : `the file ends inside "${this.section}"`;
      throw new SnapshotParseError(`truncated heap snapshot: ${where}`, this.section, this.position);
    }
    const header = this.header;
    if (!header || !this.seenNodes)
      throw new SnapshotParseError('not a heap snapshot: no "snapshot" header or "nodes" array', 'header');
    if (!this.stopped && !this.options.section && (!this.seenEdges || !this.seenStrings)) {
      throw new SnapshotParseError(`not a heap snapshot: no "${this.seenEdges ? 'strings' : 'edges'}" array`, 'header');
    }
    const nodes = this.nodes ?? new NodeColumns({ ...header, nodeCount: 0 }, undefined);
    const edges = this.edges ?? new EdgeColumns(header, undefined, 0, 0);
    const n = nodes.count;
    const e = edges.count;
    return {
      header,
      nodeCount: n,
      nodeType: trim(nodes.type, n),
      nodeName: trim(nodes.name, n),
      nodeId: trim(nodes.id, n),
      nodeSelfSize: trim(nodes.selfSize, n),
      nodeDetachedness: header.nodeDetachednessField < 0 ? null : trim(nodes.detachedness, n),
      firstEdge: trim(nodes.firstEdge, n + 1),
      edgeCount: e,
      edgeType: trim(edges.type, e),
      edgeName: trim(edges.name, e),
      edgeTo: trim(edges.to, e),
      strings: this.strings.build(),
      complete: !this.stopped,
      maxNameIndex: Math.max(nodes.maxName, edges.maxName),
    };
  }

  private fail(message: string, offset: number): never {
    throw new SnapshotParseError(message, this.section, this.position + offset);
  }

  /** `shift`: where `bytes` start in the current chunk (bytes carried from an earlier one start before it). */
  private unexpected(bytes: Buffer, i: number, shift = 0): never {
    const c = bytes[i]!;
    const shown = c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `0x${c.toString(16).padStart(2, '0')}`;
    this.fail(`unexpected byte ${shown}`, i + shift);
  }

  private step(chunk: Buffer, i: number, end: number): number {
    const c = chunk[i]!;
    switch (this.top) {
      case Top.Start:
        if (isSpace(c)) return i + 1;
        if (c !== 0x7b) this.fail('not a heap snapshot: it does not start with a JSON object', i);
        this.top = Top.KeyOrEnd;
        return i + 1;
      case Top.KeyOrEnd:
      case Top.KeyAfterComma:
        if (isSpace(c)) return i + 1;
        if (c === 0x22) {
          this.top = Top.Key;
          this.key = '';
          this.keyStart = this.position + i;
          return i + 1;
        }
        if (c === 0x7d && this.top === Top.KeyOrEnd) {
          this.top = Top.Done;
          return i + 1;
        }
        return this.unexpected(chunk, i);
      case Top.Key:
        return this.readKey(chunk, i, end);
      case Top.Colon:
        if (isSpace(c)) return i + 1;
        if (c !== 0x3a) this.unexpected(chunk, i);
        this.top = Top.Value;
        this.beginValue(i);
        return i + 1;
      case Top.Value:
        return this.readValue(chunk, i, end);
      case Top.AfterValue:
        if (isSpace(c)) return i + 1;
        if (c === 0x2c) {
          this.top = Top.KeyAfterComma;
          return i + 1;
        }
        if (c === 0x7d) {
          this.top = Top.Done;
          return i + 1;
        }
        return this.unexpected(chunk, i);
      case Top.Done:
        if (isSpace(c) || c === 0) return i + 1;
        return this.fail('unexpected data after the end of the snapshot', i);
    }
  }

  private readKey(chunk: Buffer, i: number, end: number): number {
    let j = i;
    while (j < end && chunk[j] !== 0x22) j++;
    this.key += chunk.toString('latin1', i, j);
    if (this.key.length > 64) this.fail('not a heap snapshot: overlong key', i);
    if (j === end) return end;
    this.top = Top.Colon;
    if (this.key === 'strings') this.stringsKeyAt = this.keyStart;
    if (this.key === this.options.stopAtKey) {
      this.stopped = true;
      this.stoppedAtKey = this.keyStart;
    }
    return j + 1;
  }

  private beginValue(i: number): void {
    this.section = this.key;
    this.skipper.reset();
    this.ints.reset();
    const header = this.header;
    switch (this.key) {
      case 'snapshot':
        this.capture = [];
        this.captureBytes = 0;
        break;
      case 'nodes':
        if (!header) this.fail('not a heap snapshot: "nodes" comes before the "snapshot" header', i);
        if (this.seenNodes) this.fail('two "nodes" arrays', i);
        this.nodes = new NodeColumns(header, this.options.totalBytes);
        this.fast = this.takeFast('nodes', header, 0);
        break;
      case 'edges': {
        if (!header || !this.seenNodes) this.fail('"edges" comes before "nodes"', i);
        if (this.seenEdges) this.fail('two "edges" arrays', i);
        // A section read (parallel-reader.ts) trusts the header's counts; the join checks them against the nodes.
        const section = this.options.section;
        const nodeCount = this.nodes ? this.nodes.count : (section?.nodeCount ?? header.nodeCount);
        const expected = this.nodes ? this.nodes.firstEdge[nodeCount]! : section?.part ? null : header.edgeCount;
        this.edges = new EdgeColumns(header, this.options.totalBytes, nodeCount, expected, section?.edgesInto);
        this.fast = this.takeFast('edges', header, nodeCount);
        break;
      }
      case 'strings':
        if (this.seenStrings) this.fail('two "strings" arrays', i);
        if (this.options.totalBytes !== undefined)
          this.strings.expect(Math.ceil((this.options.totalBytes - this.position - i) / 3));
        break;
      default:
        break;
    }
  }

  private readValue(chunk: Buffer, i: number, end: number): number {
    switch (this.key) {
      case 'nodes':
      case 'edges':
        return this.readInts(chunk, i, end);
      case 'strings': {
        const next = this.strings.read(chunk, i, end, (message, at) => this.fail(message, at));
        if (this.strings.closed) this.endValue();
        return next;
      }
      // Dropped arrays are skipped as plain JSON, not scanned as unsigned integers: V8 writes -1 in `locations`
      // (a position it does not know; seen in a vitest worker's snapshot on Node 24).
      default:
        return this.skipValue(chunk, i, end);
    }
  }

  private takeFast(key: 'nodes' | 'edges', header: SnapshotHeader, nodeCount: number): WasmIntColumns | null {
    return this.options.wasm === false ? null : WasmIntColumns.take(key, header, nodeCount);
  }

  /**
   * `nodes` and `edges` go to their columns through the fast path while it takes them, then (or for other
   * arrays, which are dropped) through the scanner a batch at a time.
   */
  private readInts(chunk: Buffer, i: number, end: number): number {
    const ints = this.ints;
    const target = this.key === 'nodes' ? this.nodes : this.key === 'edges' ? this.edges : null;
    if (this.fast && target) {
      i = ints.open(chunk, i, end);
      if (i === end) return end;
      const read = ints.atValue ? this.fast.read(chunk, i, end, target, (message) => this.fail(message, i)) : null;
      if (read && read.at === end && !read.closed) return end;
      i = read?.at ?? i;
      this.handOver(target, i);
      if (read?.closed) {
        ints.closed = true;
        this.endValue();
        return i;
      }
    }
    i = this.scanInts(chunk, i, end, target);
    if (ints.closed) this.endValue();
    return i;
  }

  private scanInts(bytes: Buffer, i: number, end: number, target: RecordSink | null, shift = 0): number {
    const ints = this.ints;
    const unexpected = (at: number): never => this.unexpected(bytes, at, shift);
    while (i < end && !ints.closed) {
      i = ints.scan(bytes, i, end, unexpected);
      if (target) target.add(ints.batch, ints.count, (message) => this.fail(message, i + shift));
      ints.count = 0;
    }
    return i;
  }

  /** The scanner takes the array over from the fast path at `at` in the current chunk. */
  private handOver(target: RecordSink, at: number): void {
    const { pending, tookAny } = this.fast!.release(target, (message) => this.fail(message, at));
    this.fast = null;
    this.ints.resume(tookAny);
    if (pending) this.scanInts(pending, 0, pending.length, target, at - pending.length);
  }

  private endValue(): void {
    this.top = Top.AfterValue;
    const fail = (message: string): never => this.fail(message, 0);
    if (this.key === 'snapshot') {
      const text = Buffer.concat(this.capture ?? []).toString('utf8');
      this.capture = null;
      this.header = parseHeader(text, this.options.totalBytes, fail);
    } else if (this.key === 'nodes') {
      this.seenNodes = true;
      this.nodes!.finish(fail);
      if (this.options.nodesOnly) this.stopped = true;
    } else if (this.key === 'edges') {
      this.seenEdges = true;
      this.edges!.finish(fail);
    } else if (this.key === 'strings') {
      this.seenStrings = true;
    }
  }

  /** Skips any JSON value, capturing it when it is the header. */
  private skipValue(chunk: Buffer, i: number, end: number): number {
    const finishedAt = this.skipper.skip(chunk, i, end, !this.capture, (at) => this.unexpected(chunk, at));
    const stop = finishedAt < 0 ? end : finishedAt;
    if (this.capture) {
      this.captureBytes += stop - i;
      if (this.captureBytes > MAX_HEADER_BYTES)
        this.fail('not a heap snapshot: the "snapshot" header is larger than 4 MB', stop);
      this.capture.push(Buffer.from(chunk.subarray(i, stop)));
    }
    if (finishedAt >= 0) this.endValue();
    return stop;
  }
}
