#!/usr/bin/env node
// The workloads of the existing benchmarks (clean-probes.mjs, soak-sensitivity.mjs, real-programs.mjs) soaked with
// default settings only: no --duration, --warmup or --budget, the way a new user runs memprobe. Each run goes
// through the real CLI; with --before DIR it is paired, run by run, with the memprobe built in DIR (an older
// checkout), so both see the same machine. A benchmark, not a test.
//
//   npx tsc -p . && npm ci --prefix fixtures/real-programs && node bench/defaults.mjs --runs 2
//   git worktree add --detach ../before 04727d4 && (cd ../before && npm ci) && node bench/defaults.mjs --before ../before
//   node bench/defaults.mjs --only lru,session-store --runs 3
//
// Raw results go to bench/results/defaults-<node version>.json, a Markdown table to stdout, progress to stderr.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const probe = (name, truth) => ({ name, truth, args: [join(ROOT, 'fixtures/bench-probes', `${name}.mjs`)] });
const program = (name, fixed) => ({
  name: `${name}${fixed ? ' (fixed)' : ''}`,
  truth: fixed ? 'clean' : 'leak',
  args: [
    '--drive',
    join(ROOT, 'fixtures/real-programs/driver.mjs'),
    '--',
    ...(fixed ? ['env', 'FIXED=1'] : []),
    'node',
    join(ROOT, 'fixtures/real-programs', `${name}.mjs`),
  ],
});
const PROGRAMS = [
  'session-store',
  'metrics-labels',
  'response-cache',
  'request-listeners',
  'shutdown-hooks',
  'request-history',
];
const CASES = [
  // clean-probes.mjs and soak-sensitivity.mjs
  ...['churn', 'lru', 'sawtooth', 'lazy', 'fill-and-flush', 'buffer-pool', 'array-buffer-churn', 'big-heap'].map((n) =>
    probe(n, 'clean'),
  ),
  probe('leak-64b', 'leak'),
  probe('leak-50kbs', 'leak'),
  // real-programs.mjs: each leak and its fixed twin
  ...PROGRAMS.flatMap((n) => [program(n, false), program(n, true)]),
];

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '1' }, only: { type: 'string' }, before: { type: 'string' } },
});
const runs = Number(values.runs);
const only = values.only?.split(',');
const builds = [...(values.before ? [['before', resolve(values.before)]] : []), ['after', ROOT]];

function soak(root, args) {
  const out = mkdtempSync(join(tmpdir(), 'memprobe-defaults-'));
  const json = join(out, 'report.json');
  const started = performance.now();
  return new Promise((done) => {
    const argv = [join(root, 'bin/memprobe.js'), 'soak', '--json', json, '--out', out, '--no-progress', ...args];
    execFile(process.execPath, argv, { cwd: ROOT, maxBuffer: 1 << 26, timeout: 420_000 }, (error) => {
      const seconds = (performance.now() - started) / 1000;
      let p = null;
      try {
        p = JSON.parse(readFileSync(json, 'utf8')).probes[0];
      } catch {}
      rmSync(out, { recursive: true, force: true });
      done({
        code: error ? (error.code ?? null) : 0,
        seconds,
        verdict: p?.verdict ?? 'error',
        leak: p?.leak?.status ?? null,
        store: p?.leak?.store?.path?.slice(-3).join(' -> ') ?? null,
        stop: p?.stop?.reason ?? null,
        failed: p ? p.budgets.filter((b) => b.status === 'fail').map((b) => b.name) : [],
      });
    });
  });
}

// A leak is right when it fails (exit 1); a clean workload when it passes (exit 0): an error is never right.
const right = (truth, r) => r.code === (truth === 'leak' ? 1 : 0);
const results = [];
for (const c of CASES) {
  if (only && !only.includes(c.name.replace(' (fixed)', '')) && !only.includes(c.name)) continue;
  for (let run = 0; run < runs; run++) {
    for (const [build, root] of builds) {
      const r = await soak(root, c.args);
      results.push({ case: c.name, truth: c.truth, build, run, ...r });
      const what = `${r.verdict}, exit ${r.code}${r.leak ? `, leak question ${r.leak}` : ''}${r.store ? ` (${r.store})` : ''}`;
      process.stderr.write(`${c.name} [${build}] run ${run + 1}: ${what}, ${r.seconds.toFixed(0)} s\n`);
    }
  }
}

mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(join(ROOT, `bench/results/defaults-${process.version}.json`), JSON.stringify(results, null, 2));

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const cell = (list) => {
  if (list.length === 0) return '-';
  const ok = list.filter((r) => right(r.truth, r)).length;
  const secs = list.map((r) => r.seconds);
  return `${ok}/${list.length} right (${list.map((r) => r.verdict).join(' / ')}), ${median(secs).toFixed(0)} s / ${Math.max(...secs).toFixed(0)} s`;
};
console.log(`Node ${process.version}, ${runs} run(s) each, default settings (exit 1 = leak or budget broken)\n`);
console.log(
  `| workload | truth | ${builds.map(([b]) => `${b}: right, verdicts, time median / max`).join(' | ')} | named (after) |`,
);
console.log(`| --- | --- | ${builds.map(() => '---').join(' | ')} | --- |`);
for (const c of CASES) {
  const mine = results.filter((r) => r.case === c.name);
  if (mine.length === 0) continue;
  const named = [...new Set(mine.filter((r) => r.build === 'after' && r.store).map((r) => `\`${r.store}\``))].join(
    ', ',
  );
  console.log(
    `| ${c.name} | ${c.truth} | ${builds.map(([b]) => cell(mine.filter((r) => r.build === b))).join(' | ')} | ${named || '-'} |`,
  );
}
for (const [b] of builds) {
  const mine = results.filter((r) => r.build === b);
  const ok = mine.filter((r) => right(r.truth, r)).length;
  console.log(`\n${b}: ${ok}/${mine.length} right, median ${median(mine.map((r) => r.seconds)).toFixed(0)} s per run`);
}
