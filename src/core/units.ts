/**
 * Parsers for the values users type: durations, sizes, rates and shares.
 * Each returns a tagged result so validation can collect every problem before anything runs.
 */

import { MAX_DURATION_MS } from '../constants.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
/** Sizes are binary: 1 KB = 1024 B, as `process.memoryUsage()` counts. */
const SIZE_UNITS: Readonly<Record<string, number>> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

const NUMBER_WITH_UNIT = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-z%]*)\s*$/i;

function split(text: string): { value: number; unit: string } | null {
  const match = NUMBER_WITH_UNIT.exec(text);
  if (!match) return null;
  return { value: Number(match[1]), unit: (match[2] ?? '').toLowerCase() };
}

/** `'30s'`, `'500ms'`, `'2m'`, `'1h'`; a bare number is seconds. */
export function parseDuration(text: string): Parsed<number> {
  const parts = split(text);
  const factor = parts ? DURATION_UNITS[parts.unit === '' ? 's' : parts.unit] : undefined;
  if (!parts || factor === undefined) {
    return { ok: false, problem: `'${text}' is not a duration (use e.g. 500ms, 30s, 2m, 1h)` };
  }
  const ms = parts.value * factor;
  if (ms <= 0) return { ok: false, problem: `'${text}' must be more than zero` };
  if (ms > MAX_DURATION_MS)
    return { ok: false, problem: `'${text}' is longer than the longest duration memprobe takes (7 days)` };
  return { ok: true, value: ms };
}

/** `'2KB'`, `'1.5MB'`, `'512B'`; a bare number is bytes. */
export function parseSize(text: string): Parsed<number> {
  const parts = split(text);
  const factor = parts ? SIZE_UNITS[parts.unit === '' ? 'b' : parts.unit] : undefined;
  if (!parts || factor === undefined) {
    return { ok: false, problem: `'${text}' is not a size (use e.g. 512B, 2KB, 1.5MB)` };
  }
  return { ok: true, value: parts.value * factor };
}

/** `'16KB/s'`, `'0.5MB/s'`: bytes per second. */
export function parseRate(text: string): Parsed<number> {
  const slash = text.lastIndexOf('/');
  const per =
    slash >= 0
      ? text
          .slice(slash + 1)
          .trim()
          .toLowerCase()
      : '';
  if (slash < 0 || (per !== 's' && per !== 'sec')) {
    return { ok: false, problem: `'${text}' is not a rate (use e.g. 16KB/s, 0.5MB/s)` };
  }
  const size = parseSize(text.slice(0, slash));
  return size.ok ? size : { ok: false, problem: `'${text}' is not a rate (use e.g. 16KB/s, 0.5MB/s)` };
}

/** `'1000/s'`, `'120/min'`, a bare number per second: a request rate (above 0, at most 1,000,000/s). */
export function parseRequestRate(text: string): Parsed<number> {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(s|sec|m|min))?\s*$/i.exec(text);
  const value = match ? Number(match[1]) / (match[2]?.toLowerCase().startsWith('m') ? 60 : 1) : NaN;
  if (!(value > 0) || value > 1_000_000)
    return { ok: false, problem: `'${text}' is not a rate (use e.g. 1000/s; above 0, at most 1000000/s)` };
  return { ok: true, value };
}

/** `'10/min'`, `'0.5/s'`, `'0/min'`: a count per minute (handles, file descriptors). */
export function parseCountRate(text: string): Parsed<number> {
  const match = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(s|sec|min|m|h)\s*$/i.exec(text);
  if (!match) return { ok: false, problem: `'${text}' is not a count rate (use e.g. 0/min, 10/min, 1/s)` };
  const perUnit = Number(match[1]);
  const unit = (match[2] ?? '').toLowerCase();
  return { ok: true, value: unit.startsWith('s') ? perUnit * 60 : unit === 'h' ? perUnit / 60 : perUnit };
}

/** `'20%'` or a share written as `'0.2'`; must be between 0 and 100%. */
export function parseShare(text: string): Parsed<number> {
  const parts = split(text);
  if (!parts || (parts.unit !== '%' && parts.unit !== '')) {
    return { ok: false, problem: `'${text}' is not a percentage (use e.g. 20%)` };
  }
  const share = parts.unit === '%' ? parts.value / 100 : parts.value;
  if (share > 1) return { ok: false, problem: `'${text}' is more than 100%` };
  return { ok: true, value: share };
}

/** A whole number above zero (`'512'`). */
export function positiveInteger(text: string): Parsed<number> {
  const value = Number(text);
  return Number.isInteger(value) && value > 0
    ? { ok: true, value }
    : { ok: false, problem: `'${text}' is not a positive whole number` };
}

/** The value of a parse, or undefined with the problem pushed as `label: problem`. */
export function take<T>(parsed: Parsed<T>, label: string, problems: string[]): T | undefined {
  if (parsed.ok) return parsed.value;
  problems.push(`${label}: ${parsed.problem}`);
  return undefined;
}
