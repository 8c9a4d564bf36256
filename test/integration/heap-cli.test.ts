import assert from 'node:assert/strict';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { ComparisonReport } from '../../src/heap/compare.js';
import type { InspectReport } from '../../src/heap/inspect.js';
import type { LeakReport } from '../../src/heap/leaks.js';
import { runCli, tempDir } from '../support/cli.js';
import { writeLeakedThings, writeThreeSnapshots, type ThreeSnapshots } from '../support/heap-fixtures.js';

// Snapshots are a few MB each: every folder made here is removed at the end.
const dirs: string[] = [];
const scratch = (): string => {
  const made = tempDir();
  dirs.push(made);
  return made;
};
const dir = scratch();
let leaky: ThreeSnapshots;
let quiet: ThreeSnapshots;
let things: string;

before(() => {
  leaky = writeThreeSnapshots(scratch(), 5000, 5000);
});
after(() => {
  for (const made of dirs) rmSync(made, { recursive: true, force: true });
});

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

test('three snapshots: LeakedSession is the top cluster, held by the global Map; TempRequest is absent; exit 1', async () => {
  const json = join(dir, 'leaks.json');
  const result = await runCli(['diff', leaky.base, leaky.target, leaky.final, '--json', json]);
  assert.equal(result.code, 1, result.stdout + result.stderr);
  const report = readJson<LeakReport>(json);
  assert.equal(report.status, 'leaks');
  const top = report.clusters[0]!;
  assert.equal(top.constructor, 'LeakedSession');
  assert.equal(top.count, 5000);
  assert.deepEqual(top.path.slice(0, 2), ['global', '__sessionCache (Map)']);
  assert.equal(top.path.at(-1), '[*] (LeakedSession)');
  // Each session retains itself, its id string, its user object and name, and its history array.
  assert.ok(top.retainedSize > 5000 * 100 && top.retainedSize < 5000 * 1000, String(top.retainedSize));
  assert.ok(!report.clusters.some((c) => c.constructor === 'TempRequest'), JSON.stringify(report.clusters));
  const sorted = report.clusters.map((c) => c.retainedSize);
  assert.deepEqual(sorted, [...sorted].sort((a, b) => b - a));
  assert.match(result.stdout, /#1 {2}LeakedSession ×5,000/);
  assert.match(result.stdout, /→ __sessionCache \(Map\)/);
  assert.equal((statSync(json).mode & 0o777).toString(8), '600');
});

test('three snapshots of a process that frees everything it allocates: no cluster, exit 0', async () => {
  quiet = writeThreeSnapshots(scratch(), 0, 5000);
  const json = join(dir, 'quiet.json');
  const result = await runCli(['diff', quiet.base, quiet.target, quiet.final, '--json', json]);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const report = readJson<LeakReport>(json);
  assert.equal(report.status, 'clean');
  assert.deepEqual(report.clusters, []);
  assert.match(result.stdout, /no leaks found/);
});

test('two snapshots: the comparison counts 5000 new LeakedSession and TempRequest objects gone; exit 0', async () => {
  const json = join(dir, 'comparison.json');
  const result = await runCli(['diff', leaky.base, leaky.target, '--json', json, '--top', '5']);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const report = readJson<ComparisonReport>(json);
  const sessions = report.classes.find((c) => c.name === 'LeakedSession');
  assert.equal(sessions?.newCount, 5000);
  assert.equal(sessions.deletedCount, 0);
  assert.equal(sessions.countDelta, 5000);
  assert.ok(!report.classes.some((c) => c.name === 'TempRequest' && c.newCount > 10));
});

test('inspect: LeakedThing count 1000, every constructor in the JSON, 50 largest objects with ids', async () => {
  things = writeLeakedThings(scratch());
  const json = join(dir, 'inspect.json');
  const result = await runCli(['inspect', things, '--json', json, '--top', '5']);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const report = readJson<InspectReport>(json);
  assert.equal(report.constructors.find((c) => c.name === 'LeakedThing')?.count, 1000);
  assert.ok(report.constructors.length > 50);
  assert.equal(report.largestObjects.length, 50);
  for (const o of report.largestObjects) {
    assert.equal(typeof o.id, 'number');
    assert.ok(o.type !== 'synthetic' && o.type !== 'hidden');
    assert.ok(o.retainedSize >= o.selfSize);
  }
  assert.match(result.stdout, /top 5 of \d+ constructors/);
});

test('a truncated snapshot and a corrupt one: exit 2 with one line naming the file and the byte offset', async () => {
  const bytes = readFileSync(things);
  const truncated = join(dir, 'truncated.heapsnapshot');
  writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
  const cut = await runCli(['inspect', truncated]);
  assert.equal(cut.code, 2, cut.stdout + cut.stderr);
  const lines = cut.stderr.trim().split('\n');
  assert.equal(lines.length, 1, cut.stderr);
  assert.match(lines[0]!, new RegExp(`^memprobe: ${truncated}: truncated heap snapshot: .*byte ${Math.floor(bytes.length / 2)}\\)$`));

  const corrupt = join(dir, 'corrupt.heapsnapshot');
  const final = readFileSync(leaky.final);
  const at = final.indexOf('"edges":[') + 20;
  const damaged = Buffer.from(final);
  damaged[at] = 0x7a; // 'z'
  writeFileSync(corrupt, damaged);
  const bad = await runCli(['diff', leaky.base, leaky.target, corrupt]);
  assert.equal(bad.code, 2, bad.stdout + bad.stderr);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
  assert.ok(bad.stderr.includes(`${corrupt}: unexpected byte 'z' (edges, byte ${at})`), bad.stderr);

  // BASE and TARGET are only read up to their node ids, but a truncated one is still refused.
  const shortTarget = join(dir, 'short-target.heapsnapshot');
  const target = readFileSync(leaky.target);
  writeFileSync(shortTarget, target.subarray(0, target.length - 100));
  const short = await runCli(['diff', leaky.base, shortTarget, leaky.final]);
  assert.equal(short.code, 2, short.stdout + short.stderr);
  assert.match(short.stderr, new RegExp(`${shortTarget}: truncated heap snapshot: .*\\(strings, byte ${target.length - 100}\\)`));
});

test('bad options are usage errors (exit 2)', async () => {
  const result = await runCli(['inspect', things, '--top', 'lots']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /--top: 'lots' is not a positive whole number/);
  const rules = await runCli(['diff', leaky.base, leaky.target, '--rules', 'chrome']);
  assert.equal(rules.code, 2);
  assert.match(rules.stderr, /--rules: 'chrome' is not devtools or memlab/);
});

test('inspect and diff --verbose: one line per phase on stderr (name, ms, MB read)', async () => {
  const inspected = await runCli(['inspect', leaky.final, '--verbose']);
  assert.equal(inspected.code, 0, inspected.stderr);
  const lines = inspected.stderr.trim().split('\n');
  assert.ok(lines.every((line) => /^phase [^:]+: \d+ ms, \d+\.\d MB read, rss \d+ MB$/.test(line)), inspected.stderr);
  const names = lines.map((line) => line.slice(6, line.indexOf(':')));
  const analysis = ['owned sizes', 'retaining edges', 'dominators', 'classes', 'class totals', 'largest objects'];
  assert.deepEqual(names, ['read final.heapsnapshot', ...analysis, 'retainer paths']);
  const readMb = Number(/, ([\d.]+) MB read/.exec(lines[0]!)?.[1]);
  assert.ok(readMb * 1024 * 1024 >= statSync(leaky.final).size * 0.99, `the read phase read the file: ${lines[0]}`);
  const diffed = await runCli(['diff', leaky.base, leaky.target, leaky.final, '--verbose']);
  assert.equal(diffed.code, 1, diffed.stderr);
  const reads = /^phase read ids base\.heapsnapshot: .*\nphase read ids target\.heapsnapshot: .*\nphase read final\.heapsnapshot: /;
  assert.match(diffed.stderr, reads);
  assert.match(diffed.stderr, /\nphase leak clusters: \d+ ms/);
});
