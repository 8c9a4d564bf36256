import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { keptShare } from '../../../src/heap/store-contents.js';
import { leakClustersOf } from '../../../src/runner/leak-clusters.js';
import { tempDir } from '../../support/cli.js';
import { runSnapshotScript } from '../../support/heap-fixtures.js';

test('keptShare: the share of the first sorted id list still in the second; null when the first is empty', () => {
  assert.equal(keptShare(Uint32Array.of(2, 4, 6, 8), Uint32Array.of(1, 2, 4, 9)), 0.5);
  assert.equal(keptShare(Uint32Array.of(), Uint32Array.of(1)), null);
  assert.equal(keptShare(Uint32Array.of(5), Uint32Array.of()), 0);
});

/**
 * One process, three snapshots, two stores that both grow in each step: a Map of sessions that only adds, and a queue
 * per user (20 users) that drops its 10 oldest messages and takes 20 new ones (a queue filling towards a cap), its
 * array replaced each time (a compacting queue: the array is new in every snapshot, the user object is not).
 */
function writeTwoStores(dir: string): { baseline: string; target: string; final: string } {
  runSnapshotScript(
    `
    const { writeHeapSnapshot } = require('v8');
    const { join } = require('path');
    class Session { constructor(i) { this.id = 'session-' + i; this.seen = [i]; } }
    class Message { constructor(i) { this.body = 'message-' + i; this.at = [i]; } }
    globalThis.__sessions = new Map();
    globalThis.__users = Array.from({ length: 20 }, () => ({ queue: [] }));
    let n = 0;
    const step = () => {
      for (let i = 0; i < 400; i++) __sessions.set('s' + n, new Session(n++));
      for (const user of __users) {
        user.queue = user.queue.slice(10);
        for (let i = 0; i < 20; i++) user.queue.push(new Message(n++));
      }
    };
    const snap = (name) => { gc(); writeHeapSnapshot(join(process.env.DIR, name + '.heapsnapshot')); };
    step();
    snap('1');
    step();
    snap('2');
    step();
    snap('3');
    `,
    dir,
  );
  const file = (name: string): string => join(dir, `${name}.heapsnapshot`);
  return { baseline: file('1'), target: file('2'), final: file('3') };
}

test('real snapshots: a store that only adds keeps its entries; a queue per user that turns over lets them go', () => {
  const { leakClusters, holders } = leakClustersOf(writeTwoStores(tempDir()), { holders: true });
  const index = (word: string): number => leakClusters.findIndex((c) => c.path.some((step) => step.includes(word)));
  const sessions = holders[index('__sessions')];
  const queues = holders[index('queue')];
  assert.ok(sessions && queues, JSON.stringify(leakClusters.map((c) => c.path)));
  assert.ok(sessions.after > (sessions.before ?? 0), 'the session store grew');
  assert.ok(queues.after > (queues.before ?? 0), 'the queues grew too');
  assert.ok((sessions.kept ?? 0) >= 0.99, `sessions kept ${sessions.kept}`);
  // Each queue held 20 messages at the first snapshot, all gone by the last (10 dropped per step); what stays is the
  // user object and the small strings of the new messages' ids.
  assert.ok(queues.kept !== null && queues.kept < 0.2, `queues kept ${queues.kept}`);
});
