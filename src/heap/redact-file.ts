/**
 * `memprobe redact IN OUT`: a copy of a snapshot with its string values replaced (redact.ts decides which).
 * The header, `nodes`, `edges` and everything else before the strings table are copied byte for byte, so the
 * graph, node ids, sizes and retained sizes are the same; the strings table is written anew, entry for entry,
 * so every index still points at its entry. Reads the input three times (parse, find the table, copy) and
 * holds one parse in memory, never the file.
 */
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { pendingOutput, writeFailure } from '../output-file.js';

const WRITE_CALLS = new Set(['open', 'write', 'close']);
import { SnapshotParser } from './parser.js';
import { readHeapSnapshot } from './reader.js';
import { placeholder, planRedaction } from './redact.js';
import { HeapSnapshotError } from './snapshot-error.js';

export interface RedactSummary {
  readonly strings: number;
  readonly replaced: number;
  readonly keptAsNames: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
}

const CHUNK = 4 * 1024 * 1024;

/** The offset of the `[` that opens the strings table. */
function stringsTableOffset(file: string, fd: number, size: number): number {
  const parser = new SnapshotParser({ totalBytes: size, stopAtKey: 'strings' });
  const buffer = Buffer.allocUnsafe(CHUNK);
  for (let position = 0; position < size;) {
    const read = readSync(fd, buffer, 0, buffer.length, position);
    if (read === 0) break;
    position += read;
    if (!parser.push(buffer.subarray(0, read))) break;
  }
  const key = parser.stoppedAtKey;
  if (key < 0) throw new HeapSnapshotError(file, 'no strings table', { section: 'strings' });
  const window = Buffer.alloc(64);
  const read = readSync(fd, window, 0, window.length, key);
  const open = window.subarray(0, read).indexOf('[');
  if (open < 0)
    throw new HeapSnapshotError(file, 'the strings table does not open with [', { section: 'strings', offset: key });
  return key + open;
}

/** Copies bytes [0, end) of `fd` to `out`. */
function copyPrefix(fd: number, out: number, end: number): void {
  const buffer = Buffer.allocUnsafe(CHUNK);
  for (let position = 0; position < end;) {
    const read = readSync(fd, buffer, 0, Math.min(buffer.length, end - position), position);
    if (read === 0) throw new Error('the input ended early');
    writeSync(out, buffer, 0, read);
    position += read;
  }
}

/** `options.private`: the output gets mode 0600 (a snapshot redacted on the fly, kept like the others). */
export function redactSnapshotFile(
  input: string,
  output: string,
  keep: readonly RegExp[] = [],
  options: { readonly private?: boolean } = {},
): RedactSummary {
  const snapshot = readHeapSnapshot(input, { parallel: false });
  const plan = planRedaction(snapshot, keep);
  const { strings } = snapshot;
  const fd = openSync(input, 'r');
  const pending = pendingOutput(output, options);
  let bytesOut = 0;
  try {
    const size = fstatSync(fd).size;
    const open = stringsTableOffset(input, fd, size);
    const out = openSync(pending.path, 'w');
    try {
      copyPrefix(fd, out, open + 1);
      bytesOut = open + 1;
      // Millions of small entries: gathered into one buffer per write.
      const batch = Buffer.allocUnsafe(CHUNK);
      let used = 0;
      const flush = (): void => {
        writeSync(out, batch, 0, used);
        bytesOut += used;
        used = 0;
      };
      const write = (data: Buffer | string): void => {
        const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
        if (used + bytes.length > batch.length) flush();
        if (bytes.length > batch.length) {
          writeSync(out, bytes);
          bytesOut += bytes.length;
        } else used += bytes.copy(batch, used);
      };
      for (let s = 0; s < strings.length; s++) {
        write(s === 0 ? '\n"' : ',\n"');
        write(plan.replace[s] ? placeholder(strings.decodedLength(s)) : strings.raw(s));
        write('"');
      }
      write(']}\n');
      flush();
    } finally {
      closeSync(out);
    }
    pending.commit();
    return { strings: strings.length, replaced: plan.replaced, keptAsNames: plan.keptAsNames, bytesIn: size, bytesOut };
  } catch (error) {
    pending.discard();
    // A failed write names the output; a failed read of the input stays as it was.
    throw WRITE_CALLS.has((error as NodeJS.ErrnoException).syscall ?? '') ? writeFailure(pending.final, error) : error;
  } finally {
    closeSync(fd);
  }
}
