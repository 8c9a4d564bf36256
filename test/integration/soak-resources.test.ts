import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ProbeReport, SoakReport } from '../../src/types.js';
import { fixture, runCli, tempDir } from '../support/cli.js';

async function soakOne(probe: string): Promise<{ code: number | null; report: ProbeReport; stdout: string }> {
  const json = join(tempDir(), 'report.json');
  const result = await runCli(['soak', fixture(probe), '--duration', '8s', '--json', json]);
  assert.deepEqual(result.leftovers, []);
  const report = JSON.parse(readFileSync(json, 'utf8')) as SoakReport;
  return { code: result.code, report: report.probes[0]!, stdout: result.stdout };
}

const status = (probe: ProbeReport, name: string) => probe.budgets.find((b) => b.name === name)?.status;

test('leaking timers fail on handle growth and the Timeout type is named', async () => {
  const { code, report, stdout } = await soakOne('leaks-timers.mjs');
  assert.equal(code, 1, stdout);
  assert.equal(status(report, 'handleGrowth'), 'fail');
  assert.equal(report.resources?.growingHandleTypes[0]?.type, 'Timeout');
  // Up to 20 intervals a second (1200 a minute); fewer when a busy machine delays the probe's 5 ms sleeps.
  assert.ok(report.resources!.handles!.perMinute > 300, String(report.resources!.handles!.perMinute));
  assert.match(stdout, /growing: Timeout \+\d+\/min/);
  assert.equal(status(report, 'fdGrowth'), 'pass');
});

test('leaking sockets fail on handle growth (TCPSocketWrap) and file descriptors', async () => {
  const { code, report } = await soakOne('leaks-sockets.mjs');
  assert.equal(code, 1);
  assert.equal(status(report, 'handleGrowth'), 'fail');
  assert.equal(report.resources?.growingHandleTypes[0]?.type, 'TCPSocketWrap');
  assert.equal(status(report, 'fdGrowth'), 'fail');
});

test('leaking file descriptors fail on fd growth while handles stay flat', async () => {
  const { code, report } = await soakOne('leaks-fds.mjs');
  assert.equal(code, 1);
  assert.equal(status(report, 'fdGrowth'), 'fail');
  // Up to 20 files a second; first and last are the medians of the window's first and last quarters.
  assert.ok(report.resources!.fds!.last - report.resources!.fds!.first > 20, JSON.stringify(report.resources!.fds));
  assert.equal(status(report, 'handleGrowth'), 'pass');
});

test('a clean probe passes every resource budget and reports event-loop delay and CPU per iteration', async () => {
  const { code, report } = await soakOne('clean.mjs');
  assert.equal(code, 0);
  assert.equal(status(report, 'handleGrowth'), 'pass');
  assert.equal(status(report, 'fdGrowth'), 'pass');
  assert.ok(report.resources!.eventLoopP99Ms! > 0);
  assert.ok(report.resources!.cpuMicrosPerIteration! > 0);
});
