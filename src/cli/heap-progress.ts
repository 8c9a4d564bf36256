/**
 * What `inspect` and `diff` say about their own work on stderr:
 * - `--verbose`: one line per phase when it ends: `phase read app.heapsnapshot: 2310 ms, 663.2 MB read, rss 1012 MB`;
 * - on a terminal (not in CI), once the command has run for a second: a live line with the phase and the bytes
 *   read of the file being read, redrawn at most every 200 ms and erased at the end.
 */
import { Phases, type PhaseRecord } from '../core/phases.js';
import { isCi } from './progress.js';

/** A file that reads in under this needs no progress line. */
const QUIET_MS = 1000;
const REDRAW_MS = 200;
const MB = 1024 * 1024;

interface Stream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

export interface HeapProgress {
  readonly phases: Phases;
  /** Erases the live line (call before printing the report). */
  done(): void;
}

/** The per-phase line `--verbose` prints. */
export function phaseLine(record: PhaseRecord, rssBytes: number): string {
  const read = `${(record.bytesRead / MB).toFixed(1)} MB read`;
  return `phase ${record.name}: ${Math.round(record.ms)} ms, ${read}, rss ${Math.round(rssBytes / MB)} MB`;
}

export function heapProgress(
  verbose: boolean,
  stream: Stream = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
): HeapProgress {
  const live = stream.isTTY === true && !isCi(env);
  const started = performance.now();
  let shown = false;
  let drawnAt = 0;
  const erase = (): void => {
    if (shown) stream.write('\r\x1b[K');
    shown = false;
  };
  const draw = (text: string, force: boolean): void => {
    const now = performance.now();
    if (!live || now - started < QUIET_MS || (!force && now - drawnAt < REDRAW_MS)) return;
    drawnAt = now;
    const seconds = ((now - started) / 1000).toFixed(1);
    const line = `memprobe: ${text} (${seconds} s)`;
    stream.write(`\r${line.slice(0, Math.max(20, (stream.columns || 120) - 1))}\x1b[K`);
    shown = true;
  };
  const phases = new Phases({
    onStart: (name) => draw(`${name}...`, true),
    onRead: (name, position, total) =>
      draw(`${name}: ${Math.round(position / MB)} of ${Math.round(total / MB)} MB read`, false),
    onEnd: (record) => {
      if (!verbose) return;
      erase();
      stream.write(`${phaseLine(record, process.memoryUsage.rss())}\n`);
    },
  });
  return { phases, done: erase };
}
