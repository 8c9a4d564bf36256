import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ProfileSummaries } from '../../src/types.js';
import { ROOT, runCli, tempDir } from '../support/cli.js';

const program = join(ROOT, 'fixtures', 'programs', 'self-leaking.mjs');

test('memprobe profile -- node app.js: the leaking function leads the surviving allocations; the program is stopped', async () => {
  const out = tempDir();
  const json = join(out, 'profile.json');
  const result = await runCli(['profile', '--duration', '5s', '--out', out, '--json', json, '--', 'node', program]);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(result.leftovers, []);
  const { profiles } = JSON.parse(readFileSync(json, 'utf8')) as { profiles: ProfileSummaries };
  // Sampling is statistical (one sample per 32 KB): the leak must hold a large share, whatever V8 adds around it.
  const leak = profiles.heap?.topSites.find((site) => site.functionName === 'rememberTick');
  assert.ok(leak && leak.share > 0.3, JSON.stringify(profiles.heap?.topSites.slice(0, 3)));
  assert.match(leak.location, /self-leaking\.mjs:4:\d+$/);
  assert.ok(profiles.cpu?.topFunctions.some((f) => f.functionName === 'busyWork'));
  const cpu = JSON.parse(readFileSync(profiles.cpu!.file, 'utf8')) as { nodes: unknown[]; samples: unknown[] };
  assert.ok(cpu.nodes.length > 0 && cpu.samples.length > 0);
});

test('memprobe profile --pid: attaches to a running process and leaves it running', async () => {
  const target = spawn(process.execPath, [program], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    await new Promise((resolve) => target.stdout.once('data', resolve));
    const out = tempDir();
    const json = join(out, 'profile.json');
    const result = await runCli(['profile', '--duration', '2s', '--pid', String(target.pid), '--profile', 'heap', '--out', out, '--json', json]);
    assert.equal(result.code, 0, result.stderr);
    const { profiles } = JSON.parse(readFileSync(json, 'utf8')) as { profiles: ProfileSummaries };
    assert.equal(profiles.heap?.topSites[0]?.functionName, 'rememberTick');
    assert.equal(profiles.cpu, null);
    assert.equal(target.exitCode, null, 'the process must keep running');
  } finally {
    target.kill();
  }
});

test('memprobe profile: bad usage and a program that exits early are one-line errors (exit 2)', async () => {
  const none = await runCli(['profile']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /^memprobe: invalid options: name a program after --/);
  const early = await runCli(['profile', '--duration', '10s', '--', 'node', '-e', 'process.exit(3)']);
  assert.equal(early.code, 2);
  assert.equal(early.stderr.trim().split('\n').filter((l) => l.startsWith('memprobe:')).length, 1);
  assert.deepEqual(early.leftovers, []);
  const missing = await runCli(['profile', '--pid', '999999999']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot signal process 999999999/);
});
