#!/usr/bin/env node
// False alarms: clean probes of every shape soaked N times each at the sensitivity budget; the target is 0 FAILs.
// Also shows external growth (target for the Buffer-pool and ArrayBuffer churn: under 1 KB/s in every run) and
// the forced-GC time per sample. A benchmark script, not a test.
//
//   npx tsc -p . && node bench/clean-probes.mjs --runs 20 --duration 30s
//   node bench/clean-probes.mjs --node /path/to/node24 --runs 10 --long-runs 2 --duration 10s --only fill-and-flush,buffer-pool
//
// Soaks run one at a time through the real CLI (bin/memprobe.js) under the node given by --node (default: this
// one). Raw results go to bench/results/clean-probes-<node version>.json, a Markdown table to stdout.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin/memprobe.js');
const BUDGET = 'growthRate=16KB/s';
const EXTERNAL_TARGET_BYTES_PER_SECOND = 1024;
const KB = 1024;

/**
 * Clean workloads (fixtures/bench-probes): each must pass every run. `minSeconds`: shapes made for a 30 s soak (the
 * LRU fills through its warm-up and ~5 s more, so in a 10 s soak it really grows over most of the window; the lazy
 * step comes 12 s in; a 150 MB heap's slow GCs leave few samples) run at least that long whatever --duration says.
 */
const CLEAN = [
  { name: 'churn', what: 'heavy garbage churn of several shapes' },
  { name: 'lru', what: 'LRU Map of 10k entries: fills, then churns', minSeconds: 30 },
  { name: 'sawtooth', what: 'fill ~3 MB over 3 s, drop it, repeat' },
  { name: 'lazy', what: 'one-time ~3 MB allocation mid-window', minSeconds: 30 },
  { name: 'fill-and-flush', what: 'array of small objects replaced at 20,000 entries (~1 ms cycles)' },
  { name: 'buffer-pool', what: '64-slot pool of 2 KB Buffers (allocUnsafeSlow), one replaced per iteration', external: true },
  { name: 'array-buffer-churn', what: 'ArrayBuffers of 1-16 KB made and dropped', external: true },
  { name: 'big-heap', what: '150 MB retained in setup, then light churn', minSeconds: 30 },
];

function run(node, args, timeoutMs) {
  return new Promise((done) => {
    const child = spawn(node, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4096)));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stderr });
    });
  });
}

const median = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length === 0 ? null : s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function soak(node, name, duration) {
  const json = join(tmpdir(), `memprobe-clean-${process.pid}-${name}.json`);
  rmSync(json, { force: true });
  const args = [BIN, 'soak', join(ROOT, 'fixtures/bench-probes', `${name}.mjs`), '--duration', duration, '--budget', BUDGET, '--json', json, '--no-progress'];
  const load = loadavg()[0];
  const { code, stderr } = await run(node, args, Number.parseFloat(duration) * 1000 + 90_000);
  if (!existsSync(json)) return { verdict: 'error', exitCode: code, stderr, load };
  const p = JSON.parse(readFileSync(json, 'utf8')).probes[0];
  rmSync(json, { force: true });
  const soakSamples = p.samples.filter((s) => s.phase === 'soak');
  return {
    verdict: p.verdict,
    exitCode: code,
    load,
    iterationsPerSecond: p.iterationsPerSecond,
    heap: p.growth && { bytesPerSecond: p.growth.bytesPerSecond, ciLow: p.growth.ciLow, ciHigh: p.growth.ciHigh },
    external: p.externalGrowth && { bytesPerSecond: p.externalGrowth.bytesPerSecond, ciLow: p.externalGrowth.ciLow, ciHigh: p.externalGrowth.ciHigh },
    medianGcMs: median(soakSamples.map((s) => s.gcMs)),
    samples: soakSamples.length,
    failed: p.budgets.filter((b) => b.status === 'fail').map((b) => b.reason),
  };
}

