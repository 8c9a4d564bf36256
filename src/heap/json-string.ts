/**
 * Decodes one JSON string body (the bytes between its quotes) into a JS string. The reader calls it once per
 * entry of the snapshot's `strings` table, so the table is never built as one giant string.
 */

/** Buffer's own slice decoders (what `toString` calls after its argument checks): measurably faster per string. */
interface SliceDecoders {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

/** A bad escape inside a JSON string; `position` is the index of the backslash in the input bytes. */
export class JsonStringError extends Error {
  readonly position: number;
  constructor(position: number, message: string) {
    super(message);
    this.position = position;
  }
}

const SIMPLE_ESCAPES: Readonly<Record<number, string>> = {
  0x22: '"',
  0x5c: '\\',
  0x2f: '/',
  0x62: '\b',
  0x66: '\f',
  0x6e: '\n',
  0x72: '\r',
  0x74: '\t',
};

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  return -1;
}

/**
 * Decodes `bytes[start, end)`: UTF-8 text with JSON escapes (`\n`, `\"`, `\\`, `\uXXXX`...). A `\uXXXX` pair
 * forming a surrogate pair becomes one astral character; a lone surrogate is kept as V8 wrote it.
 * Escapes are ASCII, so they never split a multi-byte UTF-8 sequence: the runs between them decode cleanly.
 */
export function decodeJsonString(bytes: Buffer, start: number, end: number, hasEscapes = true, ascii = false): string {
  if (!hasEscapes) {
    const fast = bytes as unknown as SliceDecoders;
    return ascii ? fast.latin1Slice(start, end) : fast.utf8Slice(start, end);
  }
  let out = '';
  let run = start;
  let i = start;
  while (i < end) {
    if (bytes[i] !== 0x5c) {
      i++;
      continue;
    }
    if (i > run) out += bytes.toString('utf8', run, i);
    if (i + 1 >= end) throw new JsonStringError(i, 'unfinished escape at the end of a string');
    const kind = bytes[i + 1]!;
    const simple = SIMPLE_ESCAPES[kind];
    if (simple !== undefined) {
      out += simple;
      i += 2;
    } else if (kind === 0x75) {
      if (i + 6 > end) throw new JsonStringError(i, 'unfinished \\u escape');
      let code = 0;
      for (let k = 2; k < 6; k++) {
        const digit = hexValue(bytes[i + k]!);
        if (digit < 0) throw new JsonStringError(i, 'bad hex digit in a \\u escape');
        code = code * 16 + digit;
      }
      out += String.fromCharCode(code);
      i += 6;
    } else {
      throw new JsonStringError(i, `bad escape '\\${String.fromCharCode(kind)}'`);
    }
    run = i;
  }
  if (run < end) out += bytes.toString('utf8', run, end);
  return out;
}
