import assert from 'node:assert/strict';
import { test } from 'node:test';
import { heapProgress, phaseLine } from '../../../src/cli/heap-progress.js';
import { Phases, type PhaseRecord } from '../../../src/core/phases.js';

test('phases: each phase is timed with the bytes read during it; an inner phase is folded into the outer one', () => {
  const ended: PhaseRecord[] = [];
  const reads: Array<[string, number, number]> = [];
  const phases = new Phases({
    onEnd: (r) => ended.push(r),
    onRead: (name, at, total) => reads.push([name, at, total]),
  });
  phases.run('read a', () => {
    phases.read(100, 100, 300);
    phases.run('inner', () => phases.read(200, 300, 300));
  });
  const value = phases.run('dominators', () => 42);
  assert.equal(value, 42);
  assert.deepEqual(ended.map((r) => [r.name, r.bytesRead]), [['read a', 300], ['dominators', 0]]);
  assert.deepEqual(reads, [['read a', 100, 300], ['read a', 300, 300]]);
  assert.ok(ended.every((r) => r.ms >= 0));
  assert.throws(() => phases.run('fails', () => { throw new Error('boom'); }), /boom/);
  assert.equal(phases.records.at(-1)?.name, 'fails', 'a phase that throws is still recorded');
});

test('heap progress: --verbose prints one line per phase; without it, and off a terminal, nothing', () => {
  const written: string[] = [];
  const stream = { isTTY: false, write: (text: string) => written.push(text) };
  const quiet = heapProgress(false, stream, {});
  quiet.phases.run('read x', () => quiet.phases.read(10, 10, 10));
  quiet.done();
  assert.deepEqual(written, []);
  const verbose = heapProgress(true, stream, {});
  const mb3 = 3 * 1024 * 1024;
  verbose.phases.run('read x.heapsnapshot', () => verbose.phases.read(mb3, mb3, mb3));
  verbose.phases.run('dominators', () => undefined);
  assert.equal(written.length, 2);
  assert.match(written[0]!, /^phase read x\.heapsnapshot: \d+ ms, 3\.0 MB read, rss \d+ MB\n$/);
  assert.match(written[1]!, /^phase dominators: \d+ ms, 0\.0 MB read, rss \d+ MB\n$/);
  const line = phaseLine({ name: 'dominators', ms: 1234.4, bytesRead: 0 }, 512 * 1024 * 1024);
  assert.equal(line, 'phase dominators: 1234 ms, 0.0 MB read, rss 512 MB');
});

test('heap progress: on a terminal, a live line after a second shows the phase; it is erased at the end', async () => {
  const written: string[] = [];
  const stream = { isTTY: true, columns: 100, write: (text: string) => written.push(text) };
  const progress = heapProgress(false, stream, {});
  progress.phases.run('read early', () => progress.phases.read(1, 1, 2));
  assert.deepEqual(written, [], 'nothing in the first second');
  await new Promise((resolve) => setTimeout(resolve, 1050));
  const mb5 = 5 * 1024 * 1024;
  progress.phases.run('read big.heapsnapshot', () => progress.phases.read(mb5, mb5, 2 * mb5));
  assert.match(written.join(''), /\rmemprobe: read big\.heapsnapshot\.\.\. \(1\.\d s\)/);
  progress.done();
  assert.equal(written.at(-1), '\r\x1b[K');
  const inCi = heapProgress(false, stream, { CI: 'true' });
  await new Promise((resolve) => setTimeout(resolve, 1050));
  const before = written.length;
  inCi.phases.run('read x', () => undefined);
  assert.equal(written.length, before, 'no live line in CI');
});
