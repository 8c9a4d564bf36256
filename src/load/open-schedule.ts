/**
 * The open-model clock: send k is due at start + k/rate. One timer wakes the loop for the next due send,
 * and `poke()` (called on every response) sends whatever is already due, so at high rates sends do not
 * wait for the ~1 ms timer granularity. Sends are never skipped: a late loop sends the backlog at once,
 * each with its own intended time, and the lateness is reported to the caller.
 */
import type { RunControl } from './control.js';
import { dueCount, intendedTime } from './schedule.js';

/** Called once per send, in order; `intended` and `now` are performance.now() ms. */
export type SendCallback = (k: number, intended: number, now: number) => void;

export class OpenSchedule {
  readonly start: number;
  #next = 0;
  #nextDue: number;
  #timer: NodeJS.Timeout | null = null;
  #timerAt = Number.POSITIVE_INFINITY;
  #resolve: (() => void) | null = null;
  #finished = false;
  /** poke() can be re-entered from a send's synchronous completion; the outer call does the work. */
  #poking = false;

  constructor(
    private readonly rate: number,
    private readonly total: number,
    private readonly onSend: SendCallback,
    private readonly control: RunControl,
  ) {
    this.start = performance.now() + 5;
    this.#nextDue = total > 0 ? this.start : Number.POSITIVE_INFINITY;
  }

  /** Intended time of send k. */
  at(k: number): number {
    return intendedTime(this.start, k, this.rate);
  }

  /** Sends issued so far. */
  get sent(): number {
    return this.#next;
  }

  /** Resolves when every send was issued, or on stop. */
  run(): Promise<void> {
    return new Promise((resolve) => {
      let off = (): void => undefined;
      this.#resolve = () => {
        off();
        resolve();
      };
      off = this.control.onStop(() => this.#finish());
      this.poke();
    });
  }

  /** Sends what is due now; cheap when nothing is. */
  poke(): void {
    if (this.#finished || this.#poking) return;
    const now = performance.now();
    if (now < this.#nextDue) return this.#arm(now);
    const due = dueCount(this.start, now, this.rate, this.total);
    this.#poking = true;
    try {
      while (this.#next < due && !this.#finished) this.onSend(this.#next++, this.at(this.#next - 1), now);
    } finally {
      this.#poking = false;
    }
    if (this.#next >= this.total) return this.#finish();
    this.#nextDue = this.at(this.#next);
    this.#arm(now);
  }

  #arm(now: number): void {
    if (this.#timer !== null && this.#timerAt <= this.#nextDue) return;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timerAt = this.#nextDue;
    this.#timer = setTimeout(
      () => {
        this.#timer = null;
        this.#timerAt = Number.POSITIVE_INFINITY;
        this.poke();
      },
      Math.max(0, this.#nextDue - now),
    );
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#nextDue = Number.POSITIVE_INFINITY;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#resolve?.();
  }
}
