#!/usr/bin/env node
/**
 * Benchmark (not a test): soaks every leak/fixed pair of fixtures/real-programs/ in program mode and prints a
 * Markdown table: verdicts of each run, the top leak cluster, and what the reported clusters retain as a share of
 * the heap growth over the same window (baseline to mid-soak snapshot, from the snapshots' own totals; target:
 * >= 50% for every leak).
 *
 *   npm run build && npm ci --prefix fixtures/real-programs && node bench/real-programs.mjs [--runs 3] [--only session-store] [--twin leak|fixed] [--duration 30s] [--warmup 15s]
 *
 * Each soak: --duration 30s --warmup 15s (a 15 s window) --snapshots --budget growthRate=16KB/s, the driver at
 * ~200 req/s. The warm-up covers the programs' own start: express still JIT-compiles for 15-20 s at this rate
 * (a fixed twin's heap grew ~21 KB/s from 5 to 15 s and ~2 KB/s from 15 to 30 s), which a 5 s warm-up counted.
 * Runs one soak at a time; snapshots go to a temporary folder, removed at the end.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { compareSnapshots, objectTable } = await import(join(ROOT, 'dist/src/heap/compare.js'));
const { readHeapSnapshot } = await import(join(ROOT, 'dist/src/heap/reader.js'));

const PAIRS = [
  ['session-store', 'express-session MemoryStore, sessions never expire', '1 s maxAge, store pruned'],
  ['metrics-labels', 'prom-client histogram labelled by raw path', 'labelled by route template'],
  ['response-cache', 'Map cache by URL, no eviction', 'lru-cache max 500'],
  ['request-listeners', 'EventEmitter listener per request, never removed', 'removed on finish'],
  ['shutdown-hooks', 'closure per request in a global array', 'taken out on finish'],
  ['request-history', 'request records in an array', 'ring buffer of 200'],
];

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, only: { type: 'string' }, duration: { type: 'string', default: '30s' }, warmup: { type: 'string', default: '15s' }, twin: { type: 'string' } } });
const runs = Number(values.runs);
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

function soak(program, fixed, out) {
  const json = join(out, 'report.json');
  const args = [join(ROOT, 'bin/memprobe.js'), 'soak', '--duration', values.duration, '--warmup', values.warmup, '--snapshots', '--out', out, '--no-progress',
    '--drive', join(ROOT, 'fixtures/real-programs/driver.mjs'), '--budget', 'growthRate=16KB/s', '--json', json, '--',
    ...(fixed ? ['env', 'FIXED=1'] : []), 'node', join(ROOT, `fixtures/real-programs/${program}.mjs`)];
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: ROOT, maxBuffer: 1 << 26 }, (error, stdout, stderr) => {
      let report = null;
      try {
        report = JSON.parse(readFileSync(json, 'utf8'));
      } catch {
        process.stderr.write(`${program}${fixed ? ' (fixed)' : ''}: no report\n${stdout}${stderr}\n`);
      }
      resolve(report);
    });
  });
}

/**
 * Heap growth between the baseline and mid-soak snapshots (the window the leak method's new objects come from),
 * and the part of it that is V8's compiled code (the JIT still warming up, not the program's data).
 */
function snapshotGrowth(snapshots) {
  const report = compareSnapshots(objectTable(readHeapSnapshot(snapshots.baseline)), objectTable(readHeapSnapshot(snapshots.target)));
  const code = report.classes.find((c) => c.name === '(compiled code)')?.sizeDelta ?? 0;
  return { total: report.totals.targetSize - report.totals.baseSize, code };
}

const rows = [];
for (const [program, leak, fix] of PAIRS) {
  if (values.only && values.only !== program) continue;
  for (const fixed of values.twin === 'fixed' ? [true] : values.twin === 'leak' ? [false] : [false, true]) {
    const verdicts = [];
    const shares = [];
    const codeShares = [];
    const rates = [];
    const grew = [];
    let top = null;
    for (let run = 0; run < runs; run++) {
      const out = mkdtempSync(join(tmpdir(), 'memprobe-bench-real-'));
      let probe;
      try {
        const report = await soak(program, fixed, out);
        probe = report?.probes?.[0];
        verdicts.push(probe?.verdict ?? 'error');
        if (probe?.growth) rates.push(probe.growth.bytesPerSecond);
        if (probe?.fault) process.stderr.write(`${program}${fixed ? ' (fixed)' : ''}: ${probe.fault.kind}: ${probe.fault.message}\n`);
        if (probe?.leakClusters?.length && probe.snapshots) {
          const growth = snapshotGrowth(probe.snapshots);
          const retained = probe.leakClusters.reduce((sum, c) => sum + c.retainedSize, 0);
          shares.push(growth.total > 0 ? retained / growth.total : Number.NaN);
          codeShares.push(growth.total > 0 ? growth.code / growth.total : Number.NaN);
          top ??= probe.leakClusters[0];
        } else if (probe?.snapshotGrowth) {
          // No cluster: what the report says grew instead.
          const first = probe.snapshotGrowth.grew[0];
          grew.push(first ? `${first.name} ${kb(first.sizeDelta)} of ${kb(probe.snapshotGrowth.heapDelta)}` : `heap ${kb(probe.snapshotGrowth.heapDelta)}`);
        }
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
      const rate = probe?.growth ? `${kb(probe.growth.bytesPerSecond)}/s` : 'no growth figure';
      process.stderr.write(`${program}${fixed ? ' (fixed)' : ''} run ${run + 1}: ${verdicts.at(-1)}, ${rate}\n`);
    }
    const path = top ? top.path.slice(-3).join(' → ') : '';
    const cluster = top ? `${top.constructor} ×${top.count}, ${kb(top.retainedSize)}, \`… → ${path}\`` : grew.length ? `none; grew most: ${grew.join('; ')}` : '-';
    const percent = (list) => list.map((s) => `${Math.round(s * 100)}%`).join(' / ');
    const share = shares.length ? `${percent(shares)} (compiled code: ${percent(codeShares)})` : '-';
    const growth = rates.map((r) => (r / 1024).toFixed(1)).join(' / ');
    rows.push(`| ${program}${fixed ? ' (fixed)' : ''} | ${fixed ? `pass (${fix})` : `fail (${leak})`} | ${verdicts.join(' / ')} | ${growth} | ${cluster} | ${share} |`);
  }
}
console.log('| pair | expected | verdicts | heap growth (KB/s) | top cluster (constructor ×count, retained, path end) | clusters / heap growth (of which compiled code) |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const row of rows) console.log(row);
