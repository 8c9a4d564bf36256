/**
 * Sharding end to end with the real CLI: a check run as 3 shards on this machine (one after another, as 3
 * CI runners would), merged into the reports of one run and one history line; a load split over 2
 * generators at half the rate each against a loopback server, merged exactly.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { LatencyHistogram } from '../../src/load/histogram.js';
import type { LoadReport } from '../../src/load/types.js';
import type { CheckReport } from '../../src/engine/check-report.js';
import { fixture, ROOT, runCli, tempDir } from '../support/cli.js';

const servers: ChildProcess[] = [];
after(() => servers.forEach((s) => s.kill('SIGKILL')));

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

/** Five probes (one leaking), sharing 10 s: 2 s each, sampled every 200 ms. */
function project(): string {
  const dir = tempDir();
  const probes = ['./leaky.mjs'];
  copyFileSync(fixture('leaky.mjs'), join(dir, 'leaky.mjs'));
  for (let i = 1; i <= 4; i++) {
    writeFileSync(join(dir, `clean-${i}.mjs`), readFileSync(fixture('clean.mjs'), 'utf8').replace("name: 'clean'", `name: 'clean-${i}'`));
    probes.push(`./clean-${i}.mjs`);
  }
  const config = { suites: { nightly: probes }, duration: '10s', warmup: '400ms', interval: '200ms', budgets: { growthRate: '32KB/s' }, outDir: 'out', history: 'history.jsonl', historyWindow: 5, failOnRegression: true };
  writeFileSync(join(dir, 'memprobe.config.mjs'), `export default ${JSON.stringify(config, null, 2)};\n`);
  return dir;
}

test('check --shard i/3 three times, then merge: exactly the probes, verdicts and budgets of the shards; one history line', async () => {
  const dir = project();
  const shards: CheckReport[] = [];
  for (const index of [1, 2, 3]) {
    const result = await runCli(['check', '--shard', `${index}/3`, '--out', `shard-${index}`, '--no-progress'], { cwd: dir });
    assert.ok(result.code === 0 || result.code === 1, result.stdout + result.stderr);
    assert.deepEqual(result.leftovers, []);
    assert.match(result.stderr, new RegExp(`shard ${index}/3: the history is left to memprobe merge`));
    shards.push(readJson<CheckReport>(join(dir, `shard-${index}`, 'report.json')));
  }
  assert.equal(existsSync(join(dir, 'history.jsonl')), false, 'a shard never writes the history');
  assert.deepEqual(shards.map((s) => s.probes.length), [2, 2, 1]);
  assert.deepEqual(shards.map((s) => s.shard?.index), [1, 2, 3]);
  assert.equal(new Set(shards.map((s) => s.shard?.configHash)).size, 1);
  assert.ok(shards.every((s) => s.settings.durationMs === 10_000 && s.commit === shards[0]!.commit));

  const merge = await runCli(['merge', 'shard-3', 'shard-1/report.json', 'shard-2', '--out', 'merged', '--history', 'history.jsonl'], { cwd: dir });
  const merged = readJson<CheckReport>(join(dir, 'merged', 'report.json'));
  assert.equal(merge.code, merged.verdict === 'pass' ? 0 : merged.verdict === 'error' ? 2 : 1, merge.stdout + merge.stderr);
  assert.deepEqual(merged.probes.map((p) => p.name), ['leaky', 'clean-1', 'clean-2', 'clean-3', 'clean-4']);
  const fromShards = new Map(shards.flatMap((s) => s.probes.map((p) => [p.name, p] as const)));
  for (const probe of merged.probes) {
    assert.deepEqual(probe.budgets, fromShards.get(probe.name)!.budgets);
    assert.equal(probe.verdict, fromShards.get(probe.name)!.verdict);
  }
  const worst = (['error', 'fail', 'inconclusive'] as const).find((v) => merged.probes.some((p) => p.verdict === v)) ?? 'pass';
  assert.equal(merged.verdict, worst);
  assert.deepEqual(merged.merged, { shards: 3, configHash: shards[0]!.shard!.configHash });
  assert.equal(merged.shard, undefined);
  assert.equal(merged.history?.appended, true);
  // The config's history settings reached the merge through the shards.
  assert.deepEqual([merged.history?.window, merged.history?.failOnRegression], [5, true]);
  assert.equal(readFileSync(join(dir, 'history.jsonl'), 'utf8').trim().split('\n').length, 1);
  const junit = readFileSync(join(dir, 'merged', 'junit.xml'), 'utf8');
  assert.equal((junit.match(/<testcase /g) ?? []).length, 5);
  const summary = readFileSync(join(dir, 'merged', 'summary.md'), 'utf8');
  for (const name of fromShards.keys()) assert.ok(summary.includes(name), name);

  // Merging the merged (unsharded) report alone gives back the same four reports.
  const again = await runCli(['merge', 'merged', '--out', 'again'], { cwd: dir });
  assert.equal(again.code, merge.code);
  for (const file of ['report.json', 'junit.xml', 'summary.md', 'report.html']) {
    assert.equal(readFileSync(join(dir, 'again', file), 'utf8'), readFileSync(join(dir, 'merged', file), 'utf8'), file);
  }

  const missing = await runCli(['merge', 'shard-1', 'shard-3', '--out', 'never'], { cwd: dir });
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr, 'memprobe: merge: missing shard 2/3\n');
  assert.equal(existsSync(join(dir, 'never')), false);
});

