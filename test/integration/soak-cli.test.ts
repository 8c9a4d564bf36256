import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { SoakReport } from '../../src/types.js';
import { fixture, runCli, tempDir } from '../support/cli.js';

const readReport = (file: string): SoakReport => JSON.parse(readFileSync(file, 'utf8')) as SoakReport;

test('a leaking probe fails a 16 KB/s budget and a clean one passes; the JSON holds the contract', async () => {
  const json = join(tempDir(), 'report.json');
  const result = await runCli(['soak', fixture('leaky.mjs'), fixture('clean.mjs'), '--duration', '16s', '--budget', 'growthRate=16KB/s', '--json', json]);
  assert.equal(result.code, 1, result.stdout + result.stderr);
  assert.deepEqual(result.leftovers, []);
  const report = readReport(json);
  assert.equal(report.schemaVersion, 1);
  assert.equal(report.verdict, 'fail');
  const [leaky, clean] = report.probes;
  assert.equal(leaky?.name, 'leaky');
  assert.equal(leaky?.verdict, 'fail');
  // 64 KB/s retained; the measured rate must be in the right range, not just "positive".
  assert.ok(leaky!.growth!.bytesPerSecond > 40 * 1024 && leaky!.growth!.bytesPerSecond < 100 * 1024, String(leaky!.growth!.bytesPerSecond));
  assert.ok(leaky!.growth!.ciLow <= leaky!.growth!.bytesPerSecond && leaky!.growth!.bytesPerSecond <= leaky!.growth!.ciHigh);
  const broken = leaky!.budgets.find((b) => b.status === 'fail');
  assert.equal(broken?.name, 'growthRate');
  assert.equal(broken?.limit, 16 * 1024);
  assert.equal(clean?.verdict, 'pass');
  for (const probe of report.probes) {
    assert.ok(probe.iterations > 0);
    assert.ok(probe.durationMs > 3000);
    assert.equal(typeof probe.externalGrowth?.bytesPerSecond, 'number');
    assert.ok(probe.gcShare !== null && probe.gcShare > 0 && probe.gcShare < 0.5);
  }
  assert.match(result.stdout, /FAIL\s+leaky/);
  assert.match(result.stdout, /PASS\s+clean/);
  assert.match(result.stdout, /verdict: FAIL/);
});

test('TypeScript and CommonJS probe files load, an enum too, with no warning; the probe budget and per-item figures are used', async () => {
  const json = join(tempDir(), 'report.json');
  const files = [fixture('typed-probe.ts'), fixture('enum-probe.ts'), fixture('commonjs-probe.cjs')];
  // --verbose passes the child's stderr through, where a deprecated loader API would warn.
  const result = await runCli(['soak', ...files, '--duration', '18s', '--verbose', '--json', json]);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.doesNotMatch(result.stderr, /DeprecationWarning|ExperimentalWarning/);
  const report = readReport(json);
  assert.deepEqual(report.probes.map((p) => [p.name, p.verdict]), [['typed-probe', 'pass'], ['enum-probe', 'pass'], ['commonjs-probe', 'pass']]);
  const typed = report.probes[0]!;
  assert.equal(typed.budgets.find((b) => b.name === 'growthRate')?.limit, 256 * 1024);
  assert.equal(typed.budgets.find((b) => b.name === 'gcRecovery')?.status === 'skipped' || typed.gcRecovery !== null, true);
});

test('budgets: the command line beats the config file, which beats the probe file', async () => {
  const dir = tempDir();
  const json = join(dir, 'report.json');
  writeFileSync(
    join(dir, 'memprobe.config.json'),
    JSON.stringify({ duration: '8s', budgets: { growthRate: '1MB/s' }, probeBudgets: { 'typed-probe': { growthRate: '2MB/s' } } }),
  );
  const result = await runCli(['soak', fixture('typed-probe.ts'), fixture('leaky.mjs'), '--budget', 'gcRecovery=20%', '--json', json], { cwd: dir });
  const report = readReport(json);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.equal(report.settings.durationMs, 8000);
  const limit = (probe: number, name: string) => report.probes[probe]!.budgets.find((b) => b.name === name)?.limit;
  assert.equal(limit(0, 'growthRate'), 2 * 1024 * 1024);
  assert.equal(limit(1, 'growthRate'), 1024 * 1024);
  assert.equal(limit(0, 'gcRecovery'), 0.2);
});

test('--help explains how the duration is shared and the exit codes; --version prints the version', async () => {
  const help = await runCli(['soak', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /TOTAL time, shared equally between the probes/);
  assert.match(help.stdout, /Exit codes: 0/);
  const version = await runCli(['--version']);
  assert.equal(version.code, 0);
  assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+$/);
});

test("a probe's own checks become budgets and can fail it", async () => {
  const json = join(tempDir(), 'report.json');
  const result = await runCli(['soak', fixture('self-checks.mjs'), '--duration', '3s', '--json', json]);
  assert.equal(result.code, 1, result.stdout + result.stderr);
  const probe = readReport(json).probes[0]!;
  assert.equal(probe.verdict, 'fail');
  assert.ok(probe.metrics.operations! > 0);
  assert.deepEqual(
    probe.budgets.filter((b) => b.name === 'p95Ms' || b.name === 'successRate').map((b) => [b.name, b.status]),
    [['p95Ms', 'pass'], ['successRate', 'fail']],
  );
  assert.match(result.stdout, /✗ successRate: 0.5000, budget > 0.9500/);
});

test('soak writes any format of the report registry (--report format=file); an unknown format is a usage error', async () => {
  const dir = tempDir();
  const [junit, markdown] = [join(dir, 'junit.xml'), join(dir, 'summary.md')];
  const args = ['soak', fixture('self-checks.mjs'), '--duration', '3s', '--report', `junit=${junit}`, '--report', `markdown=${markdown}`];
  const result = await runCli(args);
  assert.equal(result.code, 1, result.stdout + result.stderr);
  assert.match(readFileSync(junit, 'utf8'), /<failure message="successRate: 0\.5000, budget at least 0\.9500"/);
  assert.match(readFileSync(markdown, 'utf8'), /self-checks/);
  const refused = await runCli(['soak', fixture('self-checks.mjs'), '--report', `pdf=${join(dir, 'x.pdf')}`]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /^memprobe: --report 'pdf=.*': expected format=file with format one of json, junit, markdown, html\n$/);
});