const rate = (b) => (b === null || b === undefined ? 'n/a' : `${b < 0 ? '-' : '+'}${Math.abs(b) >= KB ? `${(Math.abs(b) / KB).toFixed(1)} KB` : `${Math.abs(b).toFixed(0)} B`}/s`);

async function main() {
  const { values } = parseArgs({
    options: {
      node: { type: 'string', default: process.execPath },
      runs: { type: 'string', default: '20' },
      /** Runs of the shapes with a minSeconds (slow): default the same as --runs. */
      'long-runs': { type: 'string' },
      duration: { type: 'string', default: '30s' },
      only: { type: 'string', default: '' },
      out: { type: 'string' },
    },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${values.runs}`);
  if (!existsSync(join(ROOT, 'dist/src/cli/main.js'))) throw new Error('dist/ is missing: run `npx tsc -p .` first');
  const version = spawnSync(values.node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const only = values.only ? new Set(values.only.split(',')) : null;
  const plan = CLEAN.filter((p) => !only || only.has(p.name));
  const command = `node bench/clean-probes.mjs ${process.argv.slice(2).join(' ')}`.trim();
  const longRuns = values['long-runs'] === undefined ? runs : Number(values['long-runs']);
  const entries = [];
  for (const probe of plan) {
    const duration = `${Math.max(Number.parseFloat(values.duration), probe.minSeconds ?? 0)}s`;
    const entry = { ...probe, duration, runs: [] };
    const count = probe.minSeconds === undefined ? runs : longRuns;
    for (let i = 0; i < count; i++) {
      const r = await soak(values.node, probe.name, duration);
      entry.runs.push(r);
      process.stderr.write(`${version} ${probe.name} ${i + 1}/${count} (${duration}): ${r.verdict} heap ${rate(r.heap?.bytesPerSecond)} external ${rate(r.external?.bytesPerSecond)} gc ${r.medianGcMs?.toFixed(1)} ms, load ${r.load.toFixed(1)}${r.failed?.length ? ` (${r.failed.join('; ')})` : ''}\n`);
    }
    entries.push(entry);
  }
  const out = values.out ?? join(ROOT, `bench/results/clean-probes-${version}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ command, node: version, startedAt: new Date().toISOString(), cpus: cpus().length, budget: BUDGET, duration: values.duration, probes: entries }, null, 1)}\n`);

  const lines = [
    `| Probe (${version}) | Workload | Soak | Not pass / runs | Heap growth, median (range) | External growth, range | External growth < 1 KB/s | Forced GC per sample, median |`,
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const e of entries) {
    const bad = e.runs.filter((r) => r.verdict !== 'pass');
    const heap = e.runs.map((r) => r.heap?.bytesPerSecond).filter(Number.isFinite);
    const ext = e.runs.map((r) => r.external?.bytesPerSecond ?? Number.NaN).filter(Number.isFinite);
    const extOk = ext.filter((x) => x < EXTERNAL_TARGET_BYTES_PER_SECOND).length;
    const verdicts = bad.length === 0 ? `0 / ${e.runs.length}` : `**${bad.length} / ${e.runs.length}** (${bad.map((r) => r.verdict).join(', ')})`;
    lines.push(
      `| ${e.name} | ${e.what} | ${e.duration} | ${verdicts} | ${rate(median(heap))} (${rate(Math.min(...heap))} .. ${rate(Math.max(...heap))}) | ${rate(Math.min(...ext))} .. ${rate(Math.max(...ext))} | ${extOk} of ${ext.length} | ${median(e.runs.map((r) => r.medianGcMs))?.toFixed(1)} ms |`,
    );
  }
  const notPass = entries.reduce((n, e) => n + e.runs.filter((r) => r.verdict !== 'pass').length, 0);
  process.stdout.write(`${lines.join('\n')}\n\nBudget \`${BUDGET}\`, soaks one at a time; ${cpus().length} cores. Reproduce: \`${command}\`.\n`);
  process.exitCode = notPass > 0 ? 1 : 0;
}

main().catch((error) => {
  process.stderr.write(`clean-probes: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
});
