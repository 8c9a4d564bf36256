/**
 * Walks over a JSON value the parser does not keep (`locations`, `samples`, unknown keys, and the header it
 * captures): strings and nesting are tracked so brackets inside strings do not count. Chunks may end anywhere.
 */
import { clearStretchEnd, MIN_STRETCH } from './clear-stretch.js';

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

export class ValueSkipper {
  private depth = 0;
  private inString = false;
  private escape = false;
  private started = false;
  private fast = true;

  reset(): void {
    this.depth = 0;
    this.inString = false;
    this.escape = false;
    this.started = false;
    this.fast = true;
  }

  /**
   * Walks from `i`; returns where the value ended (just after it, or at the comma or brace that follows a
   * scalar), or -1 when the chunk ended first. `jumps`: stretches may be jumped over (not when capturing).
   */
  skip(chunk: Buffer, i: number, end: number, jumps: boolean, unexpected: (at: number) => never): number {
    let depth = this.depth;
    let inString = this.inString;
    let escape = this.escape;
    let started = this.started;
    let finishedAt = -1;
    for (; i < end; i++) {
      if (jumps && this.fast && depth > 0 && !inString && !escape) {
        // Inside a dropped array (`locations`: millions of numbers): jump over a stretch holding no quote or
        // bracket with native searches instead of walking it byte by byte. A value whose stretches are short
        // (strings, nested arrays) is walked byte by byte from then on: the searches would cost more there.
        const clear = clearStretchEnd(chunk, i, end);
        if (clear - i < MIN_STRETCH && end - i >= MIN_STRETCH) this.fast = false;
        if (clear > i) {
          started = true;
          i = clear;
          if (i === end) break;
        }
      }
      const c = chunk[i]!;
      if (inString) {
        if (escape) escape = false;
        else if (c === 0x5c) escape = true;
        else if (c === 0x22) {
          inString = false;
          if (depth === 0) {
            finishedAt = i + 1;
            break;
          }
        }
        continue;
      }
      if (c === 0x22) {
        inString = true;
        started = true;
      } else if (c === 0x7b || c === 0x5b) {
        depth++;
        started = true;
      } else if (c === 0x7d || c === 0x5d) {
        if (depth === 0) {
          if (!started) unexpected(i);
          finishedAt = i; // a scalar ended at the closing brace of the top-level object
          break;
        }
        depth--;
        if (depth === 0) {
          finishedAt = i + 1;
          break;
        }
      } else if (c === 0x2c && depth === 0) {
        if (!started) unexpected(i);
        finishedAt = i;
        break;
      } else if (!isSpace(c)) {
        started = true;
      }
    }
    this.depth = depth;
    this.inString = inString;
    this.escape = escape;
    this.started = started;
    return finishedAt;
  }
}
