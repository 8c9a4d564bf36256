#!/usr/bin/env node
// What the soak engine must show: sensitivity (no wrong verdict on seven workloads), cost (forced-GC share of
// wall time) and speed to verdict (a 50 KB/s leak caught by a 10 s soak). A benchmark script, not a test.
//
//   npx tsc -p . && node bench/soak-sensitivity.mjs            # 5 runs each, ~18 min
//   node bench/soak-sensitivity.mjs --runs 1                   # quick check, ~4 min
//   node bench/soak-sensitivity.mjs --only leak-64b,lazy --runs 3
//   node bench/soak-sensitivity.mjs --node /path/to/node24 --runs 3   # soaks under another node binary
//
// Every soak runs through the real CLI (bin/memprobe.js), one at a time (never two soaks at once: the
// machine has 2 cores and a second soak would disturb the first). Raw results, samples included, go to
// bench/results/soak-sensitivity.json; a Markdown table for the README goes to stdout, progress to stderr.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin/memprobe.js');
const PROBES_DIR = join(ROOT, 'fixtures/bench-probes');
const BUDGET_BYTES_PER_SECOND = 16 * 1024;
const BUDGET = 'growthRate=16KB/s';
const GC_SHARE_TARGET = 0.05;
const KB = 1024;
/** The node binary that runs memprobe (--node); calibration and the analysis of prefixes use it too. */
const NODE = { path: process.execPath, version: process.version };
/** leak-64b's true cost per iteration by layout: one chunk (32 B JSArray + 16 B FixedDoubleArray header + 8192 doubles + an 8 B slot) per 1024 iterations. */
const LEAK_64B_LAYOUT_BYTES_PER_ITERATION = (32 + 16 + 8192 * 8 + 8) / 1024;

/** The sensitivity workloads: what each does and the verdict it must get. */
const SENSITIVITY = [
  { name: 'leak-64b', expect: 'fail', what: '64 B/iteration retained at 1,000 it/s (62.6 KB/s)' },
  { name: 'churn', expect: 'pass', what: 'heavy garbage churn, nothing retained' },
  { name: 'lru', expect: 'pass', what: 'LRU Map, max 10k entries of ~250 B: fills, then churns' },
  { name: 'sawtooth', expect: 'pass', what: 'fill ~3 MB over 3 s, drop it, repeat' },
  { name: 'lazy', expect: 'pass', what: 'one-time ~3 MB allocation ~10 s into the window' },
  { name: 'big-heap', expect: 'pass', what: '150 MB retained in setup, then light churn' },
  { name: 'fill-and-flush', expect: 'pass', what: 'array of small objects replaced at 20,000 entries (~1 ms cycles, ~800 KB)' },
];
const SPEED = { name: 'leak-50kbs', expect: 'fail', what: 'a 5 KB string retained 10 times/s (50.2 KB/s)' };

// ---------------------------------------------------------------------------------------------- calibration
// Run in its own `node --expose-gc` process: the probe's retention without pacing, measured with forced GCs
// around a million iterations, so "bytes really retained per iteration" does not come from memprobe itself.
async function calibrate(file, iterations) {
  const probe = (await import(pathToFileURL(file).href)).default;
  const ctx = { target: undefined, options: { rate: '0' }, metric() {} };
  const state = await probe.setup(ctx);
  for (let i = 0; i < 10_240; i++) probe.iteration(state, ctx); // compile and allocate the first chunks first
  globalThis.gc();
  globalThis.gc();
  const before = process.memoryUsage();
  for (let i = 0; i < iterations; i++) probe.iteration(state, ctx);
  globalThis.gc();
  globalThis.gc();
  const after = process.memoryUsage();
  const heap = after.heapUsed - before.heapUsed;
  const external = after.external - before.external;
  process.stdout.write(JSON.stringify({ iterations, heapBytes: heap, externalBytes: external, bytesPerIteration: (heap + external) / iterations }));
  if (probe.items(state) < iterations) process.exitCode = 1; // keeps `state` alive until here
}

function runProcess(args, timeoutMs) {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(NODE.path, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-8192)));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr, wallMs: performance.now() - started });
    });
  });
}

