/**
 * Snapshots redacted as they are written: `snapshot --pid --redact` and `soak --snapshots --redact`. A real
 * process holds secrets made at run time (fixtures/heap/secrets.mjs); none may be left on disk, in the output
 * or in any file beside it (no unredacted temporary stays behind).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { SoakReport } from '../../src/types.js';
import { ROOT, runCli, tempDir } from '../support/cli.js';

const secretsOf = (file: string): string[] => JSON.parse(readFileSync(file, 'utf8')) as string[];

/** Every file under `dir`, and that none of them holds a secret's bytes. */
function assertNoSecretIn(dir: string, secrets: readonly string[]): string[] {
  const files = readdirSync(dir);
  for (const name of files) {
    const bytes = readFileSync(join(dir, name));
    for (const secret of secrets) {
      assert.equal(bytes.indexOf(secret), -1, `${name} holds secret ${secret.slice(0, 4)}…`);
    }
  }
  return files;
}

test('snapshot --pid --redact writes only the redacted snapshot; inspect reads it like the original', async () => {
  const dir = tempDir();
  const secretsFile = join(tempDir(), 'secrets.json');
  const script = join(ROOT, 'fixtures', 'heap', 'secrets-program.mjs');
  const program = spawn(process.execPath, [script, secretsFile], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    await new Promise((resolve) => program.stdout.once('data', resolve));
    const secrets = secretsOf(secretsFile);
    const plain = join(tempDir(), 'plain.heapsnapshot');
    const plainRun = await runCli(['snapshot', '--pid', String(program.pid), '--out', plain]);
    assert.equal(plainRun.code, 0, plainRun.stderr);
    const plainBytes = readFileSync(plain);
    for (const secret of secrets) assert.notEqual(plainBytes.indexOf(secret), -1, 'the plain snapshot holds it');

    const redacted = join(dir, 'redacted.heapsnapshot');
    const result = await runCli(['snapshot', '--pid', String(program.pid), '--out', redacted, '--redact']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /redacted: [\d,]+ of [\d,]+ strings replaced/);
    assert.equal(statSync(redacted).mode & 0o777, 0o600);
    assert.deepEqual(assertNoSecretIn(dir, secrets), ['redacted.heapsnapshot'], 'no temporary is left beside it');
    const report = join(tempDir(), 'r.json');
    const inspected = await runCli(['inspect', redacted, '--json', report]);
    assert.equal(inspected.code, 0, inspected.stderr);
    assert.ok(readFileSync(report, 'utf8').includes('"Map"'), 'the redacted snapshot keeps its class names');
    assert.equal(program.exitCode, null, 'the program keeps running');
  } finally {
    program.kill();
  }
});

test('soak --snapshots --redact leaves three redacted snapshots and nothing unredacted in --out', async () => {
  const out = tempDir();
  const secretsFile = join(tempDir(), 'secrets.json');
  const json = join(tempDir(), 'report.json');
  const probe = join(ROOT, 'fixtures', 'heap', 'secrets-probe.mjs');
  const flags = ['--duration', '4s', '--snapshots', '--redact', '--out', out, '--json', json, '-o', `secrets=${secretsFile}`];
  const result = await runCli(['soak', probe, ...flags]);
  assert.ok(result.code === 0 || result.code === 1, result.stdout + result.stderr);
  const secrets = secretsOf(secretsFile);
  const { snapshots, notes } = (JSON.parse(readFileSync(json, 'utf8')) as SoakReport).probes[0]!;
  assert.ok(snapshots, `no snapshots in the report: ${notes.join('; ')}`);
  for (const file of [snapshots.baseline, snapshots.target, snapshots.final]) {
    assert.equal(statSync(file).mode & 0o777, 0o600, file);
    assert.match(readFileSync(file, 'latin1'), /<redacted>/, `${file} is redacted`);
  }
  const files = assertNoSecretIn(out, secrets);
  assert.deepEqual(files.filter((f) => !f.endsWith('.heapsnapshot')), [], 'no temporary is left in --out');
  assert.equal(files.length, 3);
});

test('soak --redact without --snapshots is a usage error', async () => {
  const probe = join(ROOT, 'fixtures', 'heap', 'secrets-probe.mjs');
  const result = await runCli(['soak', probe, '--redact', '--duration', '2s']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /--redact goes with --snapshots/);
});
