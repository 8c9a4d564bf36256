#!/usr/bin/env node
/**
 * Compares two memprobe JSON reports field for field, measurements aside: used to show that a refactor left the
 * reports of `soak`, `check` and `load` as they were.
 *
 *   node scripts/json-equivalence.mjs BEFORE.json AFTER.json [--noise BEFORE-AGAIN.json]
 *
 * Every field of BEFORE must be in AFTER with the same type. Strings must be equal once their digits are masked
 * (a reason quotes measured figures); encoded histograms, numbers and timings are measurements, compared by
 * type only. Entries of a list that carry a name (probes, budgets, comparisons) are matched by it; of other lists
 * of another length (sample counts follow the clock), the heads and the last elements are compared.
 * Folder names in paths are masked (the two builds live in different checkouts). Fields only AFTER has are
 * listed as added. --noise names a second run of the BEFORE build: what differs between the two BEFORE runs
 * (a status on the edge of a threshold, a handle type seen once) is measurement noise, listed apart.
 * Exit 0 when nothing else is missing, retyped or reworded; 1 otherwise.
 */
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const noiseAt = args.indexOf('--noise');
const noiseFile = noiseAt >= 0 ? args.splice(noiseAt, 2)[1] : undefined;
const [beforeFile, afterFile] = args;
if (!beforeFile || !afterFile || (noiseAt >= 0 && !noiseFile)) {
  process.stderr.write('usage: node scripts/json-equivalence.mjs BEFORE.json AFTER.json [--noise BEFORE-AGAIN.json]\n');
  process.exit(2);
}

const kind = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
/** Digits masked; an encoded histogram (base64, no spaces) is a measurement as a whole. */
const mask = (s) =>
  s.length > 40 && /^[A-Za-z0-9+/=]+$/.test(s) ? '<encoded>' : s.replace(/\/(?:[\w.@-]+\/)+/g, '<dir>/').replace(/[-+]?\d+(\.\d+)?/g, '#');
/** The fields that name an entry of a list (`probe` + `metric` of a comparison, `name` + `memory` of a budget). */
const IDENTITY = ['name', 'memory', 'probe', 'metric', 'threshold'];
const identity = (entry) => IDENTITY.map((k) => (typeof entry[k] === 'string' ? `${k}=${entry[k]}` : '')).join('');

/** A generic path: array indexes as [] so one line stands for every element. */
const generic = (path) => path.replace(/\[\d+\]/g, '[]');

const newFound = () => ({ missing: new Set(), retyped: new Set(), reworded: new Map(), added: new Set(), lengths: new Set(), nullness: new Set() });

function walk(found, before, after, path) {
  const a = kind(before);
  const b = kind(after);
  if (a !== b) {
    // A measurement that was null in one run and a number in the other (not measured that time) is not a change.
    if (a === 'null' || b === 'null') found.nullness.add(generic(path));
    else found.retyped.add(`${generic(path)}: ${a} -> ${b}`);
    return;
  }
  if (a === 'string' && mask(before) !== mask(after) && !found.reworded.has(generic(path))) {
    found.reworded.set(generic(path), `${JSON.stringify(before).slice(0, 100)} -> ${JSON.stringify(after).slice(0, 100)}`);
  }
  if (a === 'array') {
    if (before.length !== after.length) found.lengths.add(generic(path));
    // Entries named by their fields (a probe's metric, a budget) are matched by name, not by position.
    const keyed = [...before, ...after].every((e) => kind(e) === 'object' && identity(e) !== '');
    if (keyed) {
      const others = new Map(after.map((e) => [identity(e), e]));
      for (const [i, entry] of before.entries()) {
        if (others.has(identity(entry))) walk(found, entry, others.get(identity(entry)), `${path}[${i}]`);
      }
      return;
    }
    // Of two lists of another length (samples follow the clock), the heads and the last elements are compared.
    const shorter = Math.min(before.length, after.length);
    for (let i = 0; i < shorter - 1; i++) walk(found, before[i], after[i], `${path}[${i}]`);
    if (shorter > 0) walk(found, before.at(-1), after.at(-1), `${path}[${shorter - 1}]`);
  }
  if (a === 'object') {
    for (const key of Object.keys(before)) {
      if (key in after) walk(found, before[key], after[key], `${path}.${key}`);
      else found.missing.add(generic(`${path}.${key}`));
    }
    for (const key of Object.keys(after)) if (!(key in before)) found.added.add(generic(`${path}.${key}`));
  }
}

const read = (file) => JSON.parse(readFileSync(file, 'utf8'));
const found = newFound();
const before = read(beforeFile);
walk(found, before, read(afterFile), '$');
/** Paths (generic) on which two runs of the same build already differ. */
const noisy = new Set();
if (noiseFile) {
  const again = newFound();
  walk(again, before, read(noiseFile), '$');
  for (const path of [...again.missing, ...again.added, ...again.reworded.keys()]) noisy.add(path);
  for (const line of again.retyped) noisy.add(line.slice(0, line.indexOf(':')));
}
const noise = [];
const keep = (path) => {
  if (!noisy.has(path)) return true;
  noise.push(path);
  return false;
};
for (const path of [...found.missing]) if (!keep(path)) found.missing.delete(path);
for (const path of [...found.reworded.keys()]) if (!keep(path)) found.reworded.delete(path);
const list = (title, items) => {
  const lines = [...items];
  process.stdout.write(`${title}: ${lines.length === 0 ? 'none' : ''}\n${lines.map((l) => `  ${l}\n`).join('')}`);
};
process.stdout.write(`${beforeFile} -> ${afterFile}\n`);
list('missing in after', found.missing);
list('type changed', found.retyped);
list('text changed (digits masked)', [...found.reworded].map(([path, change]) => `${path}: ${change}`));
list('added in after', found.added);
list('arrays of another length (timing)', found.lengths);
list('null in one run, measured in the other', found.nullness);
if (noiseFile) list(`noise (these differ between two runs of the BEFORE build too: ${noiseFile})`, noise);
const broken = found.missing.size + found.retyped.size + found.reworded.size;
process.stdout.write(`${broken === 0 ? 'EQUIVALENT' : 'DIFFERENT'}\n`);
process.exit(broken === 0 ? 0 : 1);
