#!/usr/bin/env node
// Planted resource leaks: which metric catches each, and which allocation site --profile heap reports, against
// the real line. Then the overhead of --profile heap on iterations/s (runs alternate, with and without).
// Then the allocation-site cases repeated (--site-runs, default 3): the leaking function's share of the surviving
// sampled bytes charged to program functions (target >= 80%), and the share charged to program functions at all.
// Usage: node bench/resource-leaks.mjs [--runs 3] [--site-runs 3] [--node /path/to/node]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = join(root, 'bin', 'memprobe.js');
const option = (name, fallback) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const runs = Number(option('--runs', 3));
const siteRuns = Number(option('--site-runs', 3));
const node = option('--node', process.execPath);

function soak(probe, extra = []) {
  const dir = mkdtempSync(join(tmpdir(), 'memprobe-bench-'));
  const json = join(dir, 'report.json');
  spawnSync(node, [bin, 'soak', join(root, 'fixtures', 'probes', probe), '--no-progress', '--json', json, '--out', dir, ...extra], { stdio: 'ignore' });
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
  { leak: '~2,000 small objects/s from a three-line function, beside a churning one', probe: 'leaks-small-objects.mjs', fn: 'function rememberVisit', marker: 'visits.push' },
];
/** The planted cases whose leak is an allocation (not a handle): the site must be the leaking function. */
const allocationCases = planted.slice(3);

console.log(`memprobe ${execFileSync(node, [bin, '--version']).toString().trim()}, node ${execFileSync(node, ['--version']).toString().trim()}\n`);
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

const pct = (x) => `${(x * 100).toFixed(0)}%`;
if (siteRuns > 0) {
  console.log(`\nAllocation sites, ${siteRuns} runs each (10 s soaks, --profile heap): the leaking function's share of the bytes charged to program functions, and the share of all surviving sampled bytes charged to program functions.\n`);
  console.log('| planted leak | leaking function | top site in each run | leaking function / program bytes | program / all sampled bytes | memprobe\'s own |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const { probe, fn } of allocationCases) {
    const name = fn.replace('function ', '');
    const rows = [];
    for (let i = 0; i < siteRuns; i++) {
      const heap = soak(probe, ['--duration', '10s', '--profile', 'heap']).profiles.heap;
      const leak = heap.topSites.find((s) => s.functionName === name)?.value ?? 0;
      rows.push({ top: heap.topSites[0]?.functionName ?? 'none', leak: heap.programBytes > 0 ? leak / heap.programBytes : 0, program: heap.programShare, own: heap.toolBytes / heap.sampledBytes });
    }
    console.log(`| ${probe} | ${name} | ${rows.map((r) => r.top).join(', ')} | ${rows.map((r) => pct(r.leak)).join(', ')} | ${rows.map((r) => pct(r.program)).join(', ')} | ${rows.map((r) => pct(r.own)).join(', ')} |`);
  }
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
