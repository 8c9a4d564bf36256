import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { SoakReport } from '../../src/types.js';
import { assertOneLine, fixture, runCli, tempDir } from '../support/cli.js';

test('bad options: every problem in one line, exit 2', async () => {
  const result = await runCli(['soak', 'x', '--duration', 'abc', '--budget', 'growthRate=fast', '--budget', 'speed=1']);
  assert.equal(result.code, 2);
  assertOneLine(result.stderr, /^memprobe: invalid options: /);
  assert.match(result.stderr, /--duration: 'abc' is not a duration/);
  assert.match(result.stderr, /--budget growthRate: 'fast' is not a rate/);
  assert.match(result.stderr, /--budget 'speed=1': expected name=value/);
});

test('an unknown probe name and a missing file are usage errors naming them', async () => {
  const unknown = await runCli(['soak', 'no-such-probe']);
  assert.equal(unknown.code, 2);
  assertOneLine(unknown.stderr, /unknown probe 'no-such-probe' \(built-in: /);
  const missing = await runCli(['soak', './missing/probe.mjs']);
  assert.equal(missing.code, 2);
  assertOneLine(missing.stderr, /no probe file at .*missing\/probe\.mjs/);
});

test('an unknown option is a usage error (exit 2)', async () => {
  const result = await runCli(['soak', '--frobnicate']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /unknown option '--frobnicate'/);
});

async function soakFault(probe: string, extra: string[] = []): Promise<{ code: number | null; report: SoakReport; stdout: string; leftovers: number[] }> {
  const json = join(tempDir(), 'report.json');
  const result = await runCli(['soak', fixture(probe), '--duration', '4s', '--json', json, ...extra]);
  assert.ok(existsSync(json), `no report written: ${result.stderr}`);
  return { code: result.code, report: JSON.parse(readFileSync(json, 'utf8')) as SoakReport, stdout: result.stdout, leftovers: result.leftovers };
}

test('a probe that throws in setup is an error naming the cause (exit 2)', async () => {
  const { code, report, stdout, leftovers } = await soakFault('throws-in-setup.mjs');
  assert.equal(code, 2);
  assert.equal(report.probes[0]?.verdict, 'error');
  assert.deepEqual(report.probes[0]?.fault?.kind, 'setup');
  assert.match(stdout, /setup: database unreachable/);
  assert.doesNotMatch(stdout, /\n\s+at /);
  assert.deepEqual(leftovers, []);
});

test('a probe that throws in an iteration names the iteration (exit 2)', async () => {
  const { code, report, stdout } = await soakFault('throws-in-iteration.mjs');
  assert.equal(code, 2);
  assert.equal(report.probes[0]?.fault?.kind, 'iteration');
  assert.match(stdout, /iteration: iteration 5000: cannot read the queue/);
});

test('a file that is not a probe says what is missing (exit 2)', async () => {
  const { code, stdout } = await soakFault('not-a-probe.mjs');
  assert.equal(code, 2);
  assert.match(stdout, /not a probe: name must be a non-empty string; iteration must be a function/);
});

test('a child that crashes is reported with its signal (exit 2)', async () => {
  const { code, report, leftovers } = await soakFault('crashes.mjs');
  assert.equal(code, 2);
  assert.equal(report.probes[0]?.fault?.kind, 'crash');
  assert.match(report.probes[0]!.fault!.message, /killed by SIGSEGV/);
  assert.deepEqual(leftovers, []);
});

test('a child that runs out of memory is a failed probe with its memory at the end (exit 1)', async () => {
  const { code, report, stdout } = await soakFault('runs-out-of-memory.mjs', ['--max-old-space-size', '64']);
  assert.equal(code, 1);
  const probe = report.probes[0]!;
  assert.equal(probe.verdict, 'fail');
  assert.equal(probe.fault?.kind, 'out-of-memory');
  assert.match(probe.fault!.message, /heap limit \d+ MB/);
  assert.equal(probe.budgets.find((b) => b.name === 'heapLimit')?.status, 'fail');
  assert.ok(probe.process.peakRss === null || probe.process.peakRss > 32 * 1024 * 1024);
  assert.match(stdout, /out-of-memory: the child ran out of memory/);
});

test('a child that stops answering is killed after --timeout (exit 2)', async () => {
  const { code, report, leftovers } = await soakFault('hangs.mjs', ['--timeout', '2s']);
  assert.equal(code, 2);
  assert.equal(report.probes[0]?.fault?.kind, 'timeout');
  assert.match(report.probes[0]!.fault!.message, /sent nothing for 2000 ms during warmup; killed/);
  assert.deepEqual(leftovers, []);
});

test('Ctrl-C writes the partial report, kills the child and exits 130', async () => {
  const json = join(tempDir(), 'report.json');
  const started = Date.now();
  const result = await runCli(['soak', fixture('leaky.mjs'), fixture('clean.mjs'), '--duration', '60s', '--json', json], {
    onSpawn: (child, output) => {
      const poll = setInterval(() => {
        // Interrupt once the soak is under way (the first progress line).
        if (/leaky: \d+\/\d+ s/.test(output())) {
          clearInterval(poll);
          child.kill('SIGINT');
        }
      }, 100);
      child.on('close', () => clearInterval(poll));
    },
  });
  assert.equal(result.code, 130, result.stderr);
  assert.ok(Date.now() - started < 30_000, 'the interrupt did not stop the run');
  const report = JSON.parse(readFileSync(json, 'utf8')) as SoakReport;
  assert.equal(report.interrupted, true);
  assert.equal(report.probes.length, 1);
  assert.equal(report.probes[0]?.fault?.kind, 'interrupted');
  assert.ok(report.probes[0]!.samples.length > 2, 'the samples measured before Ctrl-C are kept');
  assert.match(result.stdout, /INTERRUPTED \(partial report\)/);
  assert.deepEqual(result.leftovers, []);
});