test('merge of one unsharded check report gives back its four reports, byte for byte', async () => {
  const dir = tempDir();
  copyFileSync(fixture('clean.mjs'), join(dir, 'clean.mjs'));
  writeFileSync(join(dir, 'memprobe.config.mjs'), `export default ${JSON.stringify({ probes: ['./clean.mjs'], duration: '2s', interval: '200ms', outDir: 'out' })};\n`);
  const check = await runCli(['check', '--no-progress'], { cwd: dir });
  assert.ok(check.code === 0 || check.code === 1, check.stdout + check.stderr);
  const merge = await runCli(['merge', 'out/report.json', '--out', 'merged'], { cwd: dir });
  assert.equal(merge.code, check.code, merge.stderr);
  for (const file of ['report.json', 'junit.xml', 'summary.md', 'report.html']) {
    assert.equal(readFileSync(join(dir, 'merged', file), 'utf8'), readFileSync(join(dir, 'out', file), 'utf8'), file);
  }
});

test('bad --shard is one usage line, exit 2, before anything runs', async () => {
  const dir = project();
  for (const bad of ['0/3', '4/3', 'x']) {
    const result = await runCli(['check', '--shard', bad], { cwd: dir });
    assert.equal(result.code, 2, bad);
    assert.match(result.stderr, /^memprobe: --shard: [^\n]+\n$/);
    assert.equal(existsSync(join(dir, 'out')), false);
  }
  const load = await runCli(['load', '--url', 'http://127.0.0.1:9/', '--shard', '3/2']);
  assert.equal(load.code, 2);
  assert.match(load.stderr, /^memprobe: --shard: the index must be 1\.\.2 \(got 3\/2\)\n$/);
});

function okServer(): Promise<number> {
  const child = spawn(process.execPath, [join(ROOT, 'fixtures', 'load', 'test-server.mjs'), 'ok'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  servers.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const port = /"port":(\d+)/.exec(out);
      if (port) resolve(Number(port[1]));
    });
    child.once('exit', () => reject(new Error(`test server exited: ${out}`)));
  });
}

test('load --shard 1/2 and 2/2 at half the rate each, merged: p99 of the added histograms exactly, throughput summed', async () => {
  const port = await okServer();
  const dir = tempDir();
  const args = (i: number): string[] => ['load', '--url', `http://127.0.0.1:${port}/`, '--rate', '300/s', '--duration', '2s', '--warmup', '0.3s', '--max-lag', '250ms', '--no-progress', '--shard', `${i}/2`, '--json', join(dir, `g${i}.json`)];
  const results = await Promise.all([runCli(args(1)), runCli(args(2))]);
  for (const r of results) assert.equal(r.code, 0, r.stdout + r.stderr);
  const parts = [1, 2].map((i) => readJson<LoadReport>(join(dir, `g${i}.json`)));
  assert.deepEqual(parts.map((p) => [p.settings.rate, p.shard]), [[150, { index: 1, count: 2 }], [150, { index: 2, count: 2 }]]);
  assert.ok(parts.every((p) => typeof p.hdr?.latency === 'string'));

  const merge = await runCli(['merge', join(dir, 'g2.json'), join(dir, 'g1.json'), '--json', join(dir, 'merged.json')]);
  assert.equal(merge.code, 0, merge.stdout + merge.stderr);
  const merged = readJson<LoadReport>(join(dir, 'merged.json'));
  const whole = LatencyHistogram.sum(parts.map((p) => LatencyHistogram.decode(p.hdr!.latency)));
  assert.equal(merged.latency.p99, whole.percentileMs(99));
  assert.deepEqual(merged.latency, whole.summary());
  assert.equal(merged.latency.count, parts[0]!.latency.count + parts[1]!.latency.count);
  assert.equal(merged.throughput, Math.round((parts[0]!.throughput + parts[1]!.throughput) * 10) / 10);
  assert.equal(merged.settings.rate, 300);
  assert.equal(merged.steps[0]!.sent, parts[0]!.steps[0]!.sent + parts[1]!.steps[0]!.sent);
  assert.equal(merged.generators, 2);
});
