import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { SoakReport } from '../../src/types.js';
import { ROOT, runCli, tempDir } from '../support/cli.js';

// Verdicts from the evidence: slow programs on real npm packages (fixtures/real-programs/slow), soaked with default
// settings only (no --duration, --warmup or budget). The run stops when its evidence decides.
const FOLDER = join(ROOT, 'fixtures', 'real-programs');
const installed = existsSync(join(FOLDER, 'node_modules', 'lru-cache'));
const skip = installed ? false : 'fixtures/real-programs is not installed (npm ci --prefix fixtures/real-programs)';
const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function soakDefault(program: string, leakBytesPerSecond: number) {
  const dir = tempDir();
  dirs.push(dir);
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
