/**
 * Progress on stderr while probes run (soak and check). Never on stdout, which carries the report.
 * - On a terminal: one live line per probe, redrawn twice a second (`[1/3] leaky: 12/58 s · 46 s left ·
 *   heap 11.0 MB · 120 it/s`, or the phase), which stays as a one-line record when the probe ends.
 * - With no TTY or CI set: a plain line when a probe starts and ends, and every few seconds in between.
 * Colour only on a terminal, and never with NO_COLOR or TERM=dumb.
 */
import { basename } from 'node:path';
import { formatBytes } from '../core/format.js';
import type { ChildMessage } from '../runner/protocol.js';
import { terminalSafe } from '../report/terminal-safe.js';

/** Without a terminal: a plain line this often while a probe (or a load phase) runs. */
export const PLAIN_EVERY_MS = 5_000;
/** On a terminal: the live line is redrawn this often. */
export const LIVE_REDRAW_MS = 500;

/** Whole seconds: the line reads `leaky: 12/58 s` (scripts and tests wait for that shape). */
export const secondsText = (ms: number): string => (ms / 1000).toFixed(0);

/**
 * A wrapped line cannot be redrawn with \r: a line wider than the terminal is cut (`columns` 0 or undefined:
 * the terminal does not say, nothing is cut).
 */
export function fitColumns(text: string, columns: number | undefined): string | null {
  const width = columns ?? 0;
  return width > 2 && text.length >= width ? `${text.slice(0, width - 2)}…` : null;
}

export interface Progress {
  onMessage(probeFile: string, message: ChildMessage): void;
  done(): void;
}

export interface ProgressOptions {
  /** How many probes will run: shows `[2/3]`. */
  readonly probes?: number;
  /** Warm-up per probe, for the warm-up countdown. */
  readonly warmupMs?: number;
  readonly env?: NodeJS.ProcessEnv;
  readonly now?: () => number;
}

/** CI=true (or any value but false/0) means a log, not a terminal. */
export function isCi(env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && !isCi(env) && (env.NO_COLOR ?? '') === '' && env.TERM !== 'dumb';
}

export function createProgress(windowMs: number, stream: NodeJS.WriteStream = process.stderr, options: ProgressOptions = {}): Progress {
  const env = options.env ?? process.env;
  const now = options.now ?? (() => performance.now());
  const live = stream.isTTY === true && !isCi(env);
  const color = useColor(stream, env);
  type Paint = (code: string, text: string) => string;
  const colored: Paint = (code, text) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const plainText: Paint = (_code, text) => text;
  let index = 0;
  let name = '';
  let phase = 'start-up';
  let phaseStartedAt = now();
  let lastPlain = -Infinity;
  let drawn = false;
  let finished = false;
  let timer: NodeJS.Timeout | undefined;
  let heap: number | null = null;
  let perSecond: number | null = null;
  let previous = { timeMs: 0, iterations: 0 };
  let soakMs = 0;

  const counter = (): string => (options.probes !== undefined && options.probes > 1 ? `[${index}/${options.probes}] ` : '');
  const figures = (): string => [heap === null ? '' : `heap ${formatBytes(heap)}`, perSecond === null ? '' : `${perSecond.toLocaleString('en-US')} it/s`].filter(Boolean).join(' · ');
  const line = (paint: Paint = colored): string => {
    const elapsed = now() - phaseStartedAt;
    let status = phase;
    if (phase === 'soak') {
      const shown = Math.min(windowMs, Math.max(soakMs, elapsed));
      status = `${secondsText(shown)}/${secondsText(windowMs)} s · ${secondsText(Math.max(0, windowMs - shown))} s left`;
    } else if (phase === 'warmup' && options.warmupMs !== undefined) {
      status = `warm-up ${secondsText(Math.min(elapsed, options.warmupMs))}/${secondsText(options.warmupMs)} s`;
    }
    const tail = figures();
    return `${counter()}${paint('1', name)}: ${status}${tail ? ` · ${tail}` : ''}`;
  };
  /** A line too wide is cut without its colours (they take no columns); one that fits keeps them. */
  const fit = (render: (paint: Paint) => string): string => fitColumns(render(plainText), stream.columns) ?? render(colored);
  const redraw = (): void => {
    if (!live || finished || name === '') return;
    stream.write(`\r\x1b[2K${fit(line)}`);
    drawn = true;
  };
  const plain = (force: boolean): void => {
    if (live || finished || name === '') return;
    if (!force && now() - lastPlain < PLAIN_EVERY_MS) return;
    stream.write(`${line()}\n`);
    lastPlain = now();
  };
  /** Leaves the finished probe's line on screen (terminal) or logs its end (CI). */
  const closeProbe = (): void => {
    if (name === '') return;
    const summary = (paint: Paint): string => `${counter()}${paint('1', name)}: ${paint('2', `done · ${secondsText(soakMs)} s soak`)}${figures() ? ` · ${figures()}` : ''}`;
    if (live) {
      stream.write(`\r\x1b[2K${fit(summary)}\n`);
      drawn = false;
    } else {
      stream.write(`${summary(colored)}\n`);
    }
  };
  const startTimer = (): void => {
    if (!live || timer) return;
    timer = setInterval(redraw, LIVE_REDRAW_MS);
    timer.unref();
  };

  return {
    onMessage(probeFile, message) {
      if (finished) return;
      if (message.type === 'ready' || name === '') {
        if (name !== '' && message.type === 'ready') closeProbe();
        index += 1;
        name = terminalSafe(message.type === 'ready' ? message.name : basename(probeFile));
        phase = 'start-up';
        phaseStartedAt = now();
        heap = null;
        perSecond = null;
        soakMs = 0;
        previous = { timeMs: 0, iterations: 0 };
        startTimer();
      }
      if (message.type === 'phase') {
        if (phase === 'soak') soakMs = Math.min(windowMs, Math.max(soakMs, now() - phaseStartedAt));
        phase = message.phase;
        phaseStartedAt = now();
        redraw();
        // Not at the soak's start: the first `name: N/M s` line means samples are being taken.
        plain(phase === 'setup' || phase === 'teardown');
      }
      if (message.type === 'progress') {
        const { timeMs, iterations, heapUsed } = message.progress;
        if (timeMs > previous.timeMs) perSecond = Math.round(((iterations - previous.iterations) * 1000) / (timeMs - previous.timeMs));
        previous = { timeMs, iterations };
        heap = heapUsed;
        if (phase === 'soak') {
          soakMs = timeMs;
          phaseStartedAt = now() - timeMs; // the child's clock is the truth; re-anchor the local one
        }
        redraw();
        plain(false);
      }
    },
    done() {
      if (finished) return;
      if (timer) clearInterval(timer);
      if (phase === 'soak' || phase === 'teardown' || phase === 'final') closeProbe();
      else if (drawn) stream.write('\r\x1b[2K');
      finished = true;
    },
  };
}
