#!/usr/bin/env node
/**
 * CPU time and wall time of each phase of memprobe's `inspect` work, in one process, repeated: for comparing two
 * builds side by side on a busy machine, where wall times say more about the neighbours than about the code.
 * CPU time is the whole process's (the reading worker thread included).
 *
 *   node phase-cpu.mjs FILE [--repeat 3] [--dist DIR]    DIR: another build's dist/src/heap (default: this one)
 *
 * To compare with an earlier commit: `git worktree add /tmp/before COMMIT && (cd /tmp/before && npm ci &&
 * npx tsc -p .)`, then run this script alternately with `--dist /tmp/before/dist/src/heap` and without.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const argv = process.argv.slice(2);
const option = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
const file = argv[0];
const repeat = Number(option('--repeat', '3'));
const dist = resolve(option('--dist', join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'src', 'heap')));
const load = (name) => import(pathToFileURL(join(dist, name)).href);
const { readHeapSnapshot } = await load('reader.js');
const { inspectHeap } = await load('inspect.js');
const { Phases } = await load('../core/phases.js');

const cpuMs = (since) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};
const rows = new Map();
const record = (name, cpu, wall) => {
  const row = rows.get(name) ?? rows.set(name, []).get(name);
  row.push([cpu, wall]);
};
for (let r = 0; r < repeat; r++) {
  let started;
  const phases = new Phases({
    onStart: () => {
      started = process.cpuUsage();
    },
    onEnd: (phase) => record(phase.name.replace(/^read .*/, 'read'), cpuMs(started), phase.ms),
  });
  const cpu = process.cpuUsage();
  const wall = performance.now();
  inspectHeap(readHeapSnapshot(file, { phases, forAnalysis: true }), { phases });
  record('total', cpuMs(cpu), performance.now() - wall);
}
const show = (values) => values.map((v) => v.toFixed(0)).join(' / ');
process.stdout.write(`${dist}\n`);
for (const [name, runs] of rows) {
  process.stdout.write(`${name.padEnd(18)} cpu ${show(runs.map((x) => x[0])).padEnd(22)} wall ${show(runs.map((x) => x[1]))}\n`);
}
