/**
 * Progress of `memprobe load` on stderr (stdout carries the report), like soak's:
 * - on a terminal, one live line per phase, redrawn twice a second and left as a record when the phase ends:
 *   `memprobe load: step 2/4: 5 users for 5.0 s · 3/5 s · 2 s left · 1,234/s · 0 errors`;
 * - with no TTY or CI set, a plain line when a phase starts and every few seconds in between.
 */
import type { LoadProgressSink } from '../load/run-load.js';
import { fitColumns, isCi, LIVE_REDRAW_MS, PLAIN_EVERY_MS, secondsText as seconds } from './progress.js';

const PREFIX = 'memprobe load: ';

export interface LoadProgress extends LoadProgressSink {
  /** Ends the live line; nothing is written after this. */
  done(): void;
}

/** Shows nothing (--no-progress). */
export const QUIET_LOAD: LoadProgress = { phase: () => undefined, tick: () => undefined, done: () => undefined };

export function createLoadProgress(
  stream: NodeJS.WriteStream = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
  now = (): number => performance.now(),
): LoadProgress {
  const live = stream.isTTY === true && !isCi(env);
  let text = '';
  let plannedMs: number | null = null;
  let startedAt = now();
  let lastPlain = now();
  let rate: string | null = null;
  let previous: { at: number; done: number } | null = null;
  let drawn = false;
  let finished = false;

  const line = (): string => {
    const parts = [text];
    if (plannedMs !== null) {
      const elapsed = Math.min(plannedMs, now() - startedAt);
      parts.push(`${seconds(elapsed)}/${seconds(plannedMs)} s · ${seconds(plannedMs - elapsed)} s left`);
    }
    if (rate !== null) parts.push(rate);
    return `${PREFIX}${parts.join(' · ')}`;
  };
  const redraw = (): void => {
    if (!live || finished || text === '') return;
    const value = line();
    stream.write(`\r\x1b[2K${fitColumns(value, stream.columns) ?? value}`);
    drawn = true;
  };
  const endLine = (): void => {
    if (drawn) stream.write('\n');
    drawn = false;
  };
  const timer = live ? setInterval(redraw, LIVE_REDRAW_MS) : null;
  timer?.unref();

  return {
    phase(next, planned) {
      if (finished) return;
      redraw(); // the finished phase's last figures stay on its line
      endLine();
      text = next;
      plannedMs = planned;
      if (planned === null) rate = null; // set-up and drain: the last step's rate would read as current
      startedAt = now();
      lastPlain = startedAt;
      if (live) redraw();
      else stream.write(`${PREFIX}${next}\n`);
    },
    tick(done, errors) {
      if (finished) return;
      const at = now();
      if (previous !== null && at > previous.at && done >= previous.done && done + errors > 0) {
        rate = `${Math.round(((done - previous.done) * 1000) / (at - previous.at)).toLocaleString('en-US')}/s · ${errors.toLocaleString('en-US')} errors`;
      }
      previous = { at, done };
      if (!live && plannedMs !== null && at - lastPlain >= PLAIN_EVERY_MS) {
        stream.write(`${line()}\n`);
        lastPlain = at;
      }
    },
    done() {
      if (finished) return;
      endLine();
      finished = true;
      if (timer !== null) clearInterval(timer);
    },
  };
}
