#!/usr/bin/env node
/**
 * Wall time of one check unsharded against the same check as 3 and 4 shards, each shard run one after
 * another on this machine (as separate CI runners would run them side by side): the time of a shard is
 * what a matrix job would take. Then each shard set is merged, to show the merged check has every probe.
 *
 *   npx tsc -p . && node bench/shard.mjs [--probes 12] [--duration 60s]
 *
 * The probes are copies of fixtures/probes/clean.mjs (p01..p12); `duration` is the whole check's.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'memprobe.js');
const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : process.argv[at + 1];
};
const probes = Number(arg('probes', '12'));
const duration = arg('duration', '60s');

const dir = mkdtempSync(join(tmpdir(), 'memprobe-shard-bench-'));
const clean = readFileSync(join(ROOT, 'fixtures', 'probes', 'clean.mjs'), 'utf8');
const files = Array.from({ length: probes }, (_, i) => `./p${String(i + 1).padStart(2, '0')}.mjs`);
for (const file of files) writeFileSync(join(dir, file), clean.replace("name: 'clean'", `name: '${file.slice(2, -4)}'`));
writeFileSync(join(dir, 'memprobe.config.mjs'), `export default ${JSON.stringify({ probes: files, duration, interval: '250ms', outDir: 'out' })};\n`);

/** Runs memprobe in the bench folder; returns the wall time in seconds and the exit code. */
function run(args) {
  const start = process.hrtime.bigint();
  const quiet = args[0] === 'check' ? ['--no-progress'] : [];
  const result = spawnSync(process.execPath, [BIN, ...args, ...quiet], { cwd: dir, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0 && result.status !== 1) throw new Error(`memprobe ${args.join(' ')}: exit ${result.status}\n${result.stderr}`);
  return { seconds, stderr: result.stderr };
}

const fmt = (s) => s.toFixed(1);
const rows = [];
const whole = run(['check', '--out', 'whole']);
rows.push({ label: 'unsharded', walls: [whole.seconds], counts: [probes], expected: null });

for (const count of [3, 4]) {
  const walls = [];
  const counts = [];
  const expected = [];
  for (let index = 1; index <= count; index++) {
    const shard = run(['check', '--shard', `${index}/${count}`, '--out', `s${count}-${index}`]);
    walls.push(shard.seconds);
    const report = JSON.parse(readFileSync(join(dir, `s${count}-${index}`, 'report.json'), 'utf8'));
    counts.push(report.probes.length);
    expected.push(Number(/~([\d.]+)s of/.exec(shard.stderr)?.[1] ?? NaN));
  }
  const dirs = Array.from({ length: count }, (_, i) => `s${count}-${i + 1}`);
  run(['merge', ...dirs, '--out', `merged-${count}`]);
  const merged = JSON.parse(readFileSync(join(dir, `merged-${count}`, 'report.json'), 'utf8'));
  if (merged.probes.length !== probes) throw new Error(`merged ${count} shards: ${merged.probes.length} probes, expected ${probes}`);
  rows.push({ label: `${count} shards`, walls, counts, expected });
}

console.log(`memprobe check, ${probes} probes (clean.mjs copies), duration ${duration} in total, node ${process.version}\n`);
console.log('| run | probes per shard | expected per shard | wall per shard (s) | longest shard (s) | vs unsharded | longest / mean shard |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const row of rows) {
  const longest = Math.max(...row.walls);
  const mean = row.walls.reduce((a, b) => a + b, 0) / row.walls.length;
  const expected = row.expected ? row.expected.map((s) => `${s}s`).join(' / ') : '-';
  console.log(`| ${row.label} | ${row.counts.join(' / ')} | ${expected} | ${row.walls.map(fmt).join(' / ')} | ${fmt(longest)} | ${fmt((longest / whole.seconds) * 100)}% | ${(longest / mean).toFixed(3)} |`);
}
rmSync(dir, { recursive: true, force: true });
