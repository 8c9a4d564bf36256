#!/usr/bin/env node
/**
 * Benchmark (not a test): verdicts from the evidence. Soaks the slow programs of fixtures/real-programs/slow/ with
 * default settings only (`memprobe soak --drive driver.mjs -- node app.mjs`: no --duration, --warmup or budget) and
 * prints a Markdown table: verdict right, holder named, time to verdict (the memprobe command's wall time, program
 * start to report), median and max.
 *
 *   npm run build && npm ci --prefix fixtures/real-programs && node bench/evidence.mjs [--runs 5] [--only session-login]
 *
 * The Node that runs the programs is the first `node` on PATH (put another major first to test it). Leaks come from
 * rare requests at LEAK_BPS bytes/s (see slow/rare.mjs); each program's item cost is measured (the leaked items'
 * retained size in the snapshots), so the rates are what the heap gains. Runs two soaks at a time.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SLOW = join(ROOT, 'fixtures/real-programs/slow');

/** [program, LEAK_BPS (0: clean), what must hold the leak (a step of the retainer path)] */
const CASES = [
  ['session-login', 512, 'sessions'],
  ['session-login', 1024, 'sessions'],
  ['session-login', 2048, 'sessions'],
  ['metrics-customer', 1024, 'hashMap'],
  ['listener-rare', 2048, 'reload'],
  ['jit-heavy', 0, null],
  ['lru-fill', 0, null],
  ['lazy-table', 0, null],
];

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, only: { type: 'string' }, parallel: { type: 'string', default: '2' } },
});
const runs = Number(values.runs);

function soak(program, bps) {
  const out = mkdtempSync(join(tmpdir(), 'memprobe-bench-evidence-'));
  const json = join(out, 'report.json');
  const args = [join(ROOT, 'bin/memprobe.js'), 'soak', '--no-progress', '--out', out, '--json', json,
    '--drive', join(ROOT, 'fixtures/real-programs/driver.mjs'), '--', 'env', `LEAK_BPS=${bps}`, 'node', join(SLOW, `${program}.mjs`)];
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: ROOT, maxBuffer: 1 << 26 }, (error, stdout, stderr) => {
      const seconds = (performance.now() - started) / 1000;
      let probe = null;
      try {
        probe = JSON.parse(readFileSync(json, 'utf8')).probes[0];
      } catch {
        process.stderr.write(`${program}: no report\n${stdout}${stderr}\n`);
      }
      rmSync(out, { recursive: true, force: true });
      resolve({ probe, seconds });
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const jobs = [];
for (const [program, bps, holder] of CASES) {
  if (values.only && !values.only.split(',').includes(program)) continue;
  for (let run = 0; run < runs; run++) jobs.push({ program, bps, holder, run });
}
const results = new Map();
let next = 0;
async function worker() {
  while (next < jobs.length) {
    const job = jobs[next++];
    const { probe, seconds } = await soak(job.program, job.bps);
    const leak = probe?.leak;
    const expected = job.bps > 0 ? 'leak' : 'no-leak';
    const status = leak?.status ?? probe?.fault?.kind ?? 'error';
    const named = job.holder === null ? null : (probe?.leakClusters ?? []).some((c) => c.path.some((step) => step.includes(job.holder)));
    const top = probe?.leakClusters?.[0];
    const perItem = top && top.count > 0 ? top.retainedSize / top.count : null;
    const line = { right: status === expected && (expected === 'no-leak' ? probe.verdict === 'pass' : probe.verdict === 'fail'), status, named, seconds, rate: leak?.steady?.bytesPerSecond ?? null, store: leak?.store?.bytesPerSecond ?? null, perItem };
    const key = `${job.program}@${job.bps}`;
    results.set(key, [...(results.get(key) ?? []), line]);
    process.stderr.write(`${key} run ${job.run + 1}: ${status} (verdict ${probe?.verdict}) in ${seconds.toFixed(0)} s${named === null ? '' : named ? ', named' : ', NOT named'}${perItem ? `, ${perItem.toFixed(0)} B/item` : ''}; ${leak?.reason ?? ''}\n`);
  }
}
await Promise.all(Array.from({ length: Number(values.parallel) }, worker));


console.log('| program | truth (LEAK_BPS) | right | named | store growth, median | time to verdict median / max (s) | answers |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
const all = [];
for (const [key, lines] of results) {
  const [program, bps] = key.split('@');
  const times = lines.map((l) => l.seconds);
  all.push(...lines);
  const truth = Number(bps) > 0 ? `leak, ${(Number(bps) / 1024).toFixed(1)} KB/s` : 'clean';
  const named = Number(bps) > 0 ? `${lines.filter((l) => l.named).length}/${lines.length}` : '-';
  const stores = lines.map((l) => l.store).filter((r) => r !== null);
  const store = stores.length > 0 ? `${(median(stores) / 1024).toFixed(2)} KB/s` : '-';
  console.log(`| ${program} | ${truth} | ${lines.filter((l) => l.right).length}/${lines.length} | ${named} | ${store} | ${median(times).toFixed(0)} / ${Math.max(...times).toFixed(0)} | ${lines.map((l) => l.status).join(' ')} |`);
}
const times = all.map((l) => l.seconds);
console.log(`\nAll: ${all.filter((l) => l.right).length}/${all.length} right; time to verdict median ${median(times).toFixed(0)} s, max ${Math.max(...times).toFixed(0)} s.`);
