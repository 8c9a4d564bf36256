import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { SoakReport } from '../../src/types.js';
import { ROOT, runCli, tempDir } from '../support/cli.js';

const service = join(ROOT, 'fixtures', 'programs', 'request-log-service.mjs');
const driver = join(ROOT, 'fixtures', 'programs', 'steady-driver.mjs');

async function soakProgram(args: string[], program: string[]) {
  const json = join(tempDir(), 'report.json');
  const result = await runCli(['soak', '--json', json, ...args, '--', ...program]);
  return { ...result, report: JSON.parse(readFileSync(json, 'utf8')) as SoakReport };
}

test('program mode: a service keeping every request fails a 16 KB/s budget; its ring-buffer twin passes', async () => {
  const args = ['--duration', '10s', '--drive', driver, '--budget', 'growthRate=16KB/s'];
  const leaky = await soakProgram(args, ['node', service]);
  assert.equal(leaky.code, 1, leaky.stdout + leaky.stderr);
  const probe = leaky.report.probes[0]!;
  assert.equal(probe.budgets.find((b) => b.name === 'growthRate' && b.memory === 'heap')?.status, 'fail');
  assert.ok(probe.samples.length >= 10);
  assert.ok(probe.metrics.requests! > 500, String(probe.metrics.requests));
  assert.deepEqual(leaky.leftovers, [], 'the program and the driver must be gone');

  const ring = await soakProgram(args, ['env', 'RING_SIZE=200', 'node', service]);
  assert.equal(ring.code, 0, ring.stdout + ring.stderr);
  assert.equal(ring.report.verdict, 'pass');
  assert.deepEqual(ring.leftovers, []);
});

test('program mode: a program that never listens is a clear error after --listen-timeout (exit 2)', async () => {
  const result = await soakProgram(['--duration', '6s', '--drive', driver, '--listen-timeout', '2s'], ['node', '-e', 'setInterval(() => {}, 1000)']);
  assert.equal(result.code, 2);
  assert.match(result.report.probes[0]!.fault!.message, /did not listen on 127\.0\.0\.1:\d+ \(its PORT environment variable\) within 2000 ms/);
  assert.deepEqual(result.leftovers, []);
});

test('program mode: a program that crashes is reported with its exception and its memory (exit 2)', async () => {
  const result = await soakProgram(['--duration', '8s'], ['node', '-e', "setTimeout(() => { throw new Error('boom') }, 3500); setInterval(() => {}, 100)"]);
  assert.equal(result.code, 2);
  const fault = result.report.probes[0]!.fault!;
  assert.equal(fault.kind, 'crash');
  assert.match(fault.message, /exited before the soak ended: Error: boom; last post-GC heap [\d.]+ MB/);
  assert.ok(result.report.probes[0]!.samples.length > 0);
});

test('program mode: Ctrl-C writes the partial report and leaves no process behind (exit 130)', async () => {
  const json = join(tempDir(), 'report.json');
  const result = await runCli(['soak', '--duration', '60s', '--drive', driver, '--json', json, '--', 'node', service], {
    onSpawn: (child, output) => {
      const poll = setInterval(() => {
        if (/\d+\/\d+ s/.test(output())) {
          clearInterval(poll);
          child.kill('SIGINT');
        }
      }, 100);
      child.on('close', () => clearInterval(poll));
    },
  });
  assert.equal(result.code, 130, result.stderr);
  const report = JSON.parse(readFileSync(json, 'utf8')) as SoakReport;
  assert.equal(report.interrupted, true);
  assert.ok(report.probes[0]!.samples.length >= 2);
  assert.deepEqual(result.leftovers, []);
});

test('program mode: usage errors', async () => {
  const none = await runCli(['soak', '--']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /name the program to soak after --/);
  const driveAlone = await runCli(['soak', '--drive', driver, 'clean']);
  assert.equal(driveAlone.code, 2);
  assert.match(driveAlone.stderr, /--drive needs a program after --/);
});

test('program mode --drive URL --rate: a 15 s soak at 500 req/s fails the request-keeping service, names what leaked, and passes its ring-buffer twin', async () => {
  // A 5 s warm-up covers the program's own start (JIT, caches) on a busy machine.
  const args = ['--duration', '15s', '--warmup', '5s', '--drive', 'http://127.0.0.1:{port}/orders', '--rate', '500/s', '--budget', 'growthRate=16KB/s'];
  const leaky = await soakProgram([...args, '--snapshots', '--out', tempDir()], ['node', service]);
  assert.equal(leaky.code, 1, leaky.stdout + leaky.stderr);
  const probe = leaky.report.probes[0]!;
  assert.equal(probe.budgets.find((b) => b.name === 'growthRate' && b.memory === 'heap')?.status, 'fail');
  // The three-snapshot method names the leaked class and the array that holds it.
  const top = probe.leakClusters?.[0];
  assert.equal(top?.constructor, 'RequestContext', JSON.stringify(probe.leakClusters));
  assert.equal(top?.path.at(-2), 'requestLog (Array)');
  assert.ok(top!.count > 1000 && top!.retainedSize > 1024 * 1024, JSON.stringify(top));
  assert.match(leaky.stdout, /leaked objects .*\n.*RequestContext\n.*requestLog \(Array\)/);
  // 500/s for 15 s (warm-up included): the generator really sent them.
  assert.ok(probe.metrics.requests! > 5000, String(probe.metrics.requests));
  assert.deepEqual(leaky.leftovers, []);
  const ring = await soakProgram(args, ['env', 'RING_SIZE=200', 'node', service]);
  assert.equal(ring.code, 0, ring.stdout + ring.stderr);
  assert.deepEqual(ring.leftovers, []);
});

test('program mode: --drive must target loopback and --rate needs a URL', async () => {
  const remote = await runCli(['soak', '--drive', 'http://10.1.2.3:{port}/', '--', 'node', service]);
  assert.equal(remote.code, 2);
  assert.match(remote.stderr, /127\.0\.0\.0\/8/);
  const rateAlone = await runCli(['soak', '--rate', '100/s', '--drive', driver, '--', 'node', service]);
  assert.equal(rateAlone.code, 2);
  assert.match(rateAlone.stderr, /--rate goes with --drive URL/);
});
