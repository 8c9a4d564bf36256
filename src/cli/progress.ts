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
import type { SoakProgress } from '../engine/hooks.js';

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

type Paint = (code: string, text: string) => string;
const plainText: Paint = (_code, text) => text;

/** One progress line per probe: redrawn in place on a terminal, a line every few seconds in a log. */
class ProgressLine implements SoakProgress {
  private readonly now: () => number;
  private readonly live: boolean;
  private readonly colored: Paint;
  private index = 0;
  private name = '';
  private phase = 'start-up';
  private phaseStartedAt: number;
  private lastPlain = -Infinity;
  private drawn = false;
  private finished = false;
  private timer: NodeJS.Timeout | undefined;
  private heap: number | null = null;
  private perSecond: number | null = null;
  private previous = { timeMs: 0, iterations: 0 };
  private soakMs = 0;

  constructor(
    private readonly windowMs: number,
    private readonly stream: NodeJS.WriteStream,
    private readonly options: ProgressOptions,
  ) {
    const env = options.env ?? process.env;
    this.now = options.now ?? (() => performance.now());
    this.live = stream.isTTY === true && !isCi(env);
    const color = useColor(stream, env);
    this.colored = (code, text) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
    this.phaseStartedAt = this.now();
  }

  private counter(): string {
    const { probes } = this.options;
    return probes !== undefined && probes > 1 ? `[${this.index}/${probes}] ` : '';
  }

  private figures(): string {
    const heap = this.heap === null ? '' : `heap ${formatBytes(this.heap)}`;
    const speed = this.perSecond === null ? '' : `${this.perSecond.toLocaleString('en-US')} it/s`;
    return [heap, speed].filter(Boolean).join(' · ');
  }

  private status(): string {
    const elapsed = this.now() - this.phaseStartedAt;
    const { windowMs } = this;
    if (this.phase === 'soak') {
      const shown = Math.min(windowMs, Math.max(this.soakMs, elapsed));
      return `${secondsText(shown)}/${secondsText(windowMs)} s · ${secondsText(Math.max(0, windowMs - shown))} s left`;
    }
    const warmupMs = this.options.warmupMs;
    if (this.phase === 'warmup' && warmupMs !== undefined)
      return `warm-up ${secondsText(Math.min(elapsed, warmupMs))}/${secondsText(warmupMs)} s`;
    return this.phase;
  }

  private line(paint: Paint = this.colored): string {
    const tail = this.figures();
    return `${this.counter()}${paint('1', this.name)}: ${this.status()}${tail ? ` · ${tail}` : ''}`;
  }

  /** A line too wide is cut without its colours (they take no columns); one that fits keeps them. */
  private fit(render: (paint: Paint) => string): string {
    return fitColumns(render(plainText), this.stream.columns) ?? render(this.colored);
  }

  private readonly redraw = (): void => {
    if (!this.live || this.finished || this.name === '') return;
    this.stream.write(`\r\x1b[2K${this.fit((paint) => this.line(paint))}`);
    this.drawn = true;
  };

  private plain(force: boolean): void {
    if (this.live || this.finished || this.name === '') return;
    if (!force && this.now() - this.lastPlain < PLAIN_EVERY_MS) return;
    this.stream.write(`${this.line()}\n`);
    this.lastPlain = this.now();
  }

  /** Leaves the finished probe's line on screen (terminal) or logs its end (CI). */
  private closeProbe(): void {
    if (this.name === '') return;
    const tail = this.figures() ? ` · ${this.figures()}` : '';
    const summary = (paint: Paint): string =>
      `${this.counter()}${paint('1', this.name)}: ${paint('2', `done · ${secondsText(this.soakMs)} s soak`)}${tail}`;
    if (this.live) {
      this.stream.write(`\r\x1b[2K${this.fit(summary)}\n`);
      this.drawn = false;
    } else {
      this.stream.write(`${summary(this.colored)}\n`);
    }
  }

  private startProbe(probeFile: string, message: ChildMessage): void {
    if (this.name !== '' && message.type === 'ready') this.closeProbe();
    this.index += 1;
    this.name = terminalSafe(message.type === 'ready' ? message.name : basename(probeFile));
    this.phase = 'start-up';
    this.phaseStartedAt = this.now();
    this.heap = null;
    this.perSecond = null;
    this.soakMs = 0;
    this.previous = { timeMs: 0, iterations: 0 };
    if (this.live && !this.timer) {
      this.timer = setInterval(this.redraw, LIVE_REDRAW_MS);
      this.timer.unref();
    }
  }

  private onPhase(phase: string): void {
    if (this.phase === 'soak')
      this.soakMs = Math.min(this.windowMs, Math.max(this.soakMs, this.now() - this.phaseStartedAt));
    this.phase = phase;
    this.phaseStartedAt = this.now();
    this.redraw();
    // Not at the soak's start: the first `name: N/M s` line means samples are being taken.
    this.plain(phase === 'setup' || phase === 'teardown');
  }

  private onProgress({ timeMs, iterations, heapUsed }: { timeMs: number; iterations: number; heapUsed: number }): void {
    const { previous } = this;
    if (timeMs > previous.timeMs)
      this.perSecond = Math.round(((iterations - previous.iterations) * 1000) / (timeMs - previous.timeMs));
    this.previous = { timeMs, iterations };
    this.heap = heapUsed;
    if (this.phase === 'soak') {
      this.soakMs = timeMs;
      this.phaseStartedAt = this.now() - timeMs; // the child's clock is the truth; re-anchor the local one
    }
    this.redraw();
    this.plain(false);
  }

  readonly onMessage = (probeFile: string, message: ChildMessage): void => {
    if (this.finished) return;
    if (message.type === 'ready' || this.name === '') this.startProbe(probeFile, message);
    if (message.type === 'phase') this.onPhase(message.phase);
    if (message.type === 'progress') this.onProgress(message.progress);
  };

  readonly done = (): void => {
    if (this.finished) return;
    if (this.timer) clearInterval(this.timer);
    if (this.phase === 'soak' || this.phase === 'teardown' || this.phase === 'final') this.closeProbe();
    else if (this.drawn) this.stream.write('\r\x1b[2K');
    this.finished = true;
  };
}

export function createProgress(
  windowMs: number,
  stream: NodeJS.WriteStream = process.stderr,
  options: ProgressOptions = {},
): SoakProgress {
  return new ProgressLine(windowMs, stream, options);
}
