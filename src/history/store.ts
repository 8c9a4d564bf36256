/**
 * The history file: JSON lines, one run each, appended after every complete check. Reading skips lines
 * that are not runs (a truncated last line after a killed job, a hand edit) and says which.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { MemprobeError } from '../errors.js';
import { HISTORY_SCHEMA_VERSION, type HistoryRun } from './types.js';

const VERDICTS = new Set(['pass', 'fail', 'inconclusive', 'error']);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const finiteOrNull = (v: unknown): boolean => v == null || (typeof v === 'number' && Number.isFinite(v));
/** A figure that cannot be negative: bytes, counts, rates of work. */
const countOrNull = (v: unknown): boolean => v == null || (typeof v === 'number' && Number.isFinite(v) && v >= 0);
const intervalOrNull = (v: unknown): boolean =>
  v == null || (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number' && Number.isFinite(x)));

/**
 * Every figure a comparison reads is checked (absent is no figure): one wrong-typed value would read as a regression.
 */
function isProbe(value: unknown): boolean {
  if (!isRecord(value) || typeof value.name !== 'string' || !VERDICTS.has(value.verdict as string)) return false;
  return (
    finiteOrNull(value.heapGrowth) &&
    intervalOrNull(value.heapGrowthCi) &&
    finiteOrNull(value.externalGrowth) &&
    intervalOrNull(value.externalGrowthCi) &&
    countOrNull(value.perItem) &&
    finiteOrNull(value.gcRecovery) &&
    countOrNull(value.iterationsPerSecond) &&
    countOrNull(value.peakRss)
  );
}

function isRun(value: unknown): value is HistoryRun {
  if (!isRecord(value)) return false;
  return (
    value.schemaVersion === HISTORY_SCHEMA_VERSION &&
    typeof value.timestamp === 'string' &&
    (value.commit === null || typeof value.commit === 'string') &&
    VERDICTS.has(value.verdict as string) &&
    countOrNull(value.durationMs) &&
    Array.isArray(value.probes) &&
    value.probes.every(isProbe)
  );
}

/** Parses history text; `skipped` holds the 1-based numbers of lines that are not runs. Pure. */
export function parseHistory(text: string): { runs: HistoryRun[]; skipped: number[] } {
  const runs: HistoryRun[] = [];
  const skipped: number[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    if (isRun(value)) runs.push(value);
    else skipped.push(index + 1);
  }
  return { runs, skipped };
}

/** Reads the history; a missing file is an empty history. */
export function readHistory(file: string): { runs: HistoryRun[]; skipped: number[] } {
  const path = resolve(file);
  if (!existsSync(path)) return { runs: [], skipped: [] };
  try {
    return parseHistory(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new MemprobeError('E_HISTORY', `cannot read the history ${path}: ${(error as Error).message}`);
  }
}

/** Whether the file ends in the middle of a line (a killed job's truncated last run); false when missing. */
function endsMidLine(path: string): boolean {
  if (!existsSync(path)) return false;
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } finally {
    closeSync(fd);
  }
}

/** Appends a run as one line, on a line of its own even after a truncated last line. */
export function appendHistory(file: string, run: HistoryRun): string {
  const path = resolve(file);
  try {
    mkdirSync(dirname(path), { recursive: true });
    appendFileSync(path, `${endsMidLine(path) ? '\n' : ''}${JSON.stringify(run)}\n`);
  } catch (error) {
    throw new MemprobeError('E_WRITE', `cannot append to the history ${path}: ${(error as Error).message}`);
  }
  return path;
}

/** `git rev-parse HEAD` in `cwd`, or null when it is not a git checkout (or git is missing). */
export function gitCommit(cwd: string): string | null {
  try {
    const out = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'], timeout: 5_000 })
      .toString()
      .trim();
    return /^[0-9a-f]{7,64}$/.test(out) ? out : null;
  } catch {
    return null;
  }
}
