#!/usr/bin/env node
// Planted resource leaks: which metric catches each, and which allocation site --profile heap reports, against
// the real line. Then the overhead of --profile heap on iterations/s (runs alternate, with and without).
// Usage: node bench/resource-leaks.mjs [--runs 3]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = join(root, 'bin', 'memprobe.js');
const runs = process.argv.includes('--runs') ? Number(process.argv[process.argv.indexOf('--runs') + 1]) : 3;

function soak(probe, extra = []) {
  const dir = mkdtempSync(join(tmpdir(), 'memprobe-bench-'));
  const json = join(dir, 'report.json');
  spawnSync(process.execPath, [bin, 'soak', join(root, 'fixtures', 'probes', probe), '--no-progress', '--json', json, '--out', dir, ...extra], { stdio: 'ignore' });
  return JSON.parse(readFileSync(json, 'utf8')).probes[0];
}

/** The line of the first `marker` occurrence in a fixture, 1-based. */
function lineOf(probe, marker) {
  const lines = readFileSync(join(root, 'fixtures', 'probes', probe), 'utf8').split('\n');
  return lines.findIndex((l) => l.includes(marker)) + 1;
}

// `fn` is where the leaking function starts (V8 samples by function), `marker` the allocating line.
const planted = [
  { leak: 'timers (setInterval never cleared)', probe: 'leaks-timers.mjs', fn: 'async iteration()', marker: 'setInterval(' },
  { leak: 'sockets (TCP connections never closed)', probe: 'leaks-sockets.mjs', fn: 'async iteration(state)', marker: 'connect(state.port' },
  { leak: 'file descriptors (openSync never closed)', probe: 'leaks-fds.mjs', fn: 'async iteration()', marker: 'openSync(self' },
  { leak: 'objects (kept in a module array)', probe: 'leaks-from-function.mjs', fn: 'function rememberRequest', marker: 'sessions.push' },
];

console.log(`memprobe ${execFileSync(process.execPath, [bin, '--version']).toString().trim()}, node ${process.version}\n`);
console.log('Each soak: 10 s, --budget growthRate=16KB/s, --profile heap.\n');
console.log('| planted leak | caught by | figure | top surviving allocation site | the leaking function starts / allocates at |');
console.log('| --- | --- | --- | --- | --- |');
for (const { leak, probe, fn, marker } of planted) {
  const report = soak(probe, ['--duration', '10s', '--budget', 'growthRate=16KB/s', '--profile', 'heap']);
  const failed = report.budgets.filter((b) => b.status === 'fail');
  const caught = failed.map((b) => b.name + (b.memory ? ` (${b.memory})` : '')).join(', ') || 'nothing';
  const figure = failed.map((b) => b.reason.replace(/, budget.*$/, '')).join('; ');
  const site = report.profiles.heap?.topSites[0];
  const shown = site ? `${site.functionName} ${site.location.replace(root, '')} (${(site.share * 100).toFixed(0)}%)` : 'none';
  console.log(`| ${leak} | ${caught} | ${figure} | ${shown} | ${probe}:${lineOf(probe, fn)} / :${lineOf(probe, marker)} |`);
}

if (runs === 0) process.exit(0);
console.log('\n--profile heap overhead on a CPU-bound probe (fixtures/probes/clean.mjs, 10 s soaks, alternating):\n');
const rate = { off: [], on: [] };
for (let i = 0; i < runs; i++) {
  rate.off.push(soak('clean.mjs', ['--duration', '10s']).iterationsPerSecond);
  rate.on.push(soak('clean.mjs', ['--duration', '10s', '--profile', 'heap']).iterationsPerSecond);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const off = median(rate.off);
const on = median(rate.on);
console.log('| runs | iterations/s without | iterations/s with --profile heap | overhead |');
console.log('| --- | --- | --- | --- |');
console.log(`| ${runs} | ${Math.round(off).toLocaleString('en-US')} | ${Math.round(on).toLocaleString('en-US')} | ${((1 - on / off) * 100).toFixed(1)}% |`);
