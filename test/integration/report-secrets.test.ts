/**
 * Reports carry no heap values by default: a probe leaks session records and authorization headers holding a
 * token made at run time; every byte memprobe writes (stdout, stderr, every report file; the heap snapshots
 * apart, they are the heap itself) is searched for it. Without --show-values (or the config's showValues) not
 * even 8 characters of it may appear; with it, the samples carry it and the report says so.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, runCli, tempDir, type CliResult } from '../support/cli.js';

const PROBE = join(ROOT, 'fixtures', 'heap', 'secret-leak-probe.mjs');
const NOTE = /heap values shown \(--show-values\)/;

/** Every file under `dir` but the heap snapshots, as [path, text]. */
function outputFiles(dir: string): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...outputFiles(path));
    else if (!name.endsWith('.heapsnapshot') && name !== 'secrets.json') found.push([path, readFileSync(path, 'latin1')]);
  }
  return found;
}

/** Where any 8-character piece of `token` appears: `label: piece`. */
function traces(token: string, outputs: ReadonlyArray<readonly [string, string]>): string[] {
  const hits: string[] = [];
  for (const [label, text] of outputs)
    for (let i = 0; i + 8 <= token.length; i++) if (text.includes(token.slice(i, i + 8))) hits.push(`${label}: ${token.slice(i, i + 8)}`);
  return hits;
}

const streams = (name: string, r: CliResult): Array<[string, string]> => [
  [`${name} stdout`, r.stdout],
  [`${name} stderr`, r.stderr],
];

function checkConfig(dir: string, showValues: boolean): string {
  const file = join(dir, 'memprobe.config.json');
  const config = {
    probes: [PROBE],
    duration: '8s',
    warmup: '1s',
    interval: '200ms',
    snapshots: true,
    budgets: { growthRate: '1KB/s', perItem: '64B' },
    options: { secrets: join(dir, 'secrets.json') },
    ...(showValues ? { showValues: true } : {}),
  };
  writeFileSync(file, JSON.stringify(config));
  return file;
}

const tokenOf = (dir: string): string => (JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')) as string[])[0]!;

test('check, soak, diff and inspect print and write no character of a leaked token without --show-values; with it they do, and say so', async () => {
  const dir = tempDir();
  const out = join(dir, 'out');
  const check = await runCli(['check', '--config', checkConfig(dir, false), '--out', out], { cwd: dir });
  assert.equal(check.code, 1, check.stderr);
  const token = tokenOf(dir);
  const report = readFileSync(join(out, 'report.json'), 'utf8');
  assert.match(report, /"leakClusters":\s*\[\s*\{/, 'the leak was analysed: the test looks where the values would be');
  assert.match(report, /string\(\d+\)/);
  const snapshots = readdirSync(out).filter((f) => f.endsWith('.heapsnapshot')).sort();
  assert.equal(snapshots.length, 3, snapshots.join());
  assert.ok(readFileSync(join(out, snapshots.find((f) => f.includes('final'))!), 'latin1').includes(token), 'the snapshot holds it');
  const [base, final, target] = ['baseline', 'final', 'target'].map((k) => join(out, snapshots.find((f) => f.includes(k)) ?? snapshots[1]!));
  const heapDir = join(dir, 'heap');
  const diff = await runCli(['diff', base!, target!, final!, '--json', join(dir, 'diff.json')]);
  assert.equal(diff.code, 1, diff.stderr);
  const inspect = await runCli(['inspect', final!, '--json', join(dir, 'inspect.json')]);
  assert.equal(inspect.code, 0, inspect.stderr);
  const soak = await runCli(['soak', PROBE, '--duration', '6s', '--warmup', '1s', '--snapshots', '--budget', 'growthRate=1KB/s', '--budget', 'perItem=64B',
    '--option', `secrets=${join(dir, 'secrets.json')}`, '--out', heapDir, '--json', join(dir, 'soak.json'),
    '--report', `html=${join(dir, 'soak.html')}`, '--report', `junit=${join(dir, 'soak.xml')}`]);
  assert.equal(soak.code, 1, soak.stderr);
  const soakToken = tokenOf(dir);
  const hidden = [...outputFiles(dir), ...streams('check', check), ...streams('diff', diff), ...streams('inspect', inspect), ...streams('soak', soak)];
  assert.ok(hidden.length >= 12, hidden.map(([p]) => p).join());
  assert.deepEqual([...traces(token, hidden), ...traces(soakToken, hidden)], []);
  assert.ok(!hidden.some(([, text]) => NOTE.test(text)));

  // The same runs with the values shown: the token is there, with the note.
  const shownDir = tempDir();
  const shownOut = join(shownDir, 'out');
  const shownCheck = await runCli(['check', '--config', checkConfig(shownDir, true), '--out', shownOut], { cwd: shownDir });
  assert.equal(shownCheck.code, 1, shownCheck.stderr);
  const shownToken = tokenOf(shownDir);
  for (const file of ['report.json', 'junit.xml', 'report.html']) {
    const text = readFileSync(join(shownOut, file), 'utf8');
    assert.ok(text.includes(shownToken), `${file} shows the token`);
    assert.match(text, NOTE, file);
  }
  assert.ok(shownCheck.stdout.includes(shownToken));
  const shownDiff = await runCli(['diff', base!, target!, final!, '--show-values']);
  assert.ok(shownDiff.stdout.includes(token));
  assert.match(shownDiff.stdout, NOTE);
  const shownSoak = await runCli(['soak', PROBE, '--duration', '6s', '--warmup', '1s', '--snapshots', '--show-values', '--budget',
    'growthRate=1KB/s', '--budget', 'perItem=64B', '--option', `secrets=${join(shownDir, 'secrets.json')}`, '--out', join(shownDir, 'heap')]);
  assert.equal(shownSoak.code, 1, shownSoak.stderr);
  assert.ok(shownSoak.stdout.includes(tokenOf(shownDir)), shownSoak.stdout);
  assert.match(shownSoak.stdout, NOTE);
  for (const d of [dir, shownDir]) rmSync(d, { recursive: true, force: true });
});
