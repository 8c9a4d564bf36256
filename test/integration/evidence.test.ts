import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { SoakReport } from '../../src/types.js';
import { runCli } from '../support/cli.js';
import { REAL_PROGRAMS, realProgramsSkip, soakDir } from '../support/real-programs.js';

// Verdicts from the evidence: slow programs on real npm packages (fixtures/real-programs/slow), soaked with default
// settings only (no --duration, --warmup or budget). The run stops when its evidence decides.
const FOLDER = REAL_PROGRAMS;
const skip = realProgramsSkip;

async function soakDefault(program: string, leakBytesPerSecond: number) {
  const dir = soakDir();
  const json = join(dir, 'report.json');
  const result = await runCli([
    'soak',
    '--no-progress',
    '--out',
    dir,
    '--json',
    json,
    '--drive',
    join(FOLDER, 'driver.mjs'),
    '--',
    'env',
    `LEAK_BPS=${leakBytesPerSecond}`,
    'node',
    join(FOLDER, 'slow', `${program}.mjs`),
  ]);
  const report = JSON.parse(readFileSync(json, 'utf8')) as SoakReport;
  return { ...result, report, probe: report.probes[0]!, dir };
}

test(
  'a slow session leak (2 KB/s, far under the growth budget) is called a leak and its store named',
  { skip },
  async () => {
    const { code, stdout, stderr, probe, report, leftovers } = await soakDefault('session-login', 2048);
    assert.equal(code, 1, stdout + stderr);
    assert.equal(probe.leak?.status, 'leak', stdout);
    assert.deepEqual(probe.leak.store?.path.slice(-2), ['sessions (Object)', '[*] (string)'], stdout);
    assert.ok(probe.leak.store!.grewBytes > 0);
    assert.equal(probe.budgets.find((b) => b.name === 'growthRate')?.status, 'pass', 'the budget alone passes it');
    assert.equal(report.settings.untilDecided, true);
    assert.equal(probe.stop?.reason, 'decided');
    assert.ok(probe.stop.confirmed, 'snapshots were taken to name it');
    assert.match(
      stdout,
      /leak question +LEAK: the store grows \+[\d.]+ (B|KB)\/s: \+[\d.]+ MB a day, the heap limit in/,
    );
    assert.deepEqual(leftovers, []);
  },
);

test('a cache filling to its bound, then turning over, is no leak', { skip }, async () => {
  const { code, stdout, stderr, probe, leftovers, dir } = await soakDefault('lru-fill', 0);
  assert.equal(code, 0, stdout + stderr);
  assert.equal(probe.leak?.status, 'no-leak', stdout);
  assert.equal(probe.verdict, 'pass');
  // Snapshots taken to settle the question are deleted when it was no leak.
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.endsWith('.heapsnapshot')),
    [],
  );
  assert.equal(probe.snapshots, null);
  assert.notEqual(probe.budgets.find((b) => b.name === 'gcRecovery')?.status, 'fail', stdout);
  assert.deepEqual(leftovers, []);
});
