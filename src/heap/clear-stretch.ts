/**
 * Native searches for the skipper of dropped arrays (parser.ts): inside an array of numbers, only quotes and
 * brackets change its state, and Buffer's indexOf finds them far faster than a JavaScript loop over the bytes.
 */

/** Bytes that change the skipper's state: quotes and brackets. Everything else inside an array is skipped. */
const STRUCTURAL = [0x22, 0x5b, 0x5d, 0x7b, 0x7d];
/** Shorter stretches are walked byte by byte; longer ones are searched in windows of at most MAX_STRETCH. */
export const MIN_STRETCH = 256;
const MAX_STRETCH = 1024 * 1024;

/**
 * Where the first quote or bracket at or after `i` is (or `end`): the bytes before it change nothing for the
 * skipper. A few native searches over the chunk cost far less than a JavaScript loop over its bytes; a stretch
 * shorter than a few hundred bytes is not worth them, so the caller's loop walks those.
 */
export function clearStretchEnd(chunk: Buffer, i: number, end: number): number {
  if (end - i < MIN_STRETCH) return i;
  let stop = Math.min(end, i + MAX_STRETCH);
  const view = chunk.subarray(i, stop);
  for (const byte of STRUCTURAL) {
    const at = view.indexOf(byte);
    if (at >= 0 && i + at < stop) stop = i + at;
    if (stop === i) return i;
  }
  return stop;
}