// ---------------------------------------------------------------------------------------------- soaks
function growthFigures(g) {
  if (!g) return null;
  const { bytesPerSecond, bytesPerIteration, ciLow, ciHigh, recentBytesPerSecond, recentCiLow, recentCiHigh, samples } = g;
  return { bytesPerSecond, bytesPerIteration, ciLow, ciHigh, recentBytesPerSecond, recentCiLow, recentCiHigh, samples };
}

async function soak(name, duration, expect) {
  const file = join(PROBES_DIR, `${name}.mjs`);
  const json = join(tmpdir(), `memprobe-bench-${process.pid}-${name}.json`);
  rmSync(json, { force: true });
  const args = [BIN, 'soak', file, '--duration', duration, '--budget', BUDGET, '--json', json, '--no-progress'];
  const durationMs = Number.parseFloat(duration) * 1000;
  const loadBefore = loadavg()[0];
  const result = await runProcess(args, durationMs + 90_000);
  // Other processes on the machine stretch GC pauses (and so the sample interval): keep the load next to each run.
  const run = { exitCode: result.code, signal: result.signal, wallMs: result.wallMs, loadAverage1mBefore: loadBefore, loadAverage1mAfter: loadavg()[0] };
  if (!existsSync(json)) return { ...run, verdict: 'error', wrong: true, stderr: result.stderr, stdout: result.stdout.slice(-4096) };
  const report = JSON.parse(readFileSync(json, 'utf8'));
  rmSync(json, { force: true });
  const p = report.probes[0];
  const verdict = p?.verdict ?? 'error';
  const expectedCode = expect === 'pass' ? 0 : 1;
  return {
    ...run,
    verdict,
    wrong: verdict !== expect || result.code !== expectedCode,
    iterations: p.iterations,
    iterationsPerSecond: p.iterationsPerSecond,
    durationMs: p.durationMs,
    gcShare: p.gcShare,
    gcPauseMsMax: p.gcPauseMsMax,
    growth: growthFigures(p.growth),
    externalGrowth: growthFigures(p.externalGrowth),
    perItemBytes: p.perItemBytes,
    budgets: p.budgets,
    settings: report.settings,
    fault: p.fault,
    samples: p.samples,
    ...(result.code === 2 ? { stderr: result.stderr } : {}),
  };
}

/**
 * The shortest soak that would already have failed: the analyzer's growth check (pure, from dist/) run on
 * growing prefixes of one run's soak samples, heap and external. Returns the soak time (warm-up excluded)
 * of the first prefix from which every longer prefix fails, or null when the analyzer cannot be loaded.
 */
async function earliestFail(samples) {
  let growthOf, heapSeries, externalSeries, checkGrowth;
  try {
    ({ growthOf, heapSeries, externalSeries } = await import(pathToFileURL(join(ROOT, 'dist/src/analyze/growth.js')).href));
    ({ checkGrowth } = await import(pathToFileURL(join(ROOT, 'dist/src/analyze/analyze.js')).href));
  } catch {
    return null;
  }
  const soakSamples = samples.filter((s) => s.phase === 'soak');
  let firstFailing = null;
  for (let k = 1; k <= soakSamples.length; k++) {
    const prefix = soakSamples.slice(0, k);
    const fails = [heapSeries, externalSeries].some(
      (series, i) => checkGrowth(growthOf(prefix, series), BUDGET_BYTES_PER_SECOND, i === 0 ? 'heap' : 'external').status === 'fail',
    );
    if (fails) firstFailing ??= soakSamples[k - 1].timeMs;
    else firstFailing = null;
  }
  return firstFailing;
}

// ---------------------------------------------------------------------------------------------- summary
const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const max = (xs) => {
  const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x));
  return s.length ? Math.max(...s) : null;
};

/** The run whose heap growth is the median one (the lower middle for an even count). */
function medianRun(runs) {
  const ok = runs.filter((r) => r.growth).sort((a, b) => a.growth.bytesPerSecond - b.growth.bytesPerSecond);
  return ok[(ok.length - 1) >> 1] ?? null;
}

