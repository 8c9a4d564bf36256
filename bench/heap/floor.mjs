#!/usr/bin/env node
/**
 * The floor of reading a heap snapshot: the file read in 4 MB chunks and the digits of its integer arrays
 * (`nodes`, `edges`, `locations`, ...) turned into numbers stored in one Uint32Array each, on one thread, with
 * no checks and no strings. Whatever memprobe does on top of this (checks, columns, strings, the analysis) is
 * its overhead; `run.mjs` reports memprobe's time as a ratio to this one.
 *
 *   node floor.mjs FILE [--repeat N]     prints the median of N runs in this process (first read warms the cache)
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const CHUNK = 4 * 1024 * 1024;

/**
 * Scans one chunk. `state`: [number in progress, 1 inside a number, 1 inside a string, 1 after a backslash,
 * integers stored]. A function per chunk (not one loop over the file) so V8 optimizes it early and keeps it.
 */
function scanChunk(buffer, length, out, state) {
  let num = state[0];
  let inNumber = state[1] === 1;
  let inString = state[2] === 1;
  let escape = state[3] === 1;
  let count = state[4];
  for (let i = 0; i < length; i++) {
    const c = buffer[i];
    if (inString) {
      if (escape) escape = false;
      else if (c === 0x5c) escape = true;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c >= 0x30 && c <= 0x39) {
      num = num * 10 + (c - 0x30);
      inNumber = true;
      continue;
    }
    if (inNumber) {
      out[count++] = num;
      num = 0;
      inNumber = false;
    }
    if (c === 0x22) inString = true;
  }
  state[0] = num;
  state[1] = inNumber ? 1 : 0;
  state[2] = inString ? 1 : 0;
  state[3] = escape ? 1 : 0;
  state[4] = count;
}

/** One pass over the file; returns how many integers were stored (so the work cannot be optimized away). */
export function floorRead(file) {
  const fd = openSync(file, 'r');
  const size = fstatSync(fd).size;
  const buffer = Buffer.allocUnsafe(CHUNK);
  // Sized for the worst case (one digit and one separator per number), as a reader that knows no counts would.
  const out = new Uint32Array(Math.ceil(size / 2) + 1);
  const state = new Float64Array(5);
  try {
    for (let position = 0; position < size; ) {
      const read = readSync(fd, buffer, 0, CHUNK, position);
      if (read === 0) break;
      position += read;
      scanChunk(buffer, read, out, state);
    }
  } finally {
    closeSync(fd);
  }
  return { size, integers: state[4], check: out[state[4] - 1] };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  const repeat = process.argv.includes('--repeat') ? Number(process.argv[process.argv.indexOf('--repeat') + 1]) : 1;
  const times = [];
  let result;
  for (let r = 0; r < repeat; r++) {
    const started = performance.now();
    result = floorRead(file);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const wallMs = performance.now();
  process.stdout.write(`${JSON.stringify({ ...result, medianMs: times[times.length >> 1], processWallMs: wallMs })}\n`);
}
