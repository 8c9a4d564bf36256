/**
 * The hot loop of the reader: digits and commas of a JSON integer array (`nodes`, `edges`...) into a batch of
 * numbers, nothing else. Columns (columns.ts) check and store a batch afterwards, so this loop stays small.
 * A chunk may end anywhere, inside a number too: the scanner keeps its state between calls.
 */

const enum State {
  Open,
  First,
  Number,
  AfterNumber,
  AfterComma,
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Numbers per batch: small enough to stay in cache, large enough that flushing is rare. */
const BATCH = 16 * 1024;

export class IntArrayScanner {
  readonly batch = new Float64Array(BATCH);
  /** Numbers in `batch`. */
  count = 0;
  /** True once the closing bracket was read. */
  closed = false;
  private state = State.Open;
  private num = 0;

  reset(): void {
    this.count = 0;
    this.closed = false;
    this.state = State.Open;
    this.num = 0;
  }

  /** For a read that starts inside an array, at the first digit of a number (a split read). */
  startInside(): void {
    this.state = State.AfterComma;
  }

  /** Takes the spaces and the `[` before the first number; returns where it stopped. */
  open(chunk: Buffer, i: number, end: number): number {
    while (i < end && this.state === State.Open) {
      const c = chunk[i]!;
      if (c === 0x5b) this.state = State.First;
      else if (!isSpace(c)) return i; // scan() says what is wrong
      i++;
    }
    return i;
  }

  /** True between numbers: where the fast path (wasm-columns.ts) can take over. */
  get atValue(): boolean {
    return this.count === 0 && (this.state === State.First || this.state === State.AfterComma);
  }

  /** Goes on where the fast path stopped, at a number's start: after the `[`, or after a comma once it took one. */
  resume(tookAny: boolean): void {
    if (tookAny) this.state = State.AfterComma;
  }

  /** For a read that stops just before a separating comma: the number in progress is complete. */
  flushPending(): void {
    if (this.state === State.Number || this.state === State.AfterNumber) {
      this.batch[this.count++] = this.num;
      this.state = State.AfterComma;
    }
  }

  /**
   * Scans from `i` until the chunk ends, the batch is full or the array closes; returns where it stopped.
   * `unexpected(i)` reports a byte that has no place in an integer array.
   */
  scan(chunk: Buffer, i: number, end: number, unexpected: (index: number) => never): number {
    const batch = this.batch;
    let count = this.count;
    let num = this.num;
    let state = this.state;
    while (i < end) {
      let c = chunk[i]!;
      if (c >= 0x30 && c <= 0x39) {
        if (state === State.First || state === State.AfterComma) num = 0;
        else if (state !== State.Number) unexpected(i);
        // A run of digits in a tight loop: most bytes of the arrays are digits.
        do {
          num = num * 10 + (c - 0x30);
          if (++i === end) {
            this.count = count;
            this.num = num;
            this.state = State.Number;
            return i;
          }
          c = chunk[i]!;
        } while (c >= 0x30 && c <= 0x39);
        state = State.Number;
      }
      if (c === 0x2c) {
        if (state !== State.Number && state !== State.AfterNumber) unexpected(i);
        batch[count++] = num;
        state = State.AfterComma;
        if (count === BATCH) {
          i++;
          break;
        }
      } else if (isSpace(c)) {
        if (state === State.Number) state = State.AfterNumber;
      } else if (c === 0x5d) {
        if (state === State.Number || state === State.AfterNumber) batch[count++] = num;
        else if (state !== State.First) unexpected(i);
        this.closed = true;
        i++;
        break;
      } else if (c === 0x5b && state === State.Open) {
        state = State.First;
      } else {
        unexpected(i);
      }
      i++;
    }
    this.count = count;
    this.num = num;
    this.state = state;
    return i;
  }
}
