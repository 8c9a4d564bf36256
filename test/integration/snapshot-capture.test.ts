import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, closeSync, openSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { SoakReport } from '../../src/types.js';
import { ROOT, fixture, runCli, tempDir } from '../support/cli.js';

/** The first bytes of a file: a snapshot starts with its meta header. */
function head(file: string, bytes = 64): string {
  const fd = openSync(file, 'r');
  const buffer = Buffer.alloc(bytes);
  readSync(fd, buffer, 0, bytes, 0);
  closeSync(fd);
  return buffer.toString('utf8');
}

test('soak --snapshots writes baseline, target and final snapshots, readable only by their owner', async () => {
  const out = tempDir();
  const json = join(out, 'report.json');
  const result = await runCli(['soak', fixture('leaky.mjs'), '--duration', '8s', '--snapshots', '--out', out, '--json', json]);
  // Under the growth budget; the snapshots settle the leak question, and the store that grows is a leak (exit 1).
  assert.equal(result.code, 1, result.stdout + result.stderr);
  const { snapshots, leak } = (JSON.parse(readFileSync(json, 'utf8')) as SoakReport).probes[0]!;
  assert.equal(leak?.status, 'leak', result.stdout);
  assert.ok(snapshots);
  const sizes = [snapshots.baseline, snapshots.target, snapshots.final].map((file) => {
    assert.equal(statSync(file).mode & 0o777, 0o600, file);
    assert.match(head(file), /^\{"snapshot":\{"meta":/);
    return statSync(file).size;
  });
  // The probe leaks all along: each snapshot is bigger than the one before.
  assert.ok(sizes[0]! < sizes[1]! && sizes[1]! < sizes[2]!, sizes.join(' < '));
});

test('memprobe snapshot --pid streams a snapshot of a running process and leaves it running', async () => {
  const target = spawn(process.execPath, [join(ROOT, 'fixtures', 'programs', 'self-leaking.mjs')], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    await new Promise((resolve) => target.stdout.once('data', resolve));
    const file = join(tempDir(), 'p.heapsnapshot');
    // Overwriting a world-readable file must not leave the snapshot world-readable.
    writeFileSync(file, 'an older file');
    chmodSync(file, 0o644);
    const result = await runCli(['snapshot', '--pid', String(target.pid), '--out', file]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.match(head(file), /^\{"snapshot":\{"meta":/);
    assert.ok(readFileSync(file, 'utf8').includes('rememberTick'));
    assert.equal(target.exitCode, null);
  } finally {
    target.kill();
  }
});

test('a failing soak with --snapshots names the leaked class and its retainer path; dropped objects are absent', async () => {
  const out = tempDir();
  const json = join(out, 'report.json');
  const result = await runCli(['soak', fixture('leaks-sessions.mjs'), '--duration', '8s', '--budget', 'growthRate=16KB/s', '--snapshots', '--out', out, '--json', json]);
  assert.equal(result.code, 1, result.stdout + result.stderr);
  const probe = (JSON.parse(readFileSync(json, 'utf8')) as SoakReport).probes[0]!;
  const top = probe.leakClusters?.[0];
  assert.equal(top?.constructor, 'LeakedSession', JSON.stringify(probe.leakClusters));
  assert.ok(top?.path.includes('sessionCache (Map)'), top?.path.join(' -> '));
  assert.ok(!probe.leakClusters!.some((c) => c.constructor === 'TempRequest'));
  assert.match(result.stdout, /LeakedSession\n\s+held by .*sessionCache \(Map\)/);
});
