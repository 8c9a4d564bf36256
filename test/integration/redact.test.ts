import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, runCli, tempDir } from '../support/cli.js';
import { runSnapshotScript, writeThreeSnapshots } from '../support/heap-fixtures.js';

/** A process holding secrets made at run time: a token string, a password in a closure, a header in a Map. */
function writeSecrets(dir: string): { file: string; secrets: string[] } {
  runSnapshotScript(
    `
    const { randomBytes } = require('crypto');
    const secrets = [randomBytes(16).toString('hex'), randomBytes(12).toString('hex'), randomBytes(20).toString('base64url')];
    globalThis.apiToken = secrets[0];
    globalThis.login = (() => { const password = secrets[1]; return () => password.length; })();
    globalThis.headers = new Map([['authorization', secrets[2]]]);
    require('v8').writeHeapSnapshot(require('path').join(process.env.DIR, 'secrets-before.heapsnapshot'));
    class Session { constructor(i) { this.user = 'user-' + i; } }
    globalThis.sessions = Array.from({ length: 100 }, (_, i) => new Session(i));
    require('fs').writeFileSync(require('path').join(process.env.DIR, 'secrets.json'), JSON.stringify(secrets));
    require('v8').writeHeapSnapshot(require('path').join(process.env.DIR, 'secrets.heapsnapshot'));
    `,
    dir,
  );
  return { file: join(dir, 'secrets.heapsnapshot'), secrets: JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')) as string[] };
}

const json = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

test('redact: no secret is left in the file; inspect gives the same classes, objects, ids and sizes', async () => {
  const dir = tempDir();
  const { file, secrets } = writeSecrets(dir);
  const original = readFileSync(file, 'latin1');
  for (const secret of secrets) assert.ok(original.includes(secret), 'the original holds the secret');
  const redacted = join(dir, 'redacted.heapsnapshot');
  const result = await runCli(['redact', file, redacted]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /strings replaced/);
  const bytes = readFileSync(redacted, 'latin1');
  for (const secret of secrets) assert.ok(!bytes.includes(secret), `secret ${secret.slice(0, 4)}… is still in the redacted file`);

  for (const [input, out] of [[file, 'a.json'], [redacted, 'b.json']] as const) {
    const inspected = await runCli(['inspect', input, '--json', join(dir, out)]);
    assert.equal(inspected.code, 0, inspected.stderr);
  }
  type Inspect = { constructors: unknown[]; largestObjects: Array<{ id: number; type: string; selfSize: number; retainedSize: number; path: string[] }> };
  const a = json<Inspect>(join(dir, 'a.json'));
  const b = json<Inspect>(join(dir, 'b.json'));
  assert.deepEqual(b.constructors, a.constructors);
  const shape = (o: Inspect['largestObjects'][number]) => ({ id: o.id, type: o.type, selfSize: o.selfSize, retainedSize: o.retainedSize, path: o.path });
  assert.deepEqual(b.largestObjects.map(shape), a.largestObjects.map(shape));

  const kept = await runCli(['redact', file, join(dir, 'kept.heapsnapshot'), '--keep-values', `^${secrets[0]}$`]);
  assert.equal(kept.code, 0, kept.stderr);
  assert.ok(readFileSync(join(dir, 'kept.heapsnapshot'), 'latin1').includes(secrets[0]!), '--keep-values keeps a matching value');
});

/** A diff report without the file names (they differ between the original and the redacted run). */
function withoutFiles(report: Record<string, unknown>): Record<string, unknown> {
  const { files: _files, ...rest } = report;
  return rest;
}

test('redact: the two-snapshot diff gives the same report on redacted files', async () => {
  const dir = tempDir();
  const { file, secrets } = writeSecrets(dir);
  const before = join(dir, 'secrets-before.heapsnapshot');
  const pairs = [[before, file], [join(dir, 'r-before.heapsnapshot'), join(dir, 'r-after.heapsnapshot')]] as const;
  for (const [input, out] of [[before, pairs[1][0]], [file, pairs[1][1]]] as const) {
    const result = await runCli(['redact', input, out]);
    assert.equal(result.code, 0, result.stderr);
    const bytes = readFileSync(out, 'latin1');
    for (const secret of secrets) assert.ok(!bytes.includes(secret), `${secret.slice(0, 4)}… is still in ${out}`);
  }
  const reports = [];
  for (const [index, [a, b]] of pairs.entries()) {
    const result = await runCli(['diff', a, b, '--json', join(dir, `diff-${index}.json`)]);
    assert.equal(result.code, 0, result.stderr);
    reports.push(withoutFiles(json<Record<string, unknown>>(join(dir, `diff-${index}.json`))));
  }
  assert.ok(JSON.stringify(reports[0]).includes('Session'), 'the diff sees the 100 new Sessions');
  assert.deepEqual(reports[1], reports[0]);
});

const DEVTOOLS = join(ROOT, 'bench', 'heap', 'node_modules', 'chrome-devtools-frontend');

test(
  "redact: Chrome DevTools' own snapshot code reads the same dominators and sizes in the redacted file",
  { skip: existsSync(DEVTOOLS) ? false : 'bench/heap is not installed (cd bench/heap && npm ci)' },
  async () => {
    const dir = tempDir();
    const { file } = writeSecrets(dir);
    const redacted = join(dir, 'redacted.heapsnapshot');
    assert.equal((await runCli(['redact', file, redacted])).code, 0);
    const check = (input: string): unknown => {
      const script = join(ROOT, 'bench', 'heap', 'devtools-check.mjs');
      const run = spawnSync(process.execPath, [script, input], { encoding: 'utf8', timeout: 120_000 });
      assert.equal(run.status, 0, `devtools-check ${input}: ${run.stdout}${run.stderr}`);
      return JSON.parse(run.stdout) as unknown;
    };
    const original = check(file);
    assert.deepEqual(check(redacted), original);
  },
);

test('redact: the three-snapshot leak method finds the same clusters on redacted files', async () => {
  const dir = tempDir();
  const { base, target, final } = writeThreeSnapshots(dir, 2000, 2000);
  const redacted = await Promise.all(
    [base, target, final].map(async (file) => {
      const out = file.replace(/\.heapsnapshot$/, '.redacted.heapsnapshot');
      const result = await runCli(['redact', file, out]);
      assert.equal(result.code, 0, result.stderr);
      return out;
    }),
  );
  await runCli(['diff', base, target, final, '--json', join(dir, 'a.json')]);
  await runCli(['diff', ...redacted, '--json', join(dir, 'b.json')]);
  type Leaks = { summary: unknown; clusters: Array<{ constructor: string; count: number; retainedSize: number; path: string[] }> };
  const a = json<Leaks>(join(dir, 'a.json'));
  const b = json<Leaks>(join(dir, 'b.json'));
  assert.equal(a.clusters[0]?.constructor, 'LeakedSession');
  assert.deepEqual(b.summary, a.summary);
  const shape = (c: Leaks['clusters'][number]) => ({ constructor: c.constructor, count: c.count, retainedSize: c.retainedSize, path: c.path });
  assert.deepEqual(b.clusters.map(shape), a.clusters.map(shape));
});

test('redact: bad input is one line, exit 2; the input is never the output', async () => {
  const dir = tempDir();
  const { file } = writeSecrets(dir);
  const same = await runCli(['redact', file, file]);
  assert.equal(same.code, 2);
  assert.match(same.stderr, /^memprobe: OUT: .* is one of the inputs/);
  const missing = await runCli(['redact', join(dir, 'nope.heapsnapshot'), join(dir, 'out.heapsnapshot')]);
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr.trim().split('\n').length, 1, missing.stderr);
  const pattern = await runCli(['redact', file, join(dir, 'out.heapsnapshot'), '--keep-values', '(']);
  assert.equal(pattern.code, 2);
  assert.match(pattern.stderr, /--keep-values: '\(' is not a regular expression/);
});
