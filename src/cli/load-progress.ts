/**
 * Progress of `memprobe load` on stderr (stdout carries the report), like soak's:
 * - on a terminal, one live line per phase, redrawn twice a second and left as a record when the phase ends:
 *   `memprobe load: step 2/4: 5 users for 5.0 s · 3/5 s · 2 s left · 1,234/s · 0 errors`;
 * - with no TTY or CI set, a plain line when a phase starts and every few seconds in between.
 */
import type { LoadProgressSink } from '../engine/load.js';
import { fitColumns, isCi, LIVE_REDRAW_MS, PLAIN_EVERY_MS, secondsText as seconds } from './progress.js';

const PREFIX = 'memprobe load: ';

export interface LoadProgress extends LoadProgressSink {
  /** Ends the live line; nothing is written after this. */
  done(): void;
}

/** Shows nothing (--no-progress). */
export const QUIET_LOAD: LoadProgress = { phase: () => undefined, tick: () => undefined, done: () => undefined };

/** One live or plain progress display; `createLoadProgress` picks the kind from the stream and the env. */
class LoadProgressLine implements LoadProgress {
  #text = '';
  #plannedMs: number | null = null;
  #startedAt: number;
  #lastPlain: number;
  #rate: string | null = null;
  #previous: { at: number; done: number } | null = null;
  #drawn = false;
  #finished = false;
  readonly #timer: NodeJS.Timeout | null;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly live: boolean,
    private readonly now: () => number,
  ) {
    this.#startedAt = now();
    this.#lastPlain = now();
    this.#timer = live ? setInterval(() => this.#redraw(), LIVE_REDRAW_MS) : null;
    this.#timer?.unref();
  }

  #line(): string {
    const parts = [this.#text];
    const planned = this.#plannedMs;
    if (planned !== null) {
      const elapsed = Math.min(planned, this.now() - this.#startedAt);
      parts.push(`${seconds(elapsed)}/${seconds(planned)} s · ${seconds(planned - elapsed)} s left`);
    }
    if (this.#rate !== null) parts.push(this.#rate);
    return `${PREFIX}${parts.join(' · ')}`;
  }

  #redraw(): void {
    if (!this.live || this.#finished || this.#text === '') return;
    const value = this.#line();
    this.stream.write(`\r\x1b[2K${fitColumns(value, this.stream.columns) ?? value}`);
    this.#drawn = true;
  }

  #endLine(): void {
    if (this.#drawn) this.stream.write('\n');
    this.#drawn = false;
  }

  phase(next: string, planned: number | null): void {
    if (this.#finished) return;
    this.#redraw(); // the finished phase's last figures stay on its line
    this.#endLine();
    this.#text = next;
    this.#plannedMs = planned;
    if (planned === null) this.#rate = null; // set-up and drain: the last step's rate would read as current
    this.#startedAt = this.now();
    this.#lastPlain = this.#startedAt;
    if (this.live) this.#redraw();
    else this.stream.write(`${PREFIX}${next}\n`);
  }

  tick(done: number, errors: number): void {
    if (this.#finished) return;
    const at = this.now();
    const previous = this.#previous;
    if (previous !== null && at > previous.at && done >= previous.done && done + errors > 0) {
      const perSecond = Math.round(((done - previous.done) * 1000) / (at - previous.at));
      this.#rate = `${perSecond.toLocaleString('en-US')}/s · ${errors.toLocaleString('en-US')} errors`;
    }
    this.#previous = { at, done };
    if (!this.live && this.#plannedMs !== null && at - this.#lastPlain >= PLAIN_EVERY_MS) {
      this.stream.write(`${this.#line()}\n`);
      this.#lastPlain = at;
    }
  }

  done(): void {
    if (this.#finished) return;
    this.#endLine();
    this.#finished = true;
    if (this.#timer !== null) clearInterval(this.#timer);
  }
}

export function createLoadProgress(
  stream: NodeJS.WriteStream = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
  now = (): number => performance.now(),
): LoadProgress {
  return new LoadProgressLine(stream, stream.isTTY === true && !isCi(env), now);
}
