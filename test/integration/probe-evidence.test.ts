import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { SoakReport } from '../../src/types.js';
import { fixture, runCli, tempDir } from '../support/cli.js';

// Verdicts from the evidence in probe mode: a probe soaked without --duration runs in its child until its leak
// question is decided, as a program does; a leak the growth budget lets through is called and its store named.

async function soakUntilDecided(probe: string) {
  const dir = tempDir();
  const json = join(dir, 'report.json');
  const result = await runCli(['soak', probe, '--no-progress', '--out', dir, '--json', json]);
  const report = JSON.parse(readFileSync(json, 'utf8')) as SoakReport;
  return { ...result, report, probe: report.probes[0]!, dir };
}

test('a probe leaking ~10 KB/s (far under the 512 KB/s growth budget) is called a leak and its Map named', async () => {
  const { code, stdout, stderr, probe, report } = await soakUntilDecided(fixture('leaks-slowly.mjs'));
  assert.equal(code, 1, stdout + stderr);
  assert.equal(report.settings.untilDecided, true);
  assert.equal(probe.leak?.status, 'leak', stdout);
  assert.deepEqual(probe.leak.store?.path.slice(-2), ['sessions (Map)', '[*] (Session)'], stdout);
  assert.equal(probe.budgets.find((b) => b.name === 'growthRate')?.status, 'pass', 'the budget alone passes it');
  assert.equal(probe.stop?.reason, 'decided');
  assert.ok(probe.stop.confirmed, 'snapshots were taken to name it');
  assert.ok(probe.snapshots, 'the snapshots that name a leak are kept');
  assert.match(stdout, /leak question +LEAK: the store grows/);
});

test('the built-in offline queue (queues that fill and drain, histories at their cap) is no leak', async () => {
  const { code, stdout, stderr, probe, dir } = await soakUntilDecided('offline-queue');
  assert.equal(code, 0, stdout + stderr);
  assert.equal(probe.leak?.status, 'no-leak', stdout);
  assert.equal(probe.stop?.reason, 'decided');
  // Snapshots taken for a question that was no leak are deleted.
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.endsWith('.heapsnapshot')),
    [],
  );
});