function fmtBytes(b, signed = false) {
  if (b === null || b === undefined || !Number.isFinite(b)) return 'n/a';
  const sign = b < 0 ? '-' : signed ? '+' : '';
  const a = Math.abs(b);
  if (a >= KB * KB) return `${sign}${(a / KB / KB).toFixed(1)} MB`;
  if (a >= KB) return `${sign}${(a / KB).toFixed(1)} KB`;
  return `${sign}${a.toFixed(a < 10 ? 2 : 0)} B`;
}
const fmtRate = (b, signed = true) => `${fmtBytes(b, signed)}/s`;
const fmtShare = (x) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
const fmtInt = (x) => (x === null || x === undefined ? 'n/a' : Math.round(x).toLocaleString('en-US'));

function summarize(entry, calibration) {
  const { runs } = entry;
  const mid = medianRun(runs);
  const rates = runs.map((r) => r.growth?.bytesPerSecond);
  const summary = {
    verdicts: runs.map((r) => r.verdict),
    wrong: runs.filter((r) => r.wrong).length,
    medianBytesPerSecond: median(rates),
    medianRunCi: mid ? [mid.growth.ciLow, mid.growth.ciHigh] : null,
    rangeBytesPerSecond: runs.length ? [Math.min(...rates.filter(Number.isFinite)), Math.max(...rates.filter(Number.isFinite))] : null,
    medianBytesPerIteration: median(runs.map((r) => r.growth?.bytesPerIteration)),
    medianExternalBytesPerSecond: median(runs.map((r) => r.externalGrowth?.bytesPerSecond)),
    medianIterationsPerSecond: median(runs.map((r) => r.iterationsPerSecond)),
    medianGcShare: median(runs.map((r) => r.gcShare)),
    maxGcShare: max(runs.map((r) => r.gcShare)),
    maxGcPauseMs: max(runs.map((r) => r.gcPauseMsMax)),
    medianSamples: median(runs.map((r) => r.growth?.samples)),
  };
  if (calibration) {
    summary.retainedBytesPerIteration = calibration.bytesPerIteration;
    summary.layoutBytesPerIteration = LEAK_64B_LAYOUT_BYTES_PER_ITERATION;
    summary.retainedBytesPerSecond = LEAK_64B_LAYOUT_BYTES_PER_ITERATION * (summary.medianIterationsPerSecond ?? Number.NaN);
  }
  return summary;
}

function sensitivityTable(entries, runCount) {
  const lines = [
    `| Probe | Workload | Expected | Verdicts (${runCount} runs) | Heap growth, median run [95% CI] | Range over runs | B/iteration found (really retained) | Forced-GC share, median (max) | Max GC pause |`,
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const e of entries) {
    const s = e.summary;
    const verdicts = s.verdicts.map((v, i) => (e.runs[i].wrong ? `**${v.toUpperCase()}**` : v)).join(' ');
    const ci = s.medianRunCi ? ` [${fmtRate(s.medianRunCi[0])}, ${fmtRate(s.medianRunCi[1])}]` : '';
    const range = s.rangeBytesPerSecond ? `${fmtRate(s.rangeBytesPerSecond[0])} .. ${fmtRate(s.rangeBytesPerSecond[1])}` : 'n/a';
    const perIteration =
      s.retainedBytesPerIteration === undefined
        ? fmtBytes(s.medianBytesPerIteration, true)
        : `${s.medianBytesPerIteration?.toFixed(1) ?? 'n/a'} B (${s.retainedBytesPerIteration.toFixed(1)} B)`;
    const gc = `${fmtShare(s.medianGcShare)} (${fmtShare(s.maxGcShare)})${s.maxGcShare > GC_SHARE_TARGET ? ' **over 5%**' : ''}`;
    lines.push(
      `| ${e.name} | ${e.what} | ${e.expect} | ${verdicts} | ${fmtRate(s.medianBytesPerSecond)}${ci} | ${range} | ${perIteration} | ${gc} | ${s.maxGcPauseMs?.toFixed(0) ?? 'n/a'} ms |`,
    );
  }
  return lines.join('\n');
}

function speedTable(entry, duration) {
  const s = entry.summary;
  const verdicts = s.verdicts.map((v, i) => (entry.runs[i].wrong ? `**${v.toUpperCase()}**` : v)).join(' ');
  const ci = s.medianRunCi ? ` [${fmtRate(s.medianRunCi[0])}, ${fmtRate(s.medianRunCi[1])}]` : '';
  const earliest = entry.runs.map((r) => (r.earliestFailMs == null ? 'never' : `${(r.earliestFailMs / 1000).toFixed(1)} s`)).join(', ');
  return [
    `| Probe | Workload | Soak | Verdicts (${entry.runs.length} runs) | Heap growth, median run [95% CI] | Window time after which every prefix fails (warm-up not counted) | Forced-GC share, median (max) |`,
    '|---|---|---|---|---|---|---|',
    `| ${entry.name} | ${entry.what} | ${duration} (warm-up included) | ${verdicts} | ${fmtRate(s.medianBytesPerSecond)}${ci} | ${earliest} | ${fmtShare(s.medianGcShare)} (${fmtShare(s.maxGcShare)}) |`,
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------- main
function gitState() {
  try {
    const head = readFileSync(join(ROOT, '.git/HEAD'), 'utf8').trim();
    const ref = head.startsWith('ref: ') ? readFileSync(join(ROOT, '.git', head.slice(5)), 'utf8').trim() : head;
    return ref;
  } catch {
    return null;
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '5' },
      duration: { type: 'string', default: '30s' },
      'speed-duration': { type: 'string', default: '10s' },
      only: { type: 'string', default: '' },
      out: { type: 'string', default: join(ROOT, 'bench/results/soak-sensitivity.json') },
      calibrate: { type: 'string' },
      node: { type: 'string' },
      iterations: { type: 'string', default: '2048000' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.calibrate) return calibrate(values.calibrate, Number(values.iterations));
  if (values.node) {
    NODE.path = resolve(values.node);
    NODE.version = (await runProcess(['--version'], 10_000)).stdout.trim();
  }
  if (values.help) {
    process.stdout.write(
      'node bench/soak-sensitivity.mjs [--runs 5] [--duration 30s] [--speed-duration 10s] [--only a,b] [--node path] [--out file]\n' +
        `probes: ${[...SENSITIVITY, SPEED].map((p) => p.name).join(', ')}\n`,
    );
    return;
  }
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${values.runs}`);
  if (!/^\d+(\.\d+)?s$/.test(values.duration) || !/^\d+(\.\d+)?s$/.test(values['speed-duration'])) {
    throw new Error('--duration and --speed-duration take seconds, e.g. 30s');
  }
  if (!existsSync(join(ROOT, 'dist/src/cli/main.js'))) throw new Error('dist/ is missing: run `npx tsc -p .` first');
  const only = values.only ? new Set(values.only.split(',')) : null;
  const wanted = (p) => !only || only.has(p.name);
  const command = `node bench/soak-sensitivity.mjs${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}`;
  const log = (line) => process.stderr.write(`${line}\n`);
  const started = new Date();

  let calibration = null;
  if (wanted(SENSITIVITY[0])) {
    const file = join(PROBES_DIR, 'leak-64b.mjs');
    const res = await runProcess(['--expose-gc', fileURLToPath(import.meta.url), '--calibrate', file, '--iterations', values.iterations], 120_000);
    if (res.code !== 0) throw new Error(`calibration failed: ${res.stderr}`);
    calibration = JSON.parse(res.stdout);
    log(`calibration leak-64b: ${calibration.bytesPerIteration.toFixed(3)} B really retained per iteration (${fmtInt(calibration.iterations)} iterations)`);
  }

  const plan = [
    ...SENSITIVITY.filter(wanted).map((p) => ({ ...p, duration: values.duration })),
    ...(wanted(SPEED) ? [{ ...SPEED, duration: values['speed-duration'] }] : []),
  ];
  const total = plan.length * runs;
  let done = 0;
  const entries = [];
  for (const p of plan) {
    const entry = { name: p.name, what: p.what, expect: p.expect, duration: p.duration, command: `node bin/memprobe.js soak ${relative(ROOT, join(PROBES_DIR, `${p.name}.mjs`))} --duration ${p.duration} --budget ${BUDGET} --json out.json --no-progress`, runs: [] };
    for (let i = 0; i < runs; i++) {
      const run = await soak(p.name, p.duration, p.expect);
      if (p.expect === 'fail' && run.samples) run.earliestFailMs = await earliestFail(run.samples);
      entry.runs.push(run);
      done++;
      const g = run.growth ? `${fmtRate(run.growth.bytesPerSecond)} [${fmtRate(run.growth.ciLow)}, ${fmtRate(run.growth.ciHigh)}]` : '';
      log(`[${done}/${total}] ${p.name} run ${i + 1}/${runs}: ${run.verdict} (exit ${run.exitCode})${run.wrong ? ' WRONG' : ''} ${g} gc ${fmtShare(run.gcShare ?? null)} ${(run.wallMs / 1000).toFixed(1)} s, load ${run.loadAverage1mBefore.toFixed(1)}`);
    }
    entry.summary = summarize(entry, p.name === 'leak-64b' ? calibration : null);
    entries.push(entry);
  }

  const sensitivity = entries.filter((e) => e.name !== SPEED.name);
  const speed = entries.find((e) => e.name === SPEED.name);
  const wrong = entries.flatMap((e) => e.runs.map((r, i) => ({ e, r, i })).filter(({ r }) => r.wrong));
  const overGc = entries.filter((e) => e.summary.maxGcShare !== null && e.summary.maxGcShare > GC_SHARE_TARGET);
  const result = {
    schema: 'memprobe-bench-soak-sensitivity/1',
    command,
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    node: NODE.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    gitCommit: gitState(),
    budget: BUDGET,
    gcShareTarget: GC_SHARE_TARGET,
    runsPerProbe: runs,
    calibration,
    probes: entries,
    wrongVerdicts: wrong.map(({ e, i, r }) => ({ probe: e.name, run: i + 1, expected: e.expect, verdict: r.verdict, exitCode: r.exitCode })),
    gcShareOverTarget: overGc.map((e) => ({ probe: e.name, maxGcShare: e.summary.maxGcShare })),
  };
  mkdirSync(dirname(resolve(values.out)), { recursive: true });
  writeFileSync(resolve(values.out), `${JSON.stringify(result, null, 1)}\n`);

  const out = [];
  out.push(`### Soak sensitivity (budget \`${BUDGET}\`, ${values.duration} soaks, ${runs} run${runs > 1 ? 's' : ''} each)`, '');
  if (sensitivity.length) out.push(sensitivityTable(sensitivity, runs), '');
  const leak = sensitivity.find((e) => e.name === 'leak-64b');
  if (leak) {
    const s = leak.summary;
    out.push(
      `leak-64b really retains ${s.layoutBytesPerIteration.toFixed(2)} B/iteration by layout (${s.retainedBytesPerIteration.toFixed(2)} B measured with forced GCs ` +
        `around ${fmtInt(calibration.iterations)} un-paced iterations) at ${fmtInt(s.medianIterationsPerSecond)} it/s = ${fmtRate(s.retainedBytesPerSecond, false)}; ` +
        `memprobe found ${fmtRate(s.medianBytesPerSecond, false)} (${s.medianBytesPerIteration.toFixed(1)} B/iteration).`,
      '',
    );
  }
  if (speed) out.push(`### Speed to verdict`, '', speedTable(speed, values['speed-duration']), '');
  out.push(
    `Wrong verdicts: ${wrong.length === 0 ? 'none' : wrong.map(({ e, i, r }) => `${e.name} run ${i + 1} (${r.verdict}, expected ${e.expect})`).join('; ')}. ` +
      `Forced-GC share over ${fmtShare(GC_SHARE_TARGET)}: ${overGc.length === 0 ? 'none' : overGc.map((e) => `${e.name} (max ${fmtShare(e.summary.maxGcShare)})`).join('; ')}.`,
    '',
    `Node ${NODE.version}, ${process.platform} ${process.arch}, ${cpus().length} cores; soaks run one at a time. ` +
      'Growth is the Theil-Sen slope of post-forced-GC `heapUsed` over the soak window. KB = 1024 B.',
    '',
    `Reproduce: \`npx tsc -p . && ${command}\` (raw data with samples: \`${relative(ROOT, resolve(values.out))}\`).`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
  process.exitCode = wrong.length > 0 ? 1 : 0;
}

main().catch((error) => {
  process.stderr.write(`soak-sensitivity: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
});
